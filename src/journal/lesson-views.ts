import { z } from "zod";
import { type DbOrTx, Prisma, queryRows } from "../db/client.js";
import type { Attendance, Lesson, Mark } from "../generated/prisma/client.js";
import { loadLesson } from "./access.js";
import { type Actor, hasRole, isSchoolWide } from "./actor.js";
import { forbidden, notFound } from "./errors.js";
import { bySurname, inLessonSql, type LessonPupil, lessonPupils } from "./lesson-pupils.js";
import { loadSchoolToday, schoolNow, schoolToday } from "./rules/calendar.js";
import { marksRefusal } from "./rules/marks.js";
import { id, isoDate, isoOf, parseInput } from "./validate.js";

/** The lesson fields every view of a lesson shows. */
export const lessonView = {
  id: true,
  date: true,
  lessonNumber: true,
  startsAt: true,
  endsAt: true,
  classId: true,
  subgroupId: true,
  subjectId: true,
  teacherId: true,
  substituteId: true,
  topic: true,
  plannedTopicId: true,
  controlFormId: true,
  homework: true,
  homeworkNone: true,
  attendanceAt: true,
} as const;

export type Missing = "attendance" | "topic" | "homework" | "control_marks";

export const teacherDayInput = z.object({ date: isoDate.optional() });

/**
 * The lessons the actor fills on a day (their own unless substituted, and the ones they
 * substitute) with what is still missing in each.
 */
export async function teacherDay(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const data = parseInput(teacherDayInput, input);
  const date = data.date ?? (await loadSchoolToday(db, actor.schoolId)).today;
  // One statement with the relations joined (the ORM loads each relation with a query of its
  // own): the bot asks for the teacher's day on most updates.
  const lessons = await queryRows<DayRow>(
    db,
    Prisma.sql`
    SELECT l.id, l.date, l."lessonNumber", l."startsAt", l."endsAt", l."classId", l."subgroupId",
           l."subjectId", l."teacherId", l."substituteId", l.topic, l."plannedTopicId", l."controlFormId",
           l.homework, l."homeworkNone", l."attendanceAt",
           json_build_object('grade', c.grade, 'letter', c.letter) AS class,
           CASE WHEN g.id IS NULL THEN NULL ELSE json_build_object('name', g.name) END AS subgroup,
           json_build_object('name', s.name, 'graded', s.graded, 'doubleMarks', s."doubleMarks") AS subject,
           CASE WHEN f.id IS NULL THEN NULL
                ELSE json_build_object('id', f.id, 'name', f.name, 'weight', f.weight,
                                       'isControlWork', f."isControlWork") END AS "controlForm"
    FROM "Lesson" l
    JOIN "Class" c ON c.id = l."classId"
    JOIN "AcademicYear" y ON y.id = c."yearId"
    JOIN "Subject" s ON s.id = l."subjectId"
    LEFT JOIN "Subgroup" g ON g.id = l."subgroupId"
    LEFT JOIN "ControlForm" f ON f.id = l."controlFormId"
    WHERE l.date = ${date}::date AND y."schoolId" = ${actor.schoolId}::int
      AND ((l."teacherId" = ${actor.personId}::int AND l."substituteId" IS NULL)
           OR l."substituteId" = ${actor.personId}::int)
    ORDER BY l."lessonNumber", l."startsAt"`,
  );
  const controlLessons = lessons.filter(
    (l) => l.controlForm?.isControlWork && !marksRefusal({ grade: l.class.grade, subject: l.subject }),
  );
  // Control works are rare: a few lookups per day at most, each one query pair.
  const unmarked = new Set<number>();
  for (const l of controlLessons) {
    const [pupils, marks, absent] = await Promise.all([
      lessonPupils(db, l),
      db.mark.findMany({ where: { lessonId: l.id }, select: { pupilId: true } }),
      db.attendance.findMany({ where: { lessonId: l.id, kind: "ABSENT" }, select: { pupilId: true } }),
    ]);
    const done = new Set([...marks, ...absent].map((r) => r.pupilId));
    if (pupils.some((p) => !done.has(p.id))) unmarked.add(l.id);
  }
  return lessons.map((l) => {
    const missing: Missing[] = [];
    if (!l.attendanceAt) missing.push("attendance");
    if (!l.topic) missing.push("topic");
    if (l.class.grade !== 1 && !l.homework && !l.homeworkNone) missing.push("homework");
    if (unmarked.has(l.id)) missing.push("control_marks");
    return {
      ...l,
      date: isoOf(l.date),
      className: `${l.class.grade}${l.class.letter}`,
      substituting: l.substituteId === actor.personId,
      missing,
    };
  });
}
/** The lesson's own columns the views read; the rows add what they join. */
type LessonColumns = Pick<
  Lesson,
  | "id"
  | "lessonNumber"
  | "startsAt"
  | "endsAt"
  | "classId"
  | "subgroupId"
  | "subjectId"
  | "teacherId"
  | "substituteId"
  | "topic"
  | "plannedTopicId"
  | "controlFormId"
  | "homework"
  | "homeworkNone"
>;

interface DayRow extends LessonColumns, Pick<Lesson, "date" | "attendanceAt"> {
  class: { grade: number; letter: string };
  subgroup: { name: string } | null;
  subject: { name: string; graded: boolean; doubleMarks: boolean };
  controlForm: { id: number; name: string; weight: number; isControlWork: boolean } | null;
}

export type TeacherLesson = Awaited<ReturnType<typeof teacherDay>>[number];

/**
 * The lesson the teacher is in now, else the next one today, else the last one today (null on a
 * day without lessons). "Now" is the school's local time; a caller that knows the school's time
 * zone passes it and saves the lookup.
 */
export async function currentLesson(
  db: DbOrTx,
  actor: Actor,
  now: Date = new Date(),
  knownTimeZone?: string,
): Promise<(TeacherLesson & { when: "now" | "next" | "last" }) | null> {
  const timeZone = knownTimeZone ?? (await loadSchoolToday(db, actor.schoolId, now)).timeZone;
  const lessons = await teacherDay(db, actor, { date: schoolToday(timeZone, now) });
  const hhmm = schoolNow(timeZone, now).toFormat("HH:mm");
  const current = lessons.find((l) => l.startsAt <= hhmm && hhmm < l.endsAt);
  if (current) return { ...current, when: "now" };
  const next = lessons.find((l) => l.startsAt > hhmm);
  if (next) return { ...next, when: "next" };
  const last = lessons.at(-1);
  return last ? { ...last, when: "last" } : null;
}

export const lessonSheetInput = z.object({ lessonId: id });

/**
 * One lesson with its pupils (enrolled that day; subgroup members for a subgroup lesson), their
 * marks and attendance: what the teacher sees to fill the lesson in.
 */
export async function lessonSheet(db: DbOrTx, actor: Actor, input: unknown) {
  const data = parseInput(lessonSheetInput, input);
  const scope = await loadLesson(db, actor, data.lessonId);
  const mayRead =
    isSchoolWide(actor) ||
    scope.teacherId === actor.personId ||
    scope.substituteId === actor.personId ||
    (hasRole(actor, "TEACHER", "TUTOR") && scope.class.classTeacherId === actor.personId);
  if (!mayRead)
    throw forbidden("Этот урок видят его учитель, заменяющий, классный руководитель и администрация.");
  // The scope already holds the class and the subject; the rest comes in one statement (the
  // bot opens this sheet for every attendance message and marks line).
  const [row] = await queryRows<SheetRow>(
    db,
    Prisma.sql`
    SELECT
      (SELECT json_build_object(
                'id', l.id, 'date', l.date, 'lessonNumber', l."lessonNumber", 'startsAt', l."startsAt",
                'endsAt', l."endsAt", 'classId', l."classId", 'subgroupId', l."subgroupId",
                'subjectId', l."subjectId", 'teacherId', l."teacherId", 'substituteId', l."substituteId",
                'topic', l.topic, 'plannedTopicId', l."plannedTopicId", 'controlFormId', l."controlFormId",
                'homework', l.homework, 'homeworkNone', l."homeworkNone", 'attendanceAt', l."attendanceAt",
                'plannedTopic', (SELECT json_build_object('id', t.id, 'number', t.number, 'topic', t.topic)
                                 FROM "TopicPlanItem" t WHERE t.id = l."plannedTopicId"))
       FROM "Lesson" l WHERE l.id = ${scope.id}::int) AS lesson,
      (SELECT json_build_object('id', f.id, 'name', f.name, 'weight', f.weight,
                                'isControlWork', f."isControlWork", 'isWritten', f."isWritten")
       FROM "ControlForm" f WHERE f.id = ${scope.controlFormId}::int) AS "controlForm",
      (SELECT json_build_object('id', g.id, 'name', g.name)
       FROM "Subgroup" g WHERE g.id = ${scope.subgroupId}::int) AS subgroup,
      (SELECT json_build_object('id', t.id, 'lastName', t."lastName", 'firstName', t."firstName",
                                'middleName', t."middleName")
       FROM "Person" t WHERE t.id = ${scope.teacherId}::int) AS teacher,
      (SELECT json_build_object('id', t.id, 'lastName', t."lastName", 'firstName', t."firstName",
                                'middleName', t."middleName")
       FROM "Person" t WHERE t.id = ${scope.substituteId}::int) AS substitute,
      COALESCE((SELECT json_agg(json_build_object('id', p.id, 'lastName', p."lastName", 'firstName', p."firstName"))
                FROM "Person" p WHERE ${inLessonSql(scope)}), '[]'::json) AS pupils,
      COALESCE((SELECT json_agg(json_build_object('id', m.id, 'pupilId', m."pupilId", 'value', m.value,
                                                  'value2', m.value2, 'weight', m.weight,
                                                  'controlFormId', m."controlFormId", 'comment', m.comment))
                FROM "Mark" m WHERE m."lessonId" = ${scope.id}::int), '[]'::json) AS marks,
      COALESCE((SELECT json_agg(json_build_object('id', a.id, 'pupilId', a."pupilId", 'kind', a.kind,
                                                  'reason', a.reason))
                FROM "Attendance" a WHERE a."lessonId" = ${scope.id}::int), '[]'::json) AS attendance`,
  );
  const { controlForm, subgroup, marks, attendance, teacher, substitute } = row!;
  if (!row!.lesson) throw notFound("Урок"); // deleted since the scope was read
  const lesson = {
    ...row!.lesson,
    attendanceAt: row!.lesson.attendanceAt === null ? null : new Date(row!.lesson.attendanceAt),
  };
  const pupils = row!.pupils.sort(bySurname);
  const markOf = new Map(marks.map((m) => [m.pupilId, m]));
  const attendanceOf = new Map(attendance.map((a) => [a.pupilId, a]));
  const { grade, letter } = scope.class;
  return {
    ...lesson,
    class: { id: scope.classId, grade, letter },
    className: `${grade}${letter}`,
    subject: { id: scope.subjectId, ...scope.subject },
    subgroup,
    controlForm,
    teacher: teacher!,
    substitute,
    marksAllowed: marksRefusal({ grade, subject: scope.subject }) === null,
    homeworkAllowed: grade !== 1,
    pupils: pupils.map((p) => ({
      pupilId: p.id,
      lastName: p.lastName,
      firstName: p.firstName,
      mark: markOf.get(p.id) ?? null,
      attendance: attendanceOf.get(p.id) ?? null,
    })),
  };
}

interface PersonName {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
}

interface SheetRow {
  lesson:
    | (LessonColumns & {
        /** ISO date and time: JSON brings DATE and TIMESTAMP columns as text. */
        date: string;
        attendanceAt: string | null;
        plannedTopic: { id: number; number: number; topic: string } | null;
      })
    | null;
  controlForm: {
    id: number;
    name: string;
    weight: number;
    isControlWork: boolean;
    isWritten: boolean;
  } | null;
  subgroup: { id: number; name: string } | null;
  teacher: PersonName | null;
  substitute: PersonName | null;
  pupils: LessonPupil[];
  marks: Pick<Mark, "id" | "pupilId" | "value" | "value2" | "weight" | "controlFormId" | "comment">[];
  attendance: Pick<Attendance, "id" | "pupilId" | "kind" | "reason">[];
}
