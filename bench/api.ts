/**
 * API benchmark (`npm run bench:api`): p50/p99 latency and requests/s for posting a 30-pupil
 * marks column, reading a journal grid (class × subject × quarter) and a guardian's diary week,
 * then the same operations in raw `pg` as the bound. The last line is one JSON object.
 *
 * Uses the large seed school «Лицей № 2» (DATABASE_URL or its own database, seeded on first use).
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { config as loadDotenv } from "dotenv";
import pg from "pg";
import { seedLarge } from "../prisma/seed/large.js";
import { loadConfig } from "../src/config.js";
import { createDb, type Db } from "../src/db/client.js";
import { ensureDatabase, migrate } from "../src/db/migrate.js";
import { diary } from "../src/journal/diary.js";
import { journalGrid } from "../src/journal/grid.js";
import { postMarks } from "../src/journal/marks.js";
import { rawDiary, rawGrid, rawPostMarks } from "./api-raw.js";
import { dropBenchClass, findSeedScenario, type Scenario } from "./api-scenario.js";

const CONNECTIONS = 10;
const POSTS = 1000;
/** Columns posted before each marks run, as the reads are warmed up before theirs. */
const WARM_POSTS = 100;
const READ_SECONDS = 8;
const TODAY = "2026-11-24";

interface Figures {
  p50: number;
  p99: number;
  rps: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

const findLyceum = (db: Db) =>
  db.school.findFirst({ where: { name: { contains: "Лицей № 2" } } }).catch(() => null);

/**
 * The large seed school: in DATABASE_URL if it was seeded there, else in its own database
 * `zhurnal_bench_large`, seeded on first use (`npm run db:seed -- --size large` there).
 */
async function prepareDb(url: string): Promise<{ db: Db; url: string; scenario: Scenario }> {
  const main = createDb(url, { max: 20 });
  const inMain = await findLyceum(main);
  if (inMain) {
    log(`Школа «${inMain.name}» найдена: бенчмарк на большой школе.`);
    return { db: main, url, scenario: await findSeedScenario(main, inMain.id, TODAY) };
  }
  await main.$disconnect();
  const u = new URL(url);
  u.pathname = "/zhurnal_bench_large";
  const benchUrl = u.toString();
  await ensureDatabase(benchUrl);
  await migrate(benchUrl);
  const db = createDb(benchUrl, { max: 20 });
  let lyceum = await findLyceum(db);
  if (!lyceum) {
    log(
      "Большой школы ещё нет: создаю «Лицей № 2» (1 000 учеников, учебный год) в базе zhurnal_bench_large…",
    );
    await seedLarge(benchUrl, { progress: process.stderr.isTTY === true });
    lyceum = await findLyceum(db);
  } else {
    log(`Школа «${lyceum.name}» найдена в zhurnal_bench_large: бенчмарк на большой школе.`);
  }
  return { db, url: benchUrl, scenario: await findSeedScenario(db, lyceum!.id, TODAY) };
}

/**
 * Lets the database settle before measuring, as pgbench's guide advises: the previous run's
 * deleted bench class and this run's new lessons are vacuumed now rather than by autovacuum in
 * the middle of a run, and a checkpoint now moves PostgreSQL's next timed one (every 5 minutes
 * after writes) past the runs. Otherwise whether a run overlapped a checkpoint decided its p99.
 */
async function settle(db: Db) {
  await db.$executeRawUnsafe(
    'VACUUM (ANALYZE) "Lesson", "Mark", "AuditLog", "Outbox", "Person", "Enrolment", "Attendance"',
  );
  await db.$executeRawUnsafe("CHECKPOINT").catch((e: Error) => {
    log(`CHECKPOINT не выполнен (${e.message}): замеры могут попасть на контрольную точку.`);
  });
}

/** The API in a child process, so autocannon and the server do not share one event loop. */
async function startServer(databaseUrl: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/api-server.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Whatever ends the bench, the server goes with it (it holds our stderr open).
  process.once("exit", () => child.kill("SIGTERM"));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`сервер API завершился (код ${code})`)));
  });
  return { child, port: (JSON.parse(first) as { port: number }).port };
}

function run(opts: autocannon.Options): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lastResponse = started;
    const instance = autocannon({ ...opts, connections: CONNECTIONS }, (error, result) => {
      if (error) return reject(error);
      const bad = result.non2xx + result.errors;
      if (bad > 0) {
        return reject(new Error(`${opts.title}: ${bad} неуспешных ответов из ${result.requests.total}`));
      }
      // Requests up to the last answer, by our clock: autocannon ends a run on its one-second
      // tick, so 1,000 posts done in 2.2 s or in 2.9 s would both read as 333 a second.
      const seconds = (lastResponse - started) / 1000;
      resolve({
        p50: result.latency.p50,
        p99: result.latency.p99,
        rps: Number((result.requests.total / seconds).toFixed(1)),
      });
    });
    instance.on("response", () => {
      lastResponse = performance.now();
    });
  });
}

/** Runs `op` from CONNECTIONS concurrent workers, `total` times or for `seconds`. */
async function load(
  op: (i: number) => Promise<unknown>,
  limit: { total?: number; seconds?: number },
): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const until = limit.seconds ? start + limit.seconds * 1000 : Number.POSITIVE_INFINITY;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if ((limit.total !== undefined && i >= limit.total) || performance.now() >= until) return;
      const t = performance.now();
      await op(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const secs = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2));
  return { p50: at(0.5), p99: at(0.99), rps: Number((latencies.length / secs).toFixed(1)) };
}

async function main() {
  // On a fresh clone without .env the example's local defaults apply (as `npm start` sets up).
  if (!existsSync(".env")) loadDotenv({ path: ".env.example", quiet: true });
  const config = loadConfig();
  const { db, url, scenario: s } = await prepareDb(config.DATABASE_URL);
  await settle(db);
  const server = await startServer(url);
  const base = `http://127.0.0.1:${server.port}`;
  const login = async (name: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: name, password: s.password }),
    });
    if (!res.ok) throw new Error(`вход ${name}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const teacher = await login(s.teacherLogin);
  const guardian = await login(s.guardianLogin);
  const pool = new pg.Pool({ connectionString: url, max: 20 });

  // Blank lessons of the post class, each run (and its warm-up) taking the next ones.
  const needed = (POSTS + WARM_POSTS) * 3;
  const blank = await db.lesson.findMany({
    where: { classId: s.postClassId, marks: { none: {} } },
    select: { id: true },
    orderBy: { id: "asc" },
    take: needed,
  });
  if (blank.length < needed) throw new Error(`нужно ${needed} пустых уроков, есть ${blank.length}`);
  let cursor = 0;
  const nextBlank = () => blank[cursor++]!.id;
  const pupilIds = (
    await db.enrolment.findMany({
      where: { classId: s.postClassId, leftOn: null },
      select: { pupilId: true },
      take: 30,
    })
  ).map((e) => e.pupilId);
  const teacherId = (await db.person.findFirstOrThrow({ where: { login: s.teacherLogin } })).id;
  const guardianId = (await db.person.findFirstOrThrow({ where: { login: s.guardianLogin } })).id;

  const week = { from: "2026-11-23", to: "2026-11-29" };
  const gridUrl = `/api/v1/journal-grid?classId=${s.gridClassId}&subjectId=${s.gridSubjectId}&periodId=${s.periodId}`;
  const diaryUrl = `/api/v1/pupils/${s.diaryPupilId}/diary?from=${week.from}&to=${week.to}`;
  const auth = (t: string) => ({ authorization: `Bearer ${t}`, "content-type": "application/json" });

  // Warm-up: JIT, connection pools, statement caches.
  await run({ url: base + gridUrl, headers: auth(teacher), amount: 200, title: "warm-up grid" });
  await run({ url: base + diaryUrl, headers: auth(guardian), amount: 200, title: "warm-up diary" });

  const body = JSON.stringify({ marks: pupilIds.map((pupilId) => ({ pupilId, value: "5" })) });
  const postColumns = (amount: number, title: string) =>
    run({
      title,
      url: base,
      amount,
      requests: [
        {
          method: "POST",
          headers: auth(teacher),
          setupRequest: (req) => ({ ...req, path: `/api/v1/lessons/${nextBlank()}/marks`, body }),
        },
      ],
    });
  await postColumns(WARM_POSTS, "warm-up marks");
  const apiMarks = await postColumns(POSTS, "marks");
  const apiGrid = await run({
    title: "grid",
    url: base + gridUrl,
    headers: auth(teacher),
    duration: READ_SECONDS,
  });
  const apiDiary = await run({
    title: "diary",
    url: base + diaryUrl,
    headers: auth(guardian),
    duration: READ_SECONDS,
  });

  // The core services called directly (no HTTP): separates the API layer's cost from theirs.
  const actorOf = async (personId: number) => {
    const p = await db.person.findUniqueOrThrow({ where: { id: personId }, include: { roles: true } });
    return { personId, schoolId: p.schoolId, roles: p.roles.map((r) => r.role) };
  };
  const [teacherActor, guardianActor] = [await actorOf(teacherId), await actorOf(guardianId)];
  const gridInput = { classId: s.gridClassId, subjectId: s.gridSubjectId, periodId: s.periodId };
  const diaryInput = { pupilId: s.diaryPupilId, ...week };

  const rawPost = () => rawPostMarks(pool, teacherActor, nextBlank(), pupilIds);
  await load(rawPost, { total: WARM_POSTS });
  const rawMarks = await load(rawPost, { total: POSTS });
  // Reads are warmed up as the API's were (prepared statements, JIT) before each timed run.
  const timedRead = async (op: () => Promise<unknown>) => {
    await load(op, { total: 200 });
    return load(op, { seconds: READ_SECONDS });
  };
  const rawG = await timedRead(() => rawGrid(pool, teacherActor, gridInput));
  const rawD = await timedRead(() => rawDiary(pool, guardianActor, diaryInput));

  const marks = pupilIds.map((pupilId) => ({ pupilId, value: "5" }));
  const svcPost = () => postMarks(db, teacherActor, { lessonId: nextBlank(), marks });
  await load(svcPost, { total: WARM_POSTS });
  const svcMarks = await load(svcPost, { total: POSTS });
  const svcGrid = await timedRead(() => journalGrid(db, teacherActor, gridInput));
  const svcDiary = await timedRead(() => diary(db, guardianActor, diaryInput));

  const rows = [
    ["отметки: столбец 30 учеников", apiMarks, svcMarks, rawMarks],
    ["страница журнала (четверть)", apiGrid, svcGrid, rawG],
    ["дневник за неделю", apiDiary, svcDiary, rawD],
  ] as const;
  const cell = (f: Figures) => `${`${f.p50}/${f.p99}`.padEnd(14)}${String(f.rps).padEnd(8)}`;
  log(
    `\n${"".padEnd(30)} ${"API p50/p99 мс rps".padEnd(22)}| ${"сервис без HTTP".padEnd(22)}| ${"сырой pg".padEnd(22)}| API/pg`,
  );
  for (const [name, a, v, r] of rows) {
    log(`${name.padEnd(30)} ${cell(a)}| ${cell(v)}| ${cell(r)}| ${(a.rps / r.rps).toFixed(2)}`);
  }
  // The weakest of the three is the honest summary of how close the API stays to raw SQL.
  const ratio = Math.min(...rows.map(([, a, , r]) => a.rps / r.rps));
  server.child.kill("SIGTERM");
  await pool.end();
  await dropBenchClass(db, s.postClassId);
  await db.$disconnect();
  console.log(
    JSON.stringify({
      marks_post_p99_ms: apiMarks.p99,
      grid_p99_ms: apiGrid.p99,
      diary_p99_ms: apiDiary.p99,
      rps_ratio_vs_raw_pg: Number(ratio.toFixed(2)),
    }),
  );
}

main().catch((e) => {
  log(`Бенчмарк не выполнен: ${(e as Error).message}`);
  process.exit(1);
});
