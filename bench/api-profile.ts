/**
 * The core services of `bench:api` called directly, one after another, for a CPU profile:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/api-profile.ts [marks|grid|diary] [n]`.
 * Prints p50/p99 per operation. Uses the bench database the API benchmark seeded.
 */

import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { diary } from "../src/journal/diary.js";
import { journalGrid } from "../src/journal/grid.js";
import { postMarks } from "../src/journal/marks.js";
import { dropBenchClass, findSeedScenario } from "./api-scenario.js";

const TODAY = "2026-11-24";
const which = process.argv[2] ?? "all";
const n = Number(process.argv[3] ?? 300);

if (!existsSync(".env")) loadDotenv({ path: ".env.example", quiet: true });
const u = new URL(loadConfig().DATABASE_URL);
u.pathname = "/zhurnal_bench_large";
const db = createDb(u.toString(), { max: 20 });
const school = await db.school.findFirstOrThrow({ where: { name: { contains: "Лицей № 2" } } });
const s = await findSeedScenario(db, school.id, TODAY);
const actorOf = async (login: string) => {
  const p = await db.person.findFirstOrThrow({ where: { login }, include: { roles: true } });
  return { personId: p.id, schoolId: p.schoolId, roles: p.roles.map((r) => r.role) };
};
const teacher = await actorOf(s.teacherLogin);
const guardian = await actorOf(s.guardianLogin);

async function time(name: string, op: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    ms.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = ((used.user + used.system) / 1000 / n).toFixed(2);
  const tail = ms.slice(Math.floor(n / 3)).sort((a, b) => a - b);
  const at = (q: number) => tail[Math.min(tail.length - 1, Math.floor(q * tail.length))]!.toFixed(1);
  process.stderr.write(
    `${name}: p50 ${at(0.5)} мс, p99 ${at(0.99)} мс (после прогрева), CPU ${cpuMs} мс на вызов\n`,
  );
}

try {
  if (which === "all" || which === "marks") {
    const blank = await db.lesson.findMany({
      where: { classId: s.postClassId, marks: { none: {} } },
      select: { id: true },
      take: n,
    });
    const pupils = await db.enrolment.findMany({ where: { classId: s.postClassId }, take: 30 });
    const marks = pupils.map((p) => ({ pupilId: p.pupilId, value: "5" }));
    await time("postMarks", (i) => postMarks(db, teacher, { lessonId: blank[i]!.id, marks }));
  }
  const gridInput = { classId: s.gridClassId, subjectId: s.gridSubjectId, periodId: s.periodId };
  if (which === "all" || which === "grid")
    await time("journalGrid", () => journalGrid(db, teacher, gridInput));
  const week = { pupilId: s.diaryPupilId, from: "2026-11-23", to: "2026-11-29" };
  if (which === "all" || which === "diary") await time("diary", () => diary(db, guardian, week));
} finally {
  await dropBenchClass(db, s.postClassId);
  await db.$disconnect();
}
