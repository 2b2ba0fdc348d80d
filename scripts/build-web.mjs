#!/usr/bin/env node
/**
 * Builds the web app (web/dist) when the build is missing or older than its sources, so
 * `npm start` on a fresh clone serves the journal at / without a separate step; `--force` builds
 * anyway. A build stamp records the newest source time it was built from. One build at a time:
 * parallel callers (test files, `npm run build`) wait on a lock directory, then find it fresh.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const web = join(root, "web");
const stamp = join(web, "dist", ".build-stamp");
const lock = join(web, ".build-lock");

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "dist" || entry === "node_modules" || entry === "schema.d.ts" || entry === ".build-lock")
      continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (let waited = 0; ; waited += 200) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    // A lock older than five minutes is left by a killed build.
    if (waited > 300_000 || Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 300_000) {
      rmdirSync(lock, { recursive: true });
    }
    sleep(200);
  }
}
try {
  const sources = Math.max(newest(web), statSync(join(root, "package-lock.json")).mtimeMs);
  const built = existsSync(stamp) ? Number(readFileSync(stamp, "utf8")) : 0;
  const fresh = built >= sources && existsSync(join(web, "dist", "index.html"));
  if (!fresh || process.argv.includes("--force")) {
    console.log("Сборка веб-журнала (web/dist)…");
    const vite = join(root, "node_modules", "vite", "bin", "vite.js");
    const result = spawnSync(
      process.execPath,
      [vite, "build", "--config", join(web, "vite.config.ts"), "--logLevel", "warn"],
      // A production build whoever calls it (tests run with NODE_ENV=test).
      { stdio: "inherit", cwd: root, env: { ...process.env, NODE_ENV: "production" } },
    );
    if (result.status !== 0) process.exitCode = result.status ?? 1;
    else writeFileSync(stamp, String(sources));
  }
} finally {
  rmdirSync(lock);
}
