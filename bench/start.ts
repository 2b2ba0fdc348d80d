/**
 * `npm run bench:start` — the compiled product (`npm run build`, run with plain node as
 * `npm run serve` does) with every role in one process (api, bot, worker), on the demo school,
 * the bot talking to the fake Telegram server in its own thread. Measures:
 * - ready_ms: process spawn → `/ready` answers ok (median of 3 cold starts);
 * - rss_idle_mb: resident memory 5 s after ready, nothing asked;
 * - rss_load_mb: the highest resident memory while 10 connections read the journal grid and the
 *   diary, post marks, and print reports (PDF, XLSX) for 15 s.
 * Last line: {"ready_ms":…, "rss_idle_mb":…, "rss_load_mb":…}. Targets: ≤ 3,000, ≤ 250, ≤ 400.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { seedDemo } from "../prisma/seed/demo.js";
import { createDb } from "../src/db/client.js";
import { createTestDb } from "../test/support/db.js";
import { freePort } from "../test/support/process.js";
import { startFakeTelegramThread } from "./fake-telegram-thread.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident set size of a process, MiB, from /proc (what the operator's `top` shows). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Math.round(Number(line?.match(/\d+/)?.[0] ?? 0) / 1024);
}

if (!existsSync("dist/src/main.js") || process.argv.includes("--build")) {
  console.log("building (npm run build)…");
  execFileSync("npm", ["run", "build"], { stdio: "inherit" });
}

const testDb = await createTestDb();
await seedDemo(testDb.url);
const tg = await startFakeTelegramThread();
let child: ChildProcess | undefined;

async function start(port: number): Promise<{ child: ChildProcess; readyMs: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, ["dist/src/main.js"], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: testDb.url,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      JWT_SECRET: randomBytes(32).toString("hex"),
      ROLES: "api,bot,worker",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      BOT_TOKEN: tg.token,
      BOT_API_ROOT: tg.apiRoot,
      BOT_WEBHOOK_URL: "",
      SMTP_URL: "",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the process exited with ${proc.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { child: proc, readyMs: Math.round(performance.now() - t0) };
    await sleep(10);
  }
}

async function stop(proc: ChildProcess) {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await exited;
}

try {
  const port = await freePort();
  const readies: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await start(port);
    child = s.child;
    readies.push(s.readyMs);
    console.log(`cold start ${i + 1}: ready in ${s.readyMs} ms`);
    if (i < 2) await stop(child);
  }
  const pid = child!.pid!;
  await sleep(5000);
  const idle = rssMb(pid);
  console.log(`idle: ${idle} MiB`);

  const base = `http://127.0.0.1:${port}`;
  const token = async (login: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login, password: "demo-password" }),
    });
    if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const teacher = await token("ivanova.mv");
  const deputy = await token("zavuch");

  // The demo school's 5А maths, its current period and a pupil, as the web and the bot read them.
  const db = createDb(testDb.url);
  const cls = await db.class.findFirstOrThrow({ where: { grade: 5, letter: "А" } });
  const assignment = await db.teachingAssignment.findFirstOrThrow({
    where: { classId: cls.id, teacher: { login: "ivanova.mv" } },
  });
  const today = new Date();
  const period = await db.period.findFirstOrThrow({
    where: { kind: { not: "YEAR" }, startDate: { lte: today }, endDate: { gte: today } },
  });
  const pupil = await db.enrolment.findFirstOrThrow({ where: { classId: cls.id, leftOn: null } });
  await db.$disconnect();
  const grid = `/api/v1/journal-grid?classId=${cls.id}&subjectId=${assignment.subjectId}&periodId=${period.id}`;
  const diary = `/api/v1/pupils/${pupil.pupilId}/diary`;
  const report = `/api/v1/reports/journal-page?classId=${cls.id}&subjectId=${assignment.subjectId}&periodId=${period.id}`;

  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  await autocannon({
    url: base,
    connections: 10,
    duration: 15,
    requests: [
      { method: "GET", path: grid, headers: auth(teacher) },
      { method: "GET", path: diary, headers: auth(deputy) },
      { method: "GET", path: `${report}&format=pdf`, headers: auth(deputy) },
      { method: "GET", path: `${report}&format=xlsx`, headers: auth(deputy) },
    ],
  });
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(pid));
  console.log(`under load: peak ${peak} MiB`);

  console.log(JSON.stringify({ ready_ms: median(readies), rss_idle_mb: idle, rss_load_mb: peak }));
} finally {
  if (child) await stop(child);
  await tg.stop();
  await testDb.drop();
}
