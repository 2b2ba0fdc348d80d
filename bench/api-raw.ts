import type pg from "pg";

/**
 * The same operations in hand-written SQL through `pg`: the bound the API is compared with.
 * Same shape as the services: scope checks, the rows, and for marks the audit and outbox rows
 * in one transaction.
 */
export async function rawPostMarks(
  pool: pg.Pool,
  lessonId: number,
  pupilIds: number[],
  authorId: number,
  schoolId: number,
) {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const scope = await c.query(
      `SELECT l.id, l."teacherId", l."substituteId", c.grade, s.graded, s."doubleMarks", y."schoolId"
         FROM "Lesson" l JOIN "Class" c ON c.id = l."classId" JOIN "AcademicYear" y ON y.id = c."yearId"
         JOIN "Subject" s ON s.id = l."subjectId" WHERE l.id = $1`,
      [lessonId],
    );
    if (scope.rowCount !== 1) throw new Error("no lesson");
    await c.query(
      `SELECT e."pupilId" FROM "Enrolment" e JOIN "Lesson" l ON l."classId" = e."classId"
        WHERE l.id = $1 AND e."joinedOn" <= l.date AND (e."leftOn" IS NULL OR e."leftOn" > l.date) AND e."pupilId" = ANY($2)`,
      [lessonId, pupilIds],
    );
    await c.query(`SELECT id FROM "Mark" WHERE "lessonId" = $1 AND "pupilId" = ANY($2)`, [
      lessonId,
      pupilIds,
    ]);
    const values = pupilIds.map((_, i) => `($1, $${i + 3}, '5', $2)`).join(",");
    const marks = await c.query(
      `INSERT INTO "Mark" ("lessonId", "pupilId", value, "authorId") VALUES ${values} RETURNING id, "pupilId", value`,
      [lessonId, authorId, ...pupilIds],
    );
    const audits = marks.rows.map((_, i) => `($1, $2, 'mark.post', 'Mark', $${i + 3})`).join(",");
    await c.query(
      `INSERT INTO "AuditLog" ("schoolId", "actorId", action, entity, "entityId") VALUES ${audits}`,
      [schoolId, authorId, ...marks.rows.map((m) => String(m.id))],
    );
    await c.query(`INSERT INTO "Outbox" ("schoolId", type, payload) VALUES ($1, 'mark.posted', $2)`, [
      schoolId,
      JSON.stringify({ lessonId, markIds: marks.rows.map((m) => m.id) }),
    ]);
    await c.query("COMMIT");
    return marks.rows;
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  } finally {
    c.release();
  }
}

export async function rawGrid(
  pool: pg.Pool,
  classId: number,
  subjectId: number,
  periodId: number,
  actorId: number,
) {
  const scope = await pool.query(
    `SELECT p."startDate", p."endDate",
            EXISTS (SELECT 1 FROM "TeachingAssignment" a WHERE a."classId" = $1 AND a."subjectId" = $2 AND a."teacherId" = $4) AS teaches
       FROM "Period" p JOIN "Class" c ON c."yearId" = p."yearId" JOIN "Subject" s ON s.id = $2
      WHERE p.id = $3 AND c.id = $1`,
    [classId, subjectId, periodId, actorId],
  );
  const { startDate, endDate } = scope.rows[0];
  const lessonsWhere = `"classId" = $1 AND "subjectId" = $2 AND date BETWEEN $3 AND $4`;
  const args = [classId, subjectId, startDate, endDate];
  const [lessons, pupils, marks, attendance, forms] = await Promise.all([
    pool.query(
      `SELECT id, date, "lessonNumber", topic, homework, "controlFormId" FROM "Lesson" WHERE ${lessonsWhere} ORDER BY date, "lessonNumber"`,
      args,
    ),
    pool.query(
      `SELECT p.id, p."lastName", p."firstName", e."joinedOn", e."leftOn" FROM "Enrolment" e JOIN "Person" p ON p.id = e."pupilId"
        WHERE e."classId" = $1 AND e."joinedOn" <= $3 AND (e."leftOn" IS NULL OR e."leftOn" > $2)`,
      [classId, startDate, endDate],
    ),
    pool.query(
      `SELECT m.id, m."lessonId", m."pupilId", m.value, m.value2, m.weight, m."controlFormId" FROM "Mark" m JOIN "Lesson" l ON l.id = m."lessonId"
        WHERE l."classId" = $1 AND l."subjectId" = $2 AND l.date BETWEEN $3 AND $4`,
      args,
    ),
    pool.query(
      `SELECT a."lessonId", a."pupilId", a.kind, a.reason FROM "Attendance" a JOIN "Lesson" l ON l.id = a."lessonId"
        WHERE l."classId" = $1 AND l."subjectId" = $2 AND l.date BETWEEN $3 AND $4`,
      args,
    ),
    pool.query(
      `SELECT id, name, weight FROM "ControlForm" WHERE "schoolId" = (SELECT "schoolId" FROM "Subject" WHERE id = $1)`,
      [subjectId],
    ),
  ]);
  return {
    lessons: lessons.rows,
    pupils: pupils.rows,
    marks: marks.rows,
    attendance: attendance.rows,
    forms: forms.rows,
  };
}

export async function rawDiary(pool: pg.Pool, pupilId: number, guardianId: number, from: string, to: string) {
  await pool.query(`SELECT 1 FROM "GuardianLink" WHERE "guardianId" = $1 AND "pupilId" = $2`, [
    guardianId,
    pupilId,
  ]);
  const enrolments = await pool.query(
    `SELECT "classId" FROM "Enrolment" WHERE "pupilId" = $1 AND "joinedOn" <= $3 AND ("leftOn" IS NULL OR "leftOn" > $2)`,
    [pupilId, from, to],
  );
  const lessons = await pool.query(
    `SELECT l.id, l.date, l."lessonNumber", l.topic, l.homework, s.name AS subject,
            (SELECT json_agg(json_build_object('value', m.value, 'weight', m.weight)) FROM "Mark" m WHERE m."lessonId" = l.id AND m."pupilId" = $1) AS marks,
            (SELECT json_agg(a.kind) FROM "Attendance" a WHERE a."lessonId" = l.id AND a."pupilId" = $1) AS attendance
       FROM "Lesson" l JOIN "Subject" s ON s.id = l."subjectId"
      WHERE l."classId" = ANY($2) AND l.date BETWEEN $3 AND $4 ORDER BY l.date, l."lessonNumber"`,
    [pupilId, enrolments.rows.map((r) => r.classId), from, to],
  );
  return lessons.rows;
}
