import { z } from "zod";
import { type DbOrTx, Prisma, queryRows } from "../db/client.js";
import type { AbsenceReason, AttendanceKind } from "../generated/prisma/enums.js";
import { type PupilAccessRow, pupilAccessSql, pupilReadable, requirePupilReadable } from "./access.js";
import { type Actor, hasRole } from "./actor.js";
import { notFound, validation } from "./errors.js";
import type { CellMark } from "./grid.js";
import { bySurname } from "./lesson-pupils.js";
import { enrolledOn, inForceSql, memberSql } from "./membership.js";
import { explainAverage, markToLift, weightedAverage } from "./rules/averages.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, isoDate, isoOf, parseInput } from "./validate.js";

const MAX_DAYS = 62;

export const diaryInput = z
  .object({ pupilId: id, from: isoDate, to: isoDate })
  .refine((v) => v.from <= v.to, { message: "начало периода не позже конца", path: ["to"] });

const dayMs = 86_400_000;

/**
 * diary's one statement: the access check and the page (returned only if the check passes), as
 * the diary is what guardians open most and every round trip counts. The API benchmark runs it
 * on raw pg as the bound.
 */
export function diarySql(actor: Actor, data: z.infer<typeof diaryInput>): Prisma.Sql {
  return Prisma.sql`
    SELECT (SELECT row_to_json(a) FROM (${pupilAccessSql(actor, data.pupilId)}) a) AS access,
           COALESCE((SELECT json_agg(r ORDER BY r.date, r."lessonNumber") FROM (
      SELECT l.id, l."lessonNumber", l."startsAt", l."endsAt", l.topic, l.homework, l."homeworkNone",
             l."substituteId", l.date, s.id AS "subjectId", s.name AS "subjectName",
             f.id AS "formId", f.name AS "formName", f.weight AS "formWeight",
             a.kind::text AS "attendanceKind", a.reason::text AS "attendanceReason",
             COALESCE((
               SELECT json_agg(json_build_object(
                        'id', m.id, 'value', m.value, 'value2', m.value2, 'weight', m.weight,
                        'comment', m.comment,
                        'controlForm', CASE WHEN mf.id IS NULL THEN NULL
                                            ELSE json_build_object('id', mf.id, 'name', mf.name) END)
                      ORDER BY m.id)
               FROM "Mark" m LEFT JOIN "ControlForm" mf ON mf.id = m."controlFormId"
               WHERE m."lessonId" = l.id AND m."pupilId" = ${data.pupilId}::int), '[]'::json) AS marks
      -- From the pupil's enrolments to their classes' lessons (by the class-and-date index, not
      -- every lesson of the school that week); lessons of a class the pupil was not in that day
      -- (before joining, after leaving) are not theirs.
      FROM "Enrolment" e
      JOIN "Lesson" l ON l."classId" = e."classId" AND l.date BETWEEN ${data.from}::date AND ${data.to}::date
                     AND ${inForceSql("e", Prisma.raw("l.date"))}
      JOIN "Subject" s ON s.id = l."subjectId"
      LEFT JOIN "ControlForm" f ON f.id = l."controlFormId"
      LEFT JOIN "Attendance" a ON a."lessonId" = l.id AND a."pupilId" = ${data.pupilId}::int
      WHERE e."pupilId" = ${data.pupilId}::int
        -- A subgroup's lessons are the pupil's while they were in it (regrouping keeps history).
        AND (l."subgroupId" IS NULL
             OR ${memberSql(Prisma.sql`${data.pupilId}::int`, Prisma.raw(`l."subgroupId"`), Prisma.raw("l.date"))})
           ) r), '[]'::json) AS rows`;
}

/**
 * The pupil's diary (ЭД): day by day, each lesson with its subject, topic, homework, the pupil's
 * marks (with form and weight) and attendance. Read by the pupil, their guardians, their
 * teachers and the administration.
 */
export async function diary(db: DbOrTx, actor: Actor, input: unknown): Promise<DiaryDay[]> {
  const data = parseInput(diaryInput, input);
  const from = dateOnly(data.from);
  const to = dateOnly(data.to);
  if ((to.getTime() - from.getTime()) / dayMs >= MAX_DAYS) {
    throw validation(`Дневник показывается не больше чем за ${MAX_DAYS} дня: выберите период короче.`);
  }
  const [result] = await queryRows<{ access: PupilAccessRow | null; rows: DiaryRow[] }>(
    db,
    diarySql(actor, data),
  );
  if (!pupilReadable(actor, data.pupilId, result?.access)) throw notFound("Ученик");
  const days = new Map<string, DiaryLesson[]>();
  for (const l of result!.rows) {
    const date = l.date;
    const list = days.get(date) ?? [];
    list.push({
      lessonId: l.id,
      lessonNumber: l.lessonNumber,
      startsAt: l.startsAt,
      endsAt: l.endsAt,
      subject: { id: l.subjectId, name: l.subjectName },
      topic: l.topic,
      homework: l.homework,
      homeworkNone: l.homeworkNone,
      controlForm: l.formId === null ? null : { id: l.formId, name: l.formName!, weight: l.formWeight! },
      substituted: l.substituteId !== null,
      marks: l.marks,
      attendance: l.attendanceKind === null ? null : { kind: l.attendanceKind, reason: l.attendanceReason },
    });
    days.set(date, list);
  }
  return [...days].map(([date, dayLessons]): DiaryDay => ({ date, lessons: dayLessons }));
}

interface DiaryRow {
  id: number;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  topic: string | null;
  homework: string | null;
  homeworkNone: boolean;
  substituteId: number | null;
  /** "YYYY-MM-DD": the row comes as JSON. */
  date: string;
  subjectId: number;
  subjectName: string;
  formId: number | null;
  formName: string | null;
  formWeight: number | null;
  attendanceKind: AttendanceKind | null;
  attendanceReason: AbsenceReason | null;
  marks: DiaryLesson["marks"];
}

export interface DiaryLesson {
  lessonId: number;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  subject: { id: number; name: string };
  topic: string | null;
  homework: string | null;
  homeworkNone: boolean;
  controlForm: { id: number; name: string; weight: number } | null;
  substituted: boolean;
  marks: CellMark[];
  attendance: { kind: AttendanceKind; reason: AbsenceReason | null } | null;
}
export interface DiaryDay {
  date: string;
  lessons: DiaryLesson[];
}

export const subjectMarksInput = z.object({ pupilId: id, subjectId: id, periodId: id.optional() });

/**
 * A pupil's marks in one subject over a period (the current one by default), with the weighted
 * average, what it is made of and which mark would lift it.
 */
export async function subjectMarks(db: DbOrTx, actor: Actor, input: unknown) {
  const data = parseInput(subjectMarksInput, input);
  await requirePupilReadable(db, actor, data.pupilId);
  const [subject, forms, period] = await Promise.all([
    db.subject.findFirst({
      where: { id: data.subjectId, schoolId: actor.schoolId },
      select: { id: true, name: true },
    }),
    db.controlForm.findMany({ where: { schoolId: actor.schoolId }, select: { name: true, weight: true } }),
    findPeriod(db, actor, data.periodId),
  ]);
  if (!subject) throw notFound("Предмет");
  const rows = await db.mark.findMany({
    where: {
      pupilId: data.pupilId,
      lesson: {
        subjectId: subject.id,
        ...(period ? { date: { gte: period.startDate, lte: period.endDate } } : {}),
      },
    },
    orderBy: [{ lesson: { date: "asc" } }, { lesson: { lessonNumber: "asc" } }],
    select: {
      id: true,
      value: true,
      value2: true,
      weight: true,
      comment: true,
      lesson: { select: { id: true, date: true } },
      controlForm: { select: { id: true, name: true } },
    },
  });
  const marks = rows.map((m) => ({
    id: m.id,
    lessonId: m.lesson.id,
    date: isoOf(m.lesson.date),
    value: m.value,
    value2: m.value2,
    weight: m.weight,
    comment: m.comment,
    controlForm: m.controlForm,
    formName: m.controlForm?.name ?? null,
  }));
  // One answer per weight the school uses: "a 5 for an oral answer, or a 4 for a test".
  const weights = [...new Set([1, ...forms.map((f) => f.weight)])].sort((a, b) => a - b);
  return {
    subject,
    period: period
      ? {
          id: period.id,
          name: period.name,
          startDate: isoOf(period.startDate),
          endDate: isoOf(period.endDate),
        }
      : null,
    marks,
    average: weightedAverage(marks),
    explanation: explainAverage(marks),
    lift: weights.map((weight) => ({
      weight,
      forms: forms.filter((f) => f.weight === weight).map((f) => f.name),
      mark: markToLift(marks, weight),
    })),
  };
}

/** Enrolments in force on a day (membership.ts). */
export { enrolledOn };

export const childSubjectsInput = z.object({ pupilId: id, date: isoDate.optional() });

/**
 * The graded subjects of the pupil's class on a date (default today), by name: the list a
 * guardian opens a subject's marks from. Ungraded subjects are left out, they have no marks to
 * show. Readable by whoever may read the pupil's diary.
 */
export async function childSubjects(db: DbOrTx, actor: Actor, input: unknown) {
  const data = parseInput(childSubjectsInput, input);
  const day = dateOnly(data.date ?? (await loadSchoolToday(db, actor.schoolId)).today);
  // The check and the list in parallel, as in diary(): the list is returned only if the check passes.
  const [, subjects] = await Promise.all([
    requirePupilReadable(db, actor, data.pupilId),
    db.subject.findMany({
      where: {
        schoolId: actor.schoolId,
        graded: true,
        assignments: {
          some: { class: { enrolments: { some: { pupilId: data.pupilId, ...enrolledOn(day) } } } },
        },
      },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
  ]);
  return subjects;
}

/** The given period, or the one in progress, or the last one that has started (in holidays). */
/** The period asked for (in the actor's school), or the current one: the last begun term, not the year. */
export async function findPeriod(db: DbOrTx, actor: Actor, periodId: number | undefined) {
  const select = { id: true, name: true, startDate: true, endDate: true } as const;
  if (periodId) {
    const period = await db.period.findFirst({
      where: { id: periodId, year: { schoolId: actor.schoolId } },
      select,
    });
    if (!period) throw notFound("Период");
    return period;
  }
  const { today } = await loadSchoolToday(db, actor.schoolId);
  return db.period.findFirst({
    where: { year: { schoolId: actor.schoolId }, kind: { not: "YEAR" }, startDate: { lte: dateOnly(today) } },
    orderBy: { startDate: "desc" },
    select,
  });
}

/** The children a guardian follows (a pupil sees themself), each with today's class. */
export async function childrenOf(db: DbOrTx, actor: Actor) {
  const { today } = await loadSchoolToday(db, actor.schoolId);
  const day = dateOnly(today);
  const ids = hasRole(actor, "GUARDIAN")
    ? (
        await db.guardianLink.findMany({ where: { guardianId: actor.personId }, select: { pupilId: true } })
      ).map((l) => l.pupilId)
    : [];
  if (hasRole(actor, "PUPIL")) ids.push(actor.personId);
  if (ids.length === 0) return [];
  const pupils = await db.person.findMany({
    where: { id: { in: ids }, schoolId: actor.schoolId },
    select: {
      id: true,
      lastName: true,
      firstName: true,
      middleName: true,
      enrolments: {
        where: enrolledOn(day),
        select: { class: { select: { id: true, grade: true, letter: true } } },
        take: 1,
      },
    },
  });
  return pupils.sort(bySurname).map((p) => {
    const cls = p.enrolments[0]?.class;
    return {
      pupilId: p.id,
      lastName: p.lastName,
      firstName: p.firstName,
      middleName: p.middleName,
      class: cls ? { ...cls, name: `${cls.grade}${cls.letter}` } : null,
    };
  });
}
