import { z } from "zod";
import { type DbOrTx, Prisma, queryRows } from "../db/client.js";
import type { AbsenceReason, AttendanceKind } from "../generated/prisma/enums.js";
import { type Actor, CORRECTORS, hasRole, isSchoolWide } from "./actor.js";
import { forbidden, notFound } from "./errors.js";
import { bySurname } from "./lesson-pupils.js";
import { overlapsSql } from "./membership.js";
import { explainAverage, type WeightedMark, weightedAverage } from "./rules/averages.js";
import { isMarkLocked, loadCalendar } from "./rules/calendar.js";
import { id, parseInput } from "./validate.js";

/** A mark as the journal page and the diary show it in a cell. */
export interface CellMark {
  id: number;
  value: string;
  value2: string | null;
  weight: number;
  comment: string | null;
  controlForm: { id: number; name: string } | null;
}

export interface GridCell {
  pupilId: number;
  lessonId: number;
  /** On the journal page a mark also says whether its lock window is over (003 §7). */
  mark?: CellMark & { locked: boolean };
  attendance?: { id: number; kind: AttendanceKind; reason: AbsenceReason | null };
}

export const journalGridInput = z.object({
  classId: id,
  subjectId: id,
  periodId: id,
  subgroupId: id.optional(),
});

interface GridRow {
  cls: { id: number; grade: number; letter: string; yearId: number; classTeacherId: number | null } | null;
  period: { id: number; name: string; yearId: number; startDate: string; endDate: string } | null;
  subject: { id: number; name: string; graded: boolean; doubleMarks: boolean } | null;
  teaches: boolean;
  subgroup: { id: number; name: string } | null;
  forms: { id: number; name: string; weight: number; isControlWork: boolean }[];
  lessons: {
    id: number;
    date: string;
    lessonNumber: number;
    subgroupId: number | null;
    topic: string | null;
    homework: string | null;
    homeworkNone: boolean;
    controlFormId: number | null;
  }[];
  enrolments: { pupilId: number; joinedOn: string; leftOn: string | null }[];
  people: { id: number; lastName: string; firstName: string }[];
  marks: {
    id: number;
    lessonId: number;
    pupilId: number;
    value: string;
    value2: string | null;
    weight: number;
    comment: string | null;
    controlFormId: number | null;
    createdAt: string;
    lockAt: string | null;
  }[];
  attendance: {
    id: number;
    lessonId: number;
    pupilId: number;
    kind: AttendanceKind;
    reason: AbsenceReason | null;
  }[];
}

/** journalGrid's one statement; the API benchmark runs it on raw pg as the bound. */
export function journalGridSql(actor: Actor, data: z.infer<typeof journalGridInput>): Prisma.Sql {
  const sg = data.subgroupId ?? null;
  return Prisma.sql`
    WITH per AS (
      SELECT p.id, p.name, p."yearId", p."startDate", p."endDate"
      FROM "Period" p JOIN "AcademicYear" y ON y.id = p."yearId"
      WHERE p.id = ${data.periodId}::int AND y."schoolId" = ${actor.schoolId}::int
    ), les AS (
      SELECT l.id, l.date, l."lessonNumber", l."subgroupId", l.topic, l.homework, l."homeworkNone",
             l."controlFormId"
      FROM "Lesson" l, per
      WHERE l."classId" = ${data.classId}::int AND l."subjectId" = ${data.subjectId}::int
        AND l.date >= per."startDate" AND l.date <= per."endDate"
        AND (${sg}::int IS NULL OR l."subgroupId" = ${sg}::int)
    ), enr AS (
      SELECT e."pupilId", e."joinedOn", e."leftOn"
      FROM "Enrolment" e, per
      WHERE e."classId" = ${data.classId}::int
        AND ${overlapsSql("e", Prisma.raw(`per."startDate"`), Prisma.raw(`per."endDate"`))}
    )
    SELECT
      (SELECT json_build_object('id', c.id, 'grade', c.grade, 'letter', c.letter, 'yearId', c."yearId",
                                'classTeacherId', c."classTeacherId")
       FROM "Class" c JOIN "AcademicYear" y ON y.id = c."yearId"
       WHERE c.id = ${data.classId}::int AND y."schoolId" = ${actor.schoolId}::int) AS cls,
      (SELECT row_to_json(per) FROM per) AS period,
      (SELECT json_build_object('id', s.id, 'name', s.name, 'graded', s.graded, 'doubleMarks', s."doubleMarks")
       FROM "Subject" s WHERE s.id = ${data.subjectId}::int AND s."schoolId" = ${actor.schoolId}::int) AS subject,
      -- A subgroup's teacher reads the page of that subgroup only (002 §9.1.3).
      EXISTS (SELECT 1 FROM "TeachingAssignment" a
              WHERE a."classId" = ${data.classId}::int AND a."subjectId" = ${data.subjectId}::int
                AND a."teacherId" = ${actor.personId}::int
                AND (a."subgroupId" IS NULL OR a."subgroupId" = ${sg}::int)) AS teaches,
      (SELECT json_build_object('id', g.id, 'name', g.name) FROM "Subgroup" g
       WHERE g.id = ${sg}::int AND g."classId" = ${data.classId}::int) AS subgroup,
      COALESCE((SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'weight', f.weight,
                                                  'isControlWork', f."isControlWork"))
                FROM "ControlForm" f WHERE f."schoolId" = ${actor.schoolId}::int), '[]'::json) AS forms,
      COALESCE((SELECT json_agg(les ORDER BY les.date, les."lessonNumber") FROM les), '[]'::json) AS lessons,
      COALESCE((SELECT json_agg(enr) FROM enr), '[]'::json) AS enrolments,
      COALESCE((SELECT json_agg(json_build_object('id', p.id, 'lastName', p."lastName", 'firstName', p."firstName"))
                FROM "Person" p
                WHERE p.id IN (SELECT "pupilId" FROM enr)
                  -- Everyone who was in the subgroup during the period, so a pupil regrouped
                  -- since keeps the marks of their lessons here.
                  AND (${sg}::int IS NULL OR EXISTS (SELECT 1 FROM "SubgroupMember" sm, per
                                                     WHERE sm."pupilId" = p.id AND sm."subgroupId" = ${sg}::int
                                                       AND ${overlapsSql("sm", Prisma.raw(`per."startDate"`), Prisma.raw(`per."endDate"`))}))),
               '[]'::json) AS people,
      COALESCE((SELECT json_agg(json_build_object('id', m.id, 'lessonId', m."lessonId", 'pupilId', m."pupilId",
                                                  'value', m.value, 'value2', m.value2, 'weight', m.weight,
                                                  'comment', m.comment, 'controlFormId', m."controlFormId",
                                                  'createdAt', m."createdAt", 'lockAt', m."lockAt"))
                FROM "Mark" m WHERE m."lessonId" IN (SELECT id FROM les)), '[]'::json) AS marks,
      COALESCE((SELECT json_agg(json_build_object('id', a.id, 'lessonId', a."lessonId", 'pupilId', a."pupilId",
                                                  'kind', a.kind, 'reason', a.reason))
                FROM "Attendance" a WHERE a."lessonId" IN (SELECT id FROM les)), '[]'::json) AS attendance`;
}

/**
 * The journal page of a class × subject × period: lessons as columns, pupils as rows, marks and
 * attendance in the cells, weighted averages at the end. One statement: the scope (class,
 * period, subject, whether the actor teaches it) and the page itself; the page is returned only
 * after the scope checks pass. Dates come as ISO text from JSON.
 */
export async function journalGrid(db: DbOrTx, actor: Actor, input: unknown) {
  const data = parseInput(journalGridInput, input);
  const [[row], cal] = await Promise.all([
    queryRows<GridRow>(db, journalGridSql(actor, data)),
    loadCalendar(db, actor.schoolId),
  ]);
  const now = new Date();
  const { cls, period, subject, subgroup, forms, lessons, enrolments, people, marks, attendance } = row!;
  if (!cls) throw notFound("Класс");
  if (!subject) throw notFound("Предмет");
  if (!period || period.yearId !== cls.yearId) throw notFound("Период");
  if (data.subgroupId && !subgroup) throw notFound("Подгруппа");
  if (!isSchoolWide(actor) && cls.classTeacherId !== actor.personId && !row!.teaches) {
    throw forbidden(
      "Страницу журнала видят учитель этого предмета в классе, классный руководитель и администрация.",
    );
  }

  // A pupil who left and came back has two enrolments: one row spanning both.
  const pupilRows = new Map<
    number,
    { pupilId: number; lastName: string; firstName: string; from: string; to: string | null }
  >();
  const person = new Map(people.map((p) => [p.id, p]));
  for (const e of enrolments) {
    const p = person.get(e.pupilId);
    if (!p) continue; // not in the subgroup
    const row = pupilRows.get(p.id);
    const joined = e.joinedOn;
    const left = e.leftOn;
    if (!row) {
      pupilRows.set(p.id, {
        pupilId: p.id,
        lastName: p.lastName,
        firstName: p.firstName,
        from: joined,
        to: left,
      });
    } else {
      // ISO dates: string order is date order.
      if (joined < row.from) row.from = joined;
      if (row.to !== null && (left === null || left > row.to)) row.to = left;
    }
  }
  const pupils = [...pupilRows.values()].sort(bySurname);

  const lessonOrder = new Map(lessons.map((l, i) => [l.id, i]));
  const cells = new Map<string, GridCell>();
  const cell = (pupilId: number, lessonId: number) => {
    const key = `${pupilId}:${lessonId}`;
    const found = cells.get(key);
    if (found) return found;
    const c: GridCell = { pupilId, lessonId };
    cells.set(key, c);
    return c;
  };
  const marksOf = new Map<number, (WeightedMark & { order: number })[]>();
  const formOf = new Map(forms.map((f) => [f.id, f]));
  for (const m of marks) {
    const form = m.controlFormId ? formOf.get(m.controlFormId) : undefined;
    cell(m.pupilId, m.lessonId).mark = {
      id: m.id,
      value: m.value,
      value2: m.value2,
      weight: m.weight,
      comment: m.comment,
      controlForm: form ? { id: form.id, name: form.name } : null,
      locked: isMarkLocked(
        { createdAt: new Date(m.createdAt), lockAt: m.lockAt === null ? null : new Date(m.lockAt) },
        now,
        cal,
      ),
    };
    const list = marksOf.get(m.pupilId) ?? [];
    list.push({ ...m, formName: form?.name ?? null, order: lessonOrder.get(m.lessonId) ?? 0 });
    marksOf.set(m.pupilId, list);
  }
  for (const a of attendance) {
    cell(a.pupilId, a.lessonId).attendance = { id: a.id, kind: a.kind, reason: a.reason };
  }
  const averages = pupils.map((p) => {
    const list = (marksOf.get(p.pupilId) ?? []).sort((a, b) => a.order - b.order);
    return {
      pupilId: p.pupilId,
      average: weightedAverage(list),
      count: list.length,
      explanation: explainAverage(list),
    };
  });

  return {
    class: { id: cls.id, name: `${cls.grade}${cls.letter}` },
    subject,
    subgroup,
    period: { id: period.id, name: period.name, startDate: period.startDate, endDate: period.endDate },
    lessons: lessons.map(({ controlFormId, ...l }) => ({
      ...l,
      controlForm: (controlFormId && formOf.get(controlFormId)) || null,
    })),
    pupils,
    cells: [...cells.values()],
    averages,
    canCorrect: hasRole(actor, ...CORRECTORS),
  };
}
