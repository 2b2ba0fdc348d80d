import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.js";
import { exitOf, freePort, listening, run } from "../support/process.js";

const exec = promisify(execFile);

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

/** What an operator runs in production: `npm run build`, then `npm run serve` (plain node, no tsx). */
describe("npm run build && npm run serve", () => {
  it("compiles the product and serves it with plain node", async () => {
    await exec("npm", ["run", "build"], { maxBuffer: 64 * 1024 * 1024 });
    expect(existsSync("dist/src/main.js")).toBe(true);
    const port = await freePort();
    const { child, output } = run(
      { DATABASE_URL: t.url, ROLES: "api,worker", PORT: String(port), BOT_TOKEN: "" },
      [],
      ["scripts/serve.mjs"],
    );
    try {
      await listening(child, output);
      const ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.json());
      expect(ready).toMatchObject({ status: "ok" });
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: "nobody", password: "wrong-password" }),
      });
      expect(login.status).toBe(401);
    } finally {
      child.kill("SIGTERM");
      expect(await exitOf(child)).toBe(0);
    }
    // Nothing of tsx in the compiled process: it was started by plain node on dist/.
    expect(output()).not.toMatch(/tsx/);
  }, 300_000);
});
