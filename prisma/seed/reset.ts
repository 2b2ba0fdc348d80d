/**
 * Removes one school's rows. The big tables go first through their indexed foreign keys. Some
 * foreign keys have no index of their own (Mark.authorId, Lesson.slotId, …), so deleting the
 * school's people and plans would scan those tables — dead rows included — once per deleted row:
 * minutes for the large school. Temporary indexes, created and dropped inside the caller's
 * transaction, turn each of those checks into a lookup and leave the schema as it was.
 */
export type Execute = (sql: string, params: unknown[]) => Promise<unknown>;

const LESSONS = `SELECT l.id FROM "Lesson" l JOIN "Class" c ON c.id = l."classId"
  JOIN "AcademicYear" y ON y.id = c."yearId" WHERE y."schoolId" = $1`;
const PEOPLE = `SELECT id FROM "Person" WHERE "schoolId" = $1`;

const TEMP_INDEXES: [string, string][] = [
  ["Mark", "authorId"],
  ["Mark", "controlFormId"],
  ["MarkHistory", "authorId"],
  ["Attendance", "markedById"],
  ["PeriodMark", "authorId"],
  ["Lesson", "slotId"],
  ["Lesson", "plannedTopicId"],
  ["Lesson", "controlFormId"],
];
const tempIndex = (table: string, column: string) => `"seed_reset_${table}_${column}"`;

/** Must run inside a transaction (the temporary indexes live and die in it). */
export async function dropSchool(execute: Execute, schoolId: number): Promise<void> {
  for (const [table, column] of TEMP_INDEXES) {
    await execute(`CREATE INDEX ${tempIndex(table, column)} ON "${table}" ("${column}")`, []);
  }
  const steps = [
    `DELETE FROM "Mark" WHERE "lessonId" IN (${LESSONS})`,
    `DELETE FROM "Attendance" WHERE "lessonId" IN (${LESSONS})`,
    `DELETE FROM "PeriodMark" WHERE "pupilId" IN (${PEOPLE})`,
    `DELETE FROM "Lesson" WHERE id IN (${LESSONS})`,
    `DELETE FROM "AbsenceNotice" WHERE "pupilId" IN (${PEOPLE})`,
    `DELETE FROM "Message" WHERE "schoolId" = $1`,
    `DELETE FROM "Outbox" WHERE "schoolId" = $1`,
    `DELETE FROM "School" WHERE id = $1`,
  ];
  for (const sql of steps) await execute(sql, [schoolId]);
  for (const [table, column] of TEMP_INDEXES) await execute(`DROP INDEX ${tempIndex(table, column)}`, []);
}

/** One seed at a time (two `npm start` racing must not both seed). */
export const SEED_LOCK = 72_201_806;
