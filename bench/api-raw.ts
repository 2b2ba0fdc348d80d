import type pg from "pg";
import { type Prisma, statementName } from "../src/db/client.js";
import { lessonWithSql } from "../src/journal/access.js";
import type { Actor } from "../src/journal/actor.js";
import { diarySql } from "../src/journal/diary.js";
import { journalGridSql } from "../src/journal/grid.js";
import { columnSql, insertMarksSql } from "../src/journal/marks.js";
import { lockEndsAt, type SchoolCalendar } from "../src/journal/rules/calendar.js";
import { parseMarkValue } from "../src/journal/rules/marks.js";

/**
 * The bound the API is compared with: the services' own statements, built by the same functions
 * and prepared the same way, sent straight through `pg`, with none of the services' checks and
 * shaping around them and no HTTP.
 */
async function run(pool: pg.Pool, sql: Prisma.Sql) {
  const values = sql.values as unknown[];
  const { rows } = await pool.query({
    name: statementName({ sql: sql.text, args: values }),
    text: sql.text,
    values,
  });
  return rows;
}

/** A blank column: the lesson with its form, pupils and cells, then the cells, audit and event. */
export async function rawPostMarks(pool: pg.Pool, actor: Actor, lessonId: number, pupilIds: number[]) {
  const marks = pupilIds.map((pupilId) => ({ pupilId, value: "5" }));
  const [lesson] = await run(pool, lessonWithSql(lessonId, columnSql({ lessonId, marks })));
  if (!lesson) throw new Error(`урока ${lessonId} нет`);
  const parsed = new Map(pupilIds.map((p) => [p, parseMarkValue("5")]));
  return run(
    pool,
    insertMarksSql(actor, {
      lessonId,
      fresh: marks,
      parsed,
      controlFormId: null,
      weight: 1,
      now: new Date(),
      lockAt: lockEndsAt(new Date(), lesson.calendar as SchoolCalendar),
      withEvent: true,
    }),
  );
}

export const rawGrid = (
  pool: pg.Pool,
  actor: Actor,
  input: { classId: number; subjectId: number; periodId: number },
) => run(pool, journalGridSql(actor, input));

export const rawDiary = (pool: pg.Pool, actor: Actor, input: { pupilId: number; from: string; to: string }) =>
  run(pool, diarySql(actor, input));
