import { type DbOrTx, Prisma, queryRows } from "../db/client.js";
import type { Role } from "../generated/prisma/enums.js";
import { type Actor, hasRole, isSchoolWide } from "./actor.js";
import { forbidden, notFound } from "./errors.js";

/**
 * Scope checks shared by every service. Data of another school answers "not found", so that a
 * user of school A cannot even learn what exists in school B.
 */

export function requireRole(actor: Actor, ...roles: readonly Role[]): void {
  if (!hasRole(actor, ...roles)) throw forbidden();
}

/** Journal writes that only the deputy head and the journal admin make school-wide. */
export const canActSchoolWide = (actor: Actor) => hasRole(actor, "ADMIN", "DEPUTY");

export function requireSchool(actor: Actor, schoolId: number, what = "Объект"): void {
  if (actor.schoolId !== schoolId) throw notFound(what);
}

interface LessonScopeRow {
  id: number;
  date: Date;
  teacherId: number;
  substituteId: number | null;
  classId: number;
  subgroupId: number | null;
  subjectId: number;
  controlFormId: number | null;
  grade: number;
  letter: string;
  classTeacherId: number | null;
  schoolId: number;
  timeZone: string;
  subjectName: string;
  graded: boolean;
  doubleMarks: boolean;
}

/**
 * The lesson with what every rule about it needs (class, grade, school and its time zone, subject
 * flags), in one round trip: it sits on the path of every journal write.
 */
export async function loadLesson(db: DbOrTx, actor: Actor, lessonId: number) {
  return (await loadLessonWith(db, actor, lessonId)).lesson;
}

/** loadLessonWith's statement; the API benchmark runs the marks column's on raw pg as the bound. */
export function lessonWithSql(lessonId: number, columns?: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT l.id, l.date, l."teacherId", l."substituteId", l."classId", l."subgroupId", l."subjectId",
           l."controlFormId", c.grade, c.letter, c."classTeacherId", y."schoolId", sc."timeZone",
           s.name AS "subjectName", s.graded, s."doubleMarks" ${columns ? Prisma.sql`, ${columns}` : Prisma.empty}
    FROM "Lesson" l
    JOIN "Class" c ON c.id = l."classId"
    JOIN "AcademicYear" y ON y.id = c."yearId"
    JOIN "School" sc ON sc.id = y."schoolId"
    JOIN "Subject" s ON s.id = l."subjectId"
    WHERE l.id = ${lessonId}::int`;
}

/**
 * loadLesson, with more `columns` computed over the same lesson row `l` in the same statement: a
 * write reads its lesson and what it changes in one round trip. Nothing of `extra` may be shown
 * before the caller's scope checks pass.
 */
export async function loadLessonWith<X extends object = object>(
  db: DbOrTx,
  actor: Actor,
  lessonId: number,
  columns?: Prisma.Sql,
) {
  const [row] = await queryRows<LessonScopeRow & X>(db, lessonWithSql(lessonId, columns));
  if (!row || row.schoolId !== actor.schoolId) throw notFound("Урок");
  const lesson = {
    id: row.id,
    date: row.date,
    teacherId: row.teacherId,
    substituteId: row.substituteId,
    classId: row.classId,
    subgroupId: row.subgroupId,
    subjectId: row.subjectId,
    controlFormId: row.controlFormId,
    class: {
      grade: row.grade,
      letter: row.letter,
      classTeacherId: row.classTeacherId,
      year: { schoolId: row.schoolId },
    },
    timeZone: row.timeZone,
    subject: { name: row.subjectName, graded: row.graded, doubleMarks: row.doubleMarks },
  };
  return { lesson, extra: row as X };
}
export type ScopedLesson = Awaited<ReturnType<typeof loadLesson>>;

/** Who fills a lesson's journal: the substitute if one took it, else its teacher (002 §4.4.3). */
export const lessonWriterId = (lesson: { teacherId: number; substituteId: number | null }) =>
  lesson.substituteId ?? lesson.teacherId;

/** A lesson the actor may write to: theirs, one they substitute, or any for deputy head/admin. */
export async function loadLessonForWrite(db: DbOrTx, actor: Actor, lessonId: number) {
  const lesson = await loadLesson(db, actor, lessonId);
  requireWriter(actor, lesson);
  return lesson;
}

export function requireWriter(actor: Actor, lesson: { teacherId: number; substituteId: number | null }) {
  if (lessonWriterId(lesson) !== actor.personId && !canActSchoolWide(actor)) {
    throw forbidden(
      lesson.substituteId && lesson.teacherId === actor.personId
        ? "Этот урок провёл заменяющий учитель: журнал за него заполняет он."
        : "Это не ваш урок: заполнять журнал может учитель, который его ведёт или заменяет.",
    );
  }
}

export async function isClassTeacherOf(db: DbOrTx, actor: Actor, classId: number): Promise<boolean> {
  const cls = await db.class.findFirst({
    where: { id: classId, classTeacherId: actor.personId, year: { schoolId: actor.schoolId } },
    select: { id: true },
  });
  return cls !== null;
}

/** Class-teacher business (absence reasons, messages to the class): class teacher or school-wide. */
export async function requireClassTeacher(db: DbOrTx, actor: Actor, classId: number): Promise<void> {
  const cls = await db.class.findUnique({
    where: { id: classId },
    select: { year: { select: { schoolId: true } } },
  });
  if (!cls || cls.year.schoolId !== actor.schoolId) throw notFound("Класс");
  if (canActSchoolWide(actor)) return;
  if (!(await isClassTeacherOf(db, actor, classId))) {
    throw forbidden("Это может сделать классный руководитель этого класса или заместитель директора.");
  }
}

/** What `pupilReadable` decides on: the pupil's school and the actor's ties to the pupil. */
export interface PupilAccessRow {
  schoolId: number;
  guardian: boolean;
  teaches: boolean;
}

/**
 * SQL: whether `teacherId` takes part in teaching the pupil `pupil` (a column or a value) of the
 * class `classCol`: leads the class, teaches it a subject, or substituted a lesson of it — a
 * subgroup's teacher (or substitute) only for the pupils of that subgroup (002 §9.1.3).
 */
export const teachesPupilSql = (teacherId: number, pupil: Prisma.Sql, classCol: Prisma.Sql) => Prisma.sql`(
    EXISTS (SELECT 1 FROM "Class" tc WHERE tc.id = ${classCol} AND tc."classTeacherId" = ${teacherId}::int)
    OR EXISTS (SELECT 1 FROM "TeachingAssignment" ta
               WHERE ta."classId" = ${classCol} AND ta."teacherId" = ${teacherId}::int
                 AND (ta."subgroupId" IS NULL OR EXISTS (SELECT 1 FROM "SubgroupMember" tm
                      WHERE tm."subgroupId" = ta."subgroupId" AND tm."pupilId" = ${pupil})))
    OR EXISTS (SELECT 1 FROM "Lesson" tl
               WHERE tl."classId" = ${classCol} AND tl."substituteId" = ${teacherId}::int
                 AND (tl."subgroupId" IS NULL OR EXISTS (SELECT 1 FROM "SubgroupMember" tm
                      WHERE tm."subgroupId" = tl."subgroupId" AND tm."pupilId" = ${pupil}))))`;

/** The row of `PupilAccessRow` as SQL, to be asked alone or inside a bigger read (one round trip). */
export const pupilAccessSql = (actor: Actor, pupilId: number) => Prisma.sql`
    SELECT p."schoolId",
      EXISTS (SELECT 1 FROM "GuardianLink" g WHERE g."guardianId" = ${actor.personId}::int AND g."pupilId" = p.id)
        AS guardian,
      EXISTS (
        SELECT 1 FROM "Enrolment" e
        WHERE e."pupilId" = p.id AND ${teachesPupilSql(actor.personId, Prisma.sql`p.id`, Prisma.sql`e."classId"`)}
      ) AS teaches
    FROM "Person" p WHERE p.id = ${pupilId}::int`;

/**
 * The pupils of a class the actor may read, or null for all of them (the administration, the
 * class teacher, a teacher of a whole-class subject). A subgroup's teacher gets its members.
 */
export async function readablePupilsOfClass(
  db: DbOrTx,
  actor: Actor,
  classId: number,
): Promise<Set<number> | null> {
  if (isSchoolWide(actor)) return null;
  const rows = await queryRows<{ pupilId: number }>(
    db,
    Prisma.sql`SELECT DISTINCT e."pupilId" FROM "Enrolment" e
      WHERE e."classId" = ${classId}::int
        AND ${teachesPupilSql(actor.personId, Prisma.sql`e."pupilId"`, Prisma.sql`e."classId"`)}`,
  );
  const all = await queryRows<{ n: number }>(
    db,
    Prisma.sql`SELECT count(DISTINCT e."pupilId")::int AS n FROM "Enrolment" e WHERE e."classId" = ${classId}::int`,
  );
  return rows.length === all[0]?.n ? null : new Set(rows.map((r) => r.pupilId));
}

/**
 * Who may read a pupil's data: the pupil, their guardians, staff who teach them or lead their
 * class (002 §9.1.3), and the school's administration.
 */
export function pupilReadable(
  actor: Actor,
  pupilId: number,
  row: PupilAccessRow | null | undefined,
): boolean {
  if (!row || row.schoolId !== actor.schoolId) return false;
  if (actor.personId === pupilId || isSchoolWide(actor)) return true;
  return (hasRole(actor, "GUARDIAN") && row.guardian) || (hasRole(actor, "TEACHER", "TUTOR") && row.teaches);
}

export async function canReadPupil(db: DbOrTx, actor: Actor, pupilId: number): Promise<boolean> {
  const [row] = await queryRows<PupilAccessRow>(db, pupilAccessSql(actor, pupilId));
  return pupilReadable(actor, pupilId, row);
}

export async function requirePupilReadable(db: DbOrTx, actor: Actor, pupilId: number): Promise<void> {
  if (!(await canReadPupil(db, actor, pupilId))) throw notFound("Ученик");
}
