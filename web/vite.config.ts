import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * The web app: built into web/dist, which Fastify serves at `/`. In development `vite` proxies
 * the API to the running server (`npm run serve` on :3000).
 */
export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: { "@": `${root}src` } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:3000", "/docs": "http://127.0.0.1:3000" },
  },
});
