import { hash } from "@node-rs/argon2";
import { Presets, SingleBar } from "cli-progress";
import pg from "pg";
import { YEAR } from "./calendar.js";
import { DEMO_PASSWORD } from "./demo.js";
import { generateJournal, type Journal } from "./journal.js";
import { LARGE_PUPILS, LARGE_SCHOOL, planLargeSchool } from "./large-plan.js";
import { periodMarks } from "./period-marks.js";
import type { SchoolPlan } from "./plan.js";
import { createRng } from "./random.js";
import { dropSchool, SEED_LOCK } from "./reset.js";
import { pgSink } from "./sink.js";
import { expectedRows, writeSchool } from "./write.js";

export { LARGE_PUPILS, LARGE_SCHOOL, planLargeSchool };

export interface LargeOptions {
  reset?: boolean;
  pupils?: number;
  /** Show a progress bar on stderr. */
  progress?: boolean;
}

export type LargeResult =
  | { status: "exists"; schoolId: number }
  | {
      status: "seeded";
      schoolId: number;
      name: string;
      classes: number;
      pupils: number;
      guardians: number;
      teachers: number;
      clashes: number;
      counts: Record<string, number>;
      generateMs: number;
      writeMs: number;
      ms: number;
    };

/** The whole year "as if it happened": every lesson from 1 September to 31 May filled in. */
export function generateLargeSchool(pupils: number, seed = 2): { plan: SchoolPlan; journal: Journal } {
  const rng = createRng(seed);
  const plan = planLargeSchool(pupils, rng);
  const journal = generateJournal(
    plan,
    {
      from: YEAR.start,
      to: YEAR.end,
      fillBefore: "9999-12-31",
      reasonsBefore: "9999-12-31",
      timeZone: "Europe/Moscow",
    },
    rng,
  );
  return { plan, journal };
}

const ANALYZE = ["Lesson", "Mark", "Attendance", "Person", "PeriodMark", "Enrolment", "GuardianLink"];

export async function seedLarge(databaseUrl: string, options: LargeOptions = {}): Promise<LargeResult> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let bar: SingleBar | undefined;
  try {
    const found = await client.query<{ id: number }>(`SELECT id FROM "School" WHERE name = $1`, [
      LARGE_SCHOOL,
    ]);
    if (found.rows[0] && !options.reset) return { status: "exists", schoolId: found.rows[0].id };

    const { plan, journal } = generateLargeSchool(options.pupils ?? LARGE_PUPILS);
    const marks = periodMarks(plan, journal, [1, 2, 3, 4], true);
    const passwordHash = await hash(DEMO_PASSWORD);
    const generateMs = performance.now() - started;

    const seed = {
      plan,
      journal,
      periodMarks: marks,
      passwordHash,
      timeZone: "Europe/Moscow",
      publishedQuarters: [1, 2, 3, 4],
    };
    const total = expectedRows(seed);
    if (options.progress) {
      bar = new SingleBar(
        {
          format: "Запись {bar} {percentage}% | {value}/{total} строк | {table}",
          hideCursor: true,
          stream: process.stderr,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0, { table: "" });
    }
    const writeStarted = performance.now();
    await client.query("BEGIN");
    let schoolId: number | null = null;
    let counts: Record<string, number> = {};
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK]);
      const again = await client.query<{ id: number }>(`SELECT id FROM "School" WHERE name = $1`, [
        LARGE_SCHOOL,
      ]);
      if (again.rows[0]) {
        if (!options.reset) {
          await client.query("ROLLBACK");
          return { status: "exists", schoolId: again.rows[0].id };
        }
        bar?.update({ table: "удаление прежней школы" });
        await dropSchool((sql, params) => client.query(sql, params), again.rows[0].id);
      }
      const written = await writeSchool(pgSink(client, bar), seed);
      schoolId = written.schoolId;
      counts = written.counts;
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    bar?.update(total, { table: "ANALYZE" });
    // Fresh statistics, so the benchmarks that follow get the plans they would in production.
    for (const t of ANALYZE) await client.query(`ANALYZE "${t}"`);
    bar?.stop();
    bar = undefined;
    return {
      status: "seeded",
      schoolId,
      name: plan.name,
      classes: plan.classes.length,
      pupils: plan.people.filter((p) => p.roles.includes("PUPIL")).length,
      guardians: plan.people.filter((p) => p.roles.includes("GUARDIAN")).length,
      teachers: plan.people.filter((p) => p.roles.includes("TEACHER")).length,
      clashes: plan.clashes,
      counts,
      generateMs: Math.round(generateMs),
      writeMs: Math.round(performance.now() - writeStarted),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    bar?.stop();
    await client.end();
  }
}
