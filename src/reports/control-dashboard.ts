import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { classSubjectFactsCache } from "../journal/period-facts.js";
import { schoolNow } from "../journal/rules/calendar.js";
import { enteredLate, type FillGap, fillDeadlineOf, lessonGaps } from "../journal/rules/fill.js";
import { dateOnly, id, isoDate, isoOf, parseInput } from "../journal/validate.js";
import { twosNotRechecked } from "./control.js";
import { className, fullName } from "./document.js";
import { requireAdministration } from "./scope.js";

/**
 * The deputy head's control dashboard for any date range (002 §4.5.5, 004 §5.1): per teacher ×
 * class × subject, lessons past their fill deadline with something missing (attendance, topic,
 * homework), attendance entered after the deadline, pupils with a single mark in the range, and
 * a «2» not followed by a mark within the pupil's next two lessons (002 §5.6); totals per teacher
 * and per class. Each row names the period its grid page opens on.
 */
export const CONTROL_DASHBOARD_DAYS = 14;

export const controlDashboardInput = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    classId: id.optional(),
    teacherId: id.optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "начало не позже конца", path: ["to"] });

interface LessonIssue {
  lessonId: number;
  date: string;
  lessonNumber: number;
  /** Who fills the lesson: its substitute, else its teacher. */
  writerId: number;
}

export interface DashboardRow {
  assignmentId: number;
  teacher: { id: number; name: string };
  class: { id: number; name: string };
  subject: { id: number; name: string };
  subgroup: { id: number; name: string } | null;
  /** The period the grid page opens on for this row. */
  periodId: number | null;
  /** Lessons in the range (up to today). */
  lessons: number;
  unfilled: (LessonIssue & { gaps: FillGap[] })[];
  late: (LessonIssue & { enteredAt: Date })[];
  singleMark: { pupilId: number; name: string }[];
  twos: { pupilId: number; name: string; date: string }[];
  totals: Totals;
}

export interface Totals {
  unfilled: number;
  attendance: number;
  topic: number;
  homework: number;
  late: number;
  singleMark: number;
  twos: number;
}

const zero = (): Totals => ({
  unfilled: 0,
  attendance: 0,
  topic: 0,
  homework: 0,
  late: 0,
  singleMark: 0,
  twos: 0,
});

export async function controlDashboard(
  db: DbOrTx,
  actor: Actor,
  input: unknown = {},
  now: Date = new Date(),
) {
  const args = parseInput(controlDashboardInput, input ?? {});
  requireAdministration(actor);
  const school = await db.school.findUniqueOrThrow({
    where: { id: actor.schoolId },
    select: { timeZone: true, fillDeadline: true },
  });
  const local = schoolNow(school.timeZone, now);
  const today = local.toISODate()!;
  const from = args.from ?? local.minus({ days: CONTROL_DASHBOARD_DAYS }).toISODate()!;
  const to = args.to && args.to < today ? args.to : today;
  const due = (date: string) => fillDeadlineOf(date, school.fillDeadline, school.timeZone);
  const asOf = local.toFormat("yyyy-MM-dd HH:mm");
  const empty = {
    from,
    to,
    asOf,
    rows: [] as DashboardRow[],
    teachers: [] as Summary[],
    classes: [] as Summary[],
  };
  if (from > to) return empty;

  // The assignments that had lessons in the range, each with the class and subject it teaches.
  const held = await db.lesson.groupBy({
    by: ["assignmentId"],
    where: {
      class: { year: { schoolId: actor.schoolId } },
      date: { gte: dateOnly(from), lte: dateOnly(to) },
      ...(args.classId ? { classId: args.classId } : {}),
      ...(args.teacherId ? { OR: [{ teacherId: args.teacherId }, { substituteId: args.teacherId }] } : {}),
    },
  });
  const assignments = await db.teachingAssignment.findMany({
    where: { id: { in: held.map((h) => h.assignmentId) } },
    include: { teacher: true, class: true, subject: true, subgroup: true },
  });
  const periods = await db.period.findMany({
    where: { year: { schoolId: actor.schoolId }, kind: { not: "YEAR" } },
    select: { id: true, yearId: true, startDate: true, endDate: true },
    orderBy: { startDate: "asc" },
  });
  /** The grid opens on the period holding `to` (or the last one begun before it) of the year. */
  const periodOf = (yearId: number) => {
    const own = periods.filter((p) => p.yearId === yearId && isoOf(p.startDate) <= to);
    return own.find((p) => isoOf(p.endDate) >= to) ?? own.at(-1) ?? periods.find((p) => p.yearId === yearId);
  };

  // Up to today: a «2» near the range's end is judged on the lessons that followed it.
  const factsOf = classSubjectFactsCache(db, from, today);
  const rows: DashboardRow[] = [];
  for (const a of assignments) {
    const facts = await factsOf(a.classId, a.subjectId);
    const own = facts.lessons.filter((l) => l.assignmentId === a.id);
    const inRange = own.filter((l) => l.date <= to);
    const issue = (l: (typeof own)[number]): LessonIssue => ({
      lessonId: l.id,
      date: l.date,
      lessonNumber: l.lessonNumber,
      writerId: l.substituteId ?? l.teacherId,
    });
    const overdue = inRange.filter((l) => due(l.date).getTime() <= now.getTime());
    const unfilled = overdue
      .map((l) => ({ ...issue(l), gaps: lessonGaps(l, a.class.grade) }))
      .filter((l) => l.gaps.length > 0);
    const late = inRange
      .filter((l) => enteredLate(l.attendanceAt, due(l.date)))
      .map((l) => ({ ...issue(l), enteredAt: l.attendanceAt! }));
    const graded = a.subject.graded && a.class.grade > 1;
    const pupils = facts.pupils.filter((p) => a.subgroupId === null || p.subgroupIds.includes(a.subgroupId));
    const rangeIds = new Set(inRange.map((l) => l.id));
    const heldIds = new Set(own.filter((l) => l.date <= today).map((l) => l.id));
    const marksIn = (pupilId: number) =>
      (facts.marks.get(pupilId) ?? []).filter((m) => rangeIds.has(m.lessonId)).length;
    const singleMark = graded
      ? pupils.filter((p) => marksIn(p.id) === 1).map((p) => ({ pupilId: p.id, name: fullName(p) }))
      : [];
    const twos = graded
      ? pupils.flatMap((p) =>
          twosNotRechecked(facts, p.id, heldIds)
            .filter((date) => date >= from && date <= to)
            .map((date) => ({ pupilId: p.id, name: fullName(p), date })),
        )
      : [];
    const count = (gap: FillGap) => unfilled.filter((l) => l.gaps.includes(gap)).length;
    rows.push({
      assignmentId: a.id,
      teacher: { id: a.teacherId, name: fullName(a.teacher) },
      class: { id: a.classId, name: className(a.class) },
      subject: { id: a.subjectId, name: a.subject.name },
      subgroup: a.subgroup ? { id: a.subgroup.id, name: a.subgroup.name } : null,
      periodId: periodOf(a.class.yearId)?.id ?? null,
      lessons: inRange.length,
      unfilled,
      late,
      singleMark,
      twos,
      totals: {
        unfilled: unfilled.length,
        attendance: count("attendance"),
        topic: count("topic"),
        homework: count("homework"),
        late: late.length,
        singleMark: singleMark.length,
        twos: twos.length,
      },
    });
  }
  rows.sort(
    (x, y) =>
      x.teacher.name.localeCompare(y.teacher.name, "ru") ||
      x.class.name.localeCompare(y.class.name, "ru", { numeric: true }) ||
      x.subject.name.localeCompare(y.subject.name, "ru"),
  );
  // Substitutes who teach nothing of their own in the range still get their name.
  const writerIds = [...new Set(rows.flatMap((r) => [...r.unfilled, ...r.late].map((l) => l.writerId)))];
  const names = new Map(assignments.map((a) => [a.teacherId, fullName(a.teacher)]));
  const missing = writerIds.filter((w) => !names.has(w));
  if (missing.length) {
    const people = await db.person.findMany({
      where: { id: { in: missing }, schoolId: actor.schoolId },
      select: { id: true, lastName: true, firstName: true, middleName: true },
    });
    for (const p of people) names.set(p.id, fullName(p));
  }
  return { from, to, asOf, rows, teachers: byTeacher(rows, names), classes: byClass(rows) };
}
export type ControlDashboard = Awaited<ReturnType<typeof controlDashboard>>;
type Row = DashboardRow;
/** A teacher's or a class's totals over the range. */
export interface Summary {
  id: number;
  name: string;
  totals: Totals;
}

const add = (t: Totals, x: Partial<Totals>) => {
  for (const k of Object.keys(x) as (keyof Totals)[]) t[k] += x[k] ?? 0;
};
const sortByLoad = <T extends { totals: Totals; name: string }>(list: T[]) =>
  list.sort((a, b) => {
    const sum = (t: Totals) => t.unfilled + t.late + t.singleMark + t.twos;
    return sum(b.totals) - sum(a.totals) || a.name.localeCompare(b.name, "ru", { numeric: true });
  });

/**
 * Per teacher: lesson entries count against who fills them (the substitute for a lesson they
 * took), pupils' marks against the assignment's teacher.
 */
function byTeacher(rows: Row[], names: Map<number, string>) {
  const out = new Map<number, Summary>();
  const of = (teacherId: number) => {
    const t = out.get(teacherId) ?? { id: teacherId, name: names.get(teacherId) ?? "", totals: zero() };
    out.set(teacherId, t);
    return t.totals;
  };
  for (const r of rows) {
    of(r.teacher.id);
    for (const l of r.unfilled) {
      add(of(l.writerId), {
        unfilled: 1,
        attendance: +l.gaps.includes("attendance"),
        topic: +l.gaps.includes("topic"),
        homework: +l.gaps.includes("homework"),
      });
    }
    for (const l of r.late) add(of(l.writerId), { late: 1 });
    add(of(r.teacher.id), { singleMark: r.singleMark.length, twos: r.twos.length });
  }
  return sortByLoad([...out.values()]);
}

function byClass(rows: Row[]) {
  const out = new Map<number, Summary>();
  for (const r of rows) {
    const c = out.get(r.class.id) ?? { id: r.class.id, name: r.class.name, totals: zero() };
    add(c.totals, r.totals);
    out.set(r.class.id, c);
  }
  return sortByLoad([...out.values()]);
}
