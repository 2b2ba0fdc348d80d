import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { type Browser, chromium, type Page } from "playwright-core";
import { DEMO_PASSWORD, seedDemo } from "../../prisma/seed/demo.js";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import type { Api } from "../../src/http/types.js";
import { createTestDb, type TestDb } from "./db.js";

/**
 * Browser end-to-end tests of the web journal: the real server (buildApp, listening on a random
 * port) over a fresh database holding the demo school, and Debian's Chromium driven by
 * playwright-core. One browser per test file; each scenario opens its own context (no shared
 * cookies). Screenshots go to .tmp/screenshots (git-ignored) for a reviewer to look at.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const WEB_ROOT = `${ROOT}web/dist`;
export const SCREENSHOTS = `${ROOT}.tmp/screenshots`;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export { DEMO_PASSWORD };

/** Builds web/dist when missing or stale (the script itself lets one build run at a time). */
export function ensureWebBuild() {
  const result = spawnSync(process.execPath, [`${ROOT}scripts/build-web.mjs`], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface WebServer {
  url: string;
  app: Api;
  testDb: TestDb;
  schoolId: number;
  close(): Promise<void>;
}

/** The whole HTTP side as `npm start` runs it (API + web app), on the demo school. */
export async function startWebServer(opts: { now?: Date } = {}): Promise<WebServer> {
  ensureWebBuild();
  const testDb = await createTestDb();
  const seeded = await seedDemo(testDb.url, { now: opts.now });
  if (seeded.status !== "seeded") throw new Error("demo school not seeded");
  const redis = new Redis(process.env.REDIS_URL!, { keyPrefix: `t-web-${randomBytes(4).toString("hex")}:` });
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.HTTP_TEST_LOG ?? "silent" });
  const app = await buildApp({
    db: testDb.db,
    config,
    redis,
    webRoot: WEB_ROOT,
    loginLimits: { freeFailures: 1000, baseDelaySec: 1, maxDelaySec: 1, perIp: 10_000, windowSec: 60 },
    actorCacheMs: 0,
  });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url: address,
    app,
    testDb,
    schoolId: seeded.schoolId,
    async close() {
      await app.close();
      redis.disconnect();
      await testDb.drop();
    },
  };
}

/** Headless Chromium with no network side-trips and a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Signs in through the login form, as a person does; resolves when the app's menu shows. */
export async function signIn(page: Page, baseUrl: string, login: string, password = DEMO_PASSWORD) {
  await page.goto(baseUrl);
  await page.getByLabel("Логин").fill(login);
  await page.getByLabel("Пароль", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.getByRole("button", { name: "Учётная запись" }).waitFor({ timeout: 90_000 });
}

/** An access token for API calls made by the test itself (to re-read what the page saved). */
export async function apiToken(server: WebServer, login: string, password = DEMO_PASSWORD) {
  const res = await server.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { login, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${login}: ${res.statusCode} ${res.body}`);
  return res.json().accessToken as string;
}

/** Saves a full-page screenshot as .tmp/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
