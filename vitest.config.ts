import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "web/src/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-env.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: integration files each own a database, so a couple in parallel is the sweet spot.
    pool: "forks",
    maxWorkers: 3,
  },
});
