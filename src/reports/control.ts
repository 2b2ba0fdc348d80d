import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { type ClassSubjectFacts, classSubjectFactsCache } from "../journal/period-facts.js";
import { schoolNow } from "../journal/rules/calendar.js";
import { type FillGap, fillDeadlineOf, lessonGaps } from "../journal/rules/fill.js";
import { minMarksForLoad } from "../journal/rules/period-marks.js";
import { dateOnly, id, isoOf, parseInput } from "../journal/validate.js";
import { className, ddmm, fullName, type ReportDocument, russianDate, russianRange } from "./document.js";
import { loadPeriod, requireAdministration } from "./scope.js";

/**
 * The deputy head's control of how the journal is kept (002 §4.5.5, 004 §5.1), per teacher and
 * class × subject, over a period up to today:
 * - lessons whose fill deadline (the lesson day at the school's fillDeadline) passed without a
 *   topic, attendance, or homework (homework is not asked in grade 1);
 * - control works where a pupil present has no mark (002 §5.7);
 * - pupils with fewer marks than the weekly load requires for the period, and with a single mark;
 * - a "2" not followed by a mark within the pupil's next two lessons (002 §5.6); flagged only
 *   once those two lessons have taken place;
 * - lessons by the topic plan (КТП hours planned up to today) and in fact (lessons held), and how
 *   many the teacher is behind.
 */
export const controlReportInput = z.object({
  periodId: id,
  classId: id.optional(),
  teacherId: id.optional(),
});

/**
 * Marks a pupil should have by now: the period's minimum for the load (004 §6.1) in proportion to
 * the lessons held out of the lessons the period will have, all of it once the period is over;
 * nothing before the first lesson.
 */
export function requiredToDate(minMarks: number, held: number, planned: number, periodOver: boolean): number {
  if (periodOver || planned <= held) return minMarks;
  if (held === 0) return 0;
  return Math.max(1, Math.ceil((minMarks * held) / planned));
}

export function twosNotRechecked(facts: ClassSubjectFacts, pupilId: number, heldIds: Set<number>) {
  const lessons = facts.lessonsOf(pupilId).filter((l) => heldIds.has(l.id));
  const marks = facts.marks.get(pupilId) ?? [];
  const out: string[] = [];
  for (const [i, l] of lessons.entries()) {
    const m = marks.find((x) => x.lessonId === l.id);
    if (!m || (m.value !== "2" && m.value2 !== "2")) continue;
    const next = lessons.slice(i + 1, i + 3);
    if (next.length < 2) continue;
    if (!next.some((n) => marks.some((x) => x.lessonId === n.id))) out.push(l.date);
  }
  return out;
}

export async function controlReport(db: DbOrTx, actor: Actor, input: unknown) {
  const args = parseInput(controlReportInput, input);
  requireAdministration(actor);
  const period = await loadPeriod(db, actor, args.periodId);
  const school = await db.school.findUniqueOrThrow({ where: { id: actor.schoolId } });
  const now = schoolNow(school.timeZone);
  const today = now.toISODate()!;
  const from = isoOf(period.startDate);
  const periodEnd = isoOf(period.endDate);
  const to = [today, periodEnd].sort()[0]!; // up to today, within the period
  const deadlinePassed = (date: string) =>
    fillDeadlineOf(date, school.fillDeadline, school.timeZone).getTime() <= now.toMillis();
  const assignments = await db.teachingAssignment.findMany({
    where: {
      yearId: period.yearId,
      ...(args.classId ? { classId: args.classId } : {}),
      ...(args.teacherId ? { teacherId: args.teacherId } : {}),
    },
    include: {
      teacher: true,
      class: true,
      subject: true,
      subgroup: true,
      topicPlan: { select: { hours: true, plannedDate: true } },
    },
  });
  assignments.sort(
    (a, b) =>
      a.teacher.lastName.localeCompare(b.teacher.lastName, "ru") ||
      a.class.grade - b.class.grade ||
      a.class.letter.localeCompare(b.class.letter, "ru") ||
      a.subject.name.localeCompare(b.subject.name, "ru"),
  );
  const controlForms = new Set(
    (await db.controlForm.findMany({ where: { schoolId: actor.schoolId, isControlWork: true } })).map(
      (f) => f.id,
    ),
  );
  // The whole period: lessons already generated ahead tell how many the period will have.
  const factsOf = classSubjectFactsCache(db, from, periodEnd);
  const rows = [];
  for (const a of assignments) {
    const facts = await factsOf(a.classId, a.subjectId);
    const lessons = facts.lessons.filter((l) => l.assignmentId === a.id);
    const held = lessons.filter((l) => l.date <= today);
    const heldIds = new Set(held.map((l) => l.id));
    const overdue = held.filter((l) => deadlinePassed(l.date));
    const lacking = (gap: FillGap) =>
      overdue.filter((l) => lessonGaps(l, a.class.grade).includes(gap)).map((l) => l.date);
    const graded = a.subject.graded && a.class.grade > 1;
    const pupils = facts.pupils.filter((p) => a.subgroupId === null || p.subgroupIds.includes(a.subgroupId));
    const controlWorks = graded
      ? overdue
          .filter((l) => l.controlFormId !== null && controlForms.has(l.controlFormId))
          .map((l) => ({
            date: l.date,
            pupilsWithoutMark: pupils
              .filter((p) => facts.lessonsOf(p.id).some((x) => x.id === l.id))
              .filter(
                (p) => !facts.absences.get(p.id)?.some((x) => x.lessonId === l.id && x.kind === "ABSENT"),
              )
              .filter((p) => !facts.marks.get(p.id)?.some((x) => x.lessonId === l.id))
              .map(fullName),
          }))
          .filter((c) => c.pupilsWithoutMark.length > 0)
      : [];
    const minMarks = minMarksForLoad(a.hoursPerWeek);

    const counts = pupils.map((p) => ({
      name: fullName(p),
      marks: facts.factsOf(p.id).marksCount,
      pupilId: p.id,
    }));
    const plannedToDate = a.topicPlan
      .filter((t) => t.plannedDate && isoOf(t.plannedDate) <= today)
      .reduce((s, t) => s + t.hours, 0);
    const heldInYear = await db.lesson.count({
      where: { assignmentId: a.id, date: { lte: dateOnly(today) } },
    });
    const plannedInPeriod = a.topicPlan
      .filter(
        (t) => t.plannedDate && isoOf(t.plannedDate) >= from && isoOf(t.plannedDate) <= isoOf(period.endDate),
      )
      .reduce((s, t) => s + t.hours, 0);
    // Lessons the period will have: those generated ahead or, if more, the hours the КТП plans in it.
    const required = requiredToDate(
      minMarks,
      held.length,
      Math.max(lessons.length, plannedInPeriod),
      today >= periodEnd,
    );
    rows.push({
      assignmentId: a.id,
      teacher: { id: a.teacherId, name: fullName(a.teacher) },
      class: { id: a.classId, name: className(a.class) },
      subject: { id: a.subjectId, name: a.subject.name },
      subgroup: a.subgroup?.name ?? null,
      lessonsHeld: held.length,
      missing: {
        topic: lacking("topic"),
        attendance: lacking("attendance"),
        homework: lacking("homework"),
      },
      controlWorks,
      minMarks,
      requiredToDate: required,
      fewMarks: graded
        ? counts.filter((c) => c.marks < required).map(({ name, marks }) => ({ name, marks }))
        : [],
      singleMark: graded ? counts.filter((c) => c.marks === 1).map((c) => c.name) : [],
      twosNotRechecked: graded
        ? pupils.flatMap((p) =>
            twosNotRechecked(facts, p.id, heldIds).map((date) => ({ name: fullName(p), date })),
          )
        : [],
      plan: {
        toDate: plannedToDate,
        period: plannedInPeriod,
        year: a.topicPlan.reduce((s, t) => s + t.hours, 0),
      },
      fact: { toDate: heldInYear, period: held.length },
      behind: Math.max(0, plannedToDate - heldInYear),
    });
  }
  return {
    period: { id: period.id, name: period.name },
    from,
    to,
    asOf: now.toFormat("yyyy-MM-dd HH:mm"),
    classes: args.classId ? [...new Set(rows.map((x) => x.class.name))] : [],
    rows,
  };
}
export type ControlReport = Awaited<ReturnType<typeof controlReport>>;

const dates = (list: string[]) => list.map(ddmm).join(", ");

export function controlReportDocument(r: ControlReport): ReportDocument {
  const summary = r.rows.map((x) => [
    x.teacher.name,
    x.class.name + (x.subgroup ? ` (${x.subgroup})` : ""),
    x.subject.name,
    x.lessonsHeld,
    x.missing.topic.length,
    x.missing.attendance.length,
    x.missing.homework.length,
    x.controlWorks.length,
    x.fewMarks.length,
    x.singleMark.length,
    x.twosNotRechecked.length,
    x.plan.toDate,
    x.fact.toDate,
    x.behind,
  ]);
  const details: (string | number)[][] = [];
  for (const x of r.rows) {
    const who = `${x.teacher.name}, ${x.class.name}, ${x.subject.name}`;
    if (x.missing.topic.length) details.push([who, "Нет темы урока", dates(x.missing.topic)]);
    if (x.missing.attendance.length)
      details.push([who, "Не отмечена посещаемость", dates(x.missing.attendance)]);
    if (x.missing.homework.length) details.push([who, "Нет домашнего задания", dates(x.missing.homework)]);
    for (const c of x.controlWorks)
      details.push([who, `Контрольная ${ddmm(c.date)}: нет отметок`, c.pupilsWithoutMark.join(", ")]);
    if (x.fewMarks.length)
      details.push([
        who,
        x.requiredToDate === x.minMarks
          ? `Меньше ${x.minMarks} отметок`
          : `Меньше ${x.requiredToDate} отметок на дату (за период ${x.minMarks})`,
        x.fewMarks.map((f) => `${f.name} (${f.marks})`).join(", "),
      ]);
    if (x.singleMark.length) details.push([who, "Одна отметка", x.singleMark.join(", ")]);
    for (const t of x.twosNotRechecked) details.push([who, `«2» ${ddmm(t.date)} не исправлялась`, t.name]);
    if (x.behind > 0)
      details.push([
        who,
        "Отставание от КТП",
        `${x.behind} ч. (план ${x.plan.toDate}, факт ${x.fact.toDate})`,
      ]);
  }
  return {
    name: `control-${r.period.id}`,
    title: "Контроль ведения электронного журнала",
    class: r.classes.length === 1 ? r.classes[0]! : r.classes.length ? r.classes.join(", ") : "все классы",
    period: `${r.period.name}, ${russianRange(r.from, r.to)}`,
    subtitle: [`Данные на ${russianDate(r.asOf)}, ${r.asOf.slice(11)}`],
    orientation: "landscape",
    tables: [
      {
        title: "Сводка по учителям",
        headers: [
          "Учитель",
          "Класс",
          "Предмет",
          "Уроков",
          "Без темы",
          "Без посещ.",
          "Без д/з",
          "К/р без отметок",
          "Мало отметок",
          "Одна отметка",
          "«2» не исправлена",
          "По КТП на дату",
          "Проведено на дату",
          "Отставание",
        ],
        rows: summary,
        wrapColumns: [0, 2],
      },
      {
        title: "Замечания",
        headers: ["Учитель, класс, предмет", "Замечание", "Подробно"],
        rows: details,
        wrapColumns: [0, 1, 2],
      },
    ],
    signatures: [{ role: "Заместитель директора по УВР", who: "DEPUTY" }],
  };
}
