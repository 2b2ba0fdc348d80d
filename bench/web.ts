/**
 * `npm run bench:web`: the web journal in headless Chromium on the large seed school («Лицей № 2»,
 * its own database `zhurnal_bench_web`, seeded on first use as `npm run db:seed -- --size large`).
 * Measures the time from navigation to an interactive journal grid of the biggest class × its
 * subject × the quarter (the teacher already signed in: the session cookie restores the page),
 * and the JavaScript the first screen loads, gzip-compressed. Last line: JSON.
 * Targets: grid_interactive_ms ≤ 1000, first_screen_js_kb_gzip ≤ 250.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Redis } from "ioredis";
import { chromium } from "playwright-core";
import { seedLarge } from "../prisma/seed/large.js";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { ensureDatabase, migrate } from "../src/db/migrate.js";
import { buildApp } from "../src/http/app.js";
import { findSeedScenario } from "./api-scenario.js";

const RUNS = 7;
const TODAY = "2026-11-24";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/zhurnal";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.JWT_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
const u = new URL(process.env.DATABASE_URL);
u.pathname = "/zhurnal_bench_web";
const url = u.toString();
await ensureDatabase(url);
await migrate(url);
const db = createDb(url, { max: 10 });
let school = await db.school.findFirst({ where: { name: { contains: "Лицей № 2" } } });
if (!school) {
  log("Большой школы ещё нет: создаю «Лицей № 2» в базе zhurnal_bench_web…");
  await seedLarge(url, { progress: process.stderr.isTTY === true });
  school = await db.school.findFirstOrThrow({ where: { name: { contains: "Лицей № 2" } } });
}
const scenario = await findSeedScenario(db, school.id, TODAY);

const build = spawnSync(process.execPath, [`${ROOT}scripts/build-web.mjs`], { stdio: "inherit" });
if (build.status !== 0) throw new Error("web build failed");

const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: "silent" });
const redis = new Redis(config.REDIS_URL, { keyPrefix: "bench-web:" });
const app = await buildApp({ db, config, redis, webRoot: `${ROOT}web/dist` });
const base = await app.listen({ host: "127.0.0.1", port: 0 });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
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
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  // Sign in once through the form: the session cookie then restores every later navigation.
  await page.goto(base);
  await page.getByLabel("Логин").fill(scenario.teacherLogin);
  await page.getByLabel("Пароль", { exact: true }).fill(scenario.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.getByRole("button", { name: "Учётная запись" }).waitFor();

  const gridUrl = `${base}/journal?classId=${scenario.gridClassId}&subjectId=${scenario.gridSubjectId}&periodId=${scenario.periodId}`;
  const scripts = new Set<string>();
  page.on("response", (res) => {
    if (res.request().resourceType() === "script") scripts.add(new URL(res.url()).pathname);
  });

  const times: number[] = [];
  let size = { rows: 0, cells: 0 };
  for (let i = 0; i < RUNS; i++) {
    // A fresh document each time (no client state kept): restore the session, load the page's
    // chunk, fetch the grid, render it; "interactive" = a cell holds the keyboard focus.
    await page.goto("about:blank");
    await page.goto(gridUrl, { waitUntil: "commit" });
    await page.locator('[role="gridcell"]').first().waitFor();
    const ms = await page.evaluate(() => {
      const cell = document.querySelector<HTMLElement>('[role="gridcell"][tabindex="0"]');
      cell?.focus();
      if (document.activeElement !== cell) throw new Error("the grid does not take the focus");
      return performance.now();
    });
    times.push(ms);
    size = await page.evaluate(() => ({
      rows: document.querySelectorAll('[role="grid"] tbody tr').length,
      cells: document.querySelectorAll('[role="gridcell"]').length,
    }));
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  log(
    `Сетка ${size.rows} учеников, ${size.cells} клеток; от навигации до интерактивной сетки, мс: ${times.map((t) => Math.round(t)).join(", ")}`,
  );
  log(`Первый (холодный) запуск: ${Math.round(times[0]!)} мс; медиана: ${Math.round(median)} мс`);

  // The first screen's JavaScript: every script the grid page loaded, as gzip would send it.
  let gzip = 0;
  for (const path of scripts) {
    const bytes = readFileSync(`${ROOT}web/dist${path}`);
    const z = gzipSync(bytes, { level: 9 }).length;
    gzip += z;
    log(`  ${path}: ${(bytes.length / 1024).toFixed(1)} КБ, gzip ${(z / 1024).toFixed(1)} КБ`);
  }
  console.log(
    JSON.stringify({
      grid_interactive_ms: Math.round(median),
      first_screen_js_kb_gzip: Math.round(gzip / 1024),
    }),
  );
} finally {
  await browser.close();
  await app.close();
  redis.disconnect();
  await db.$disconnect();
}
