import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import { emit } from "../events/outbox.js";
import { canActSchoolWide, readablePupilsOfClass, requirePupilReadable } from "./access.js";
import { type Actor, isSchoolWide, isStaff } from "./actor.js";
import { audit } from "./audit.js";
import { forbidden, locked, needsConfirmation, notFound, validation } from "./errors.js";
import { CORRECTION_REASONS, type CorrectionReason } from "./marks.js";
import { memberDuring } from "./membership.js";
import { type ClassSubjectFacts, loadClassSubjectFacts } from "./period-facts.js";
import { loadCalendar, type SchoolCalendar, schoolNow } from "./rules/calendar.js";
import {
  checkPeriodMark,
  checkYearMark,
  farFromAverage,
  lastPlannedLessonEnd,
  meanOfMarks,
  minMarksForLoad,
  NOT_ATTESTED,
  PERIOD_MARK_VALUES,
  type PlannedSlot,
  periodLastLessonEnd,
  periodMarksOpen,
  type Suggestion,
  suggestPeriodMark,
  suggestYearMark,
} from "./rules/period-marks.js";
import { id, isoOf, parseInput, text } from "./validate.js";

/** Period marks: the summary a teacher closes a period from, setting marks, publishing results. */

const periodMarkKind = z.enum(["PERIOD", "YEAR", "EXAM", "FINAL"]);
export const periodSummaryInput = z.object({ periodId: id, subjectId: id, classId: id });
const reasonKeys = Object.keys(CORRECTION_REASONS) as [CorrectionReason, ...CorrectionReason[]];
export const setPeriodMarksInput = periodSummaryInput.extend({
  marks: z
    .array(z.object({ pupilId: id, value: z.enum(PERIOD_MARK_VALUES), kind: periodMarkKind.optional() }))
    .min(1, "нужна хотя бы одна отметка")
    .max(100),
  /** Yes, set a mark far from the pupil's average after seeing it (002 §5.13). */
  confirm: z.boolean().optional(),
  /** Changing a published mark (deputy head or admin): a listed reason (003 §7). */
  reason: z.enum(reasonKeys, `причина из списка: ${reasonKeys.join(", ")}`).optional(),
  note: text(500).optional(),
});
export const publishPeriodInput = z.object({ periodId: id, classId: id.optional() });

/** Loads period, class, subject and the teaching load, all checked against the actor's school. */
async function loadScope(db: DbOrTx, actor: Actor, input: z.infer<typeof periodSummaryInput>) {
  // Sequential on purpose: inside a transaction all queries share one connection.
  const period = await db.period.findUnique({ where: { id: input.periodId }, include: { year: true } });
  const cls = await db.class.findUnique({ where: { id: input.classId }, include: { year: true } });
  const subject = await db.subject.findUnique({ where: { id: input.subjectId } });
  if (!period || period.year.schoolId !== actor.schoolId) throw notFound("Период");
  if (!cls || cls.year.schoolId !== actor.schoolId || cls.yearId !== period.yearId) throw notFound("Класс");
  if (!subject || subject.schoolId !== actor.schoolId) throw notFound("Предмет");
  const assignments = await db.teachingAssignment.findMany({
    where: { classId: cls.id, subjectId: subject.id },
    select: { teacherId: true, hoursPerWeek: true, subgroupId: true },
  });
  const slots = await db.timetableSlot.findMany({
    where: { assignment: { classId: cls.id, subjectId: subject.id } },
    select: { weekday: true, endsAt: true, validFrom: true, validTo: true },
  });
  const calendar = await loadCalendar(db, actor.schoolId);
  const hoursPerWeek = Math.max(0, ...assignments.map((a) => a.hoursPerWeek));
  const own = assignments.filter((a) => a.teacherId === actor.personId);
  const teaches = own.length > 0;
  // A subgroup's teacher gives period marks to that subgroup's pupils only (002 §9.1.3).
  const ownSubgroups = own.some((a) => a.subgroupId === null)
    ? null
    : own.flatMap((a) => (a.subgroupId === null ? [] : [a.subgroupId]));
  const planned: PlannedSlot[] = slots.map((sl) => ({
    weekday: sl.weekday,
    endsAt: sl.endsAt,
    validFrom: isoOf(sl.validFrom),
    validTo: sl.validTo ? isoOf(sl.validTo) : null,
  }));
  return {
    period,
    cls,
    subject,
    hoursPerWeek,
    teaches,
    ownSubgroups,
    timeZone: calendar.timeZone,
    planned,
    calendar,
  };
}

/**
 * The end of the period's last lesson of the subject, local "YYYY-MM-DDTHH:mm": the later of the
 * last lesson that exists and the last one the timetable plans up to the period's end (lessons
 * are generated only so far ahead, so they alone would open a quarter in November).
 */
function periodLastLesson(
  scope: { period: { startDate: Date; endDate: Date }; planned: PlannedSlot[]; calendar: SchoolCalendar },
  facts: Pick<ClassSubjectFacts, "lessons">,
): string | null {
  const range = { from: isoOf(scope.period.startDate), to: isoOf(scope.period.endDate) };
  return periodLastLessonEnd(
    lastLessonEnd(facts.lessons),
    lastPlannedLessonEnd(scope.planned, range, scope.calendar),
  );
}

const suggestionText = (s: Suggestion): string | null =>
  s.kind === "mark" ? s.value : s.kind === "not_attested" ? NOT_ATTESTED : null;

/**
 * The teacher's sheet for closing a period: per pupil the weighted average, marks count, lessons
 * missed with and without good reason, the suggested mark and what is set already.
 */
export async function periodSummary(db: DbOrTx, actor: Actor, input: unknown) {
  const args = parseInput(periodSummaryInput, input);
  const scope = await loadScope(db, actor, args);
  const classTeacher = scope.cls.classTeacherId === actor.personId;
  if (!isSchoolWide(actor) && !scope.teaches && !classTeacher) {
    throw forbidden("Сводку по периоду видят учитель предмета, классный руководитель и администрация.");
  }
  const { period, cls, subject } = scope;
  const facts = await loadClassSubjectFacts(db, {
    classId: cls.id,
    subjectId: subject.id,
    from: isoOf(period.startDate),
    to: isoOf(period.endDate),
  });
  const minMarks = minMarksForLoad(scope.hoursPerWeek);
  const existing = await db.periodMark.findMany({
    where: { periodId: period.id, subjectId: subject.id, pupilId: { in: facts.pupils.map((p) => p.id) } },
    select: { id: true, pupilId: true, kind: true, value: true },
  });
  const quarterMarks =
    period.kind === "YEAR"
      ? await db.periodMark.findMany({
          where: { subjectId: subject.id, kind: "PERIOD", period: { yearId: period.yearId } },
          select: { pupilId: true, periodId: true, value: true },
        })
      : [];
  const otherPeriods =
    period.kind === "YEAR"
      ? await db.period.findMany({
          where: { yearId: period.yearId, kind: { not: "YEAR" } },
          orderBy: { number: "asc" },
          select: { id: true, name: true },
        })
      : [];
  const lastEnd = periodLastLesson(scope, facts);
  const nowLocal = schoolNow(scope.timeZone).toFormat("yyyy-MM-dd'T'HH:mm");
  // A subgroup's teacher sees the pupils of their subgroup only (002 §9.1.3).
  const readable = classTeacher ? null : await readablePupilsOfClass(db, actor, cls.id);
  const shown = readable ? facts.pupils.filter((p) => readable.has(p.id)) : facts.pupils;
  const rows = shown.map((p) => {
    const f = facts.factsOf(p.id);
    const suggestion = suggestPeriodMark(f, minMarks);
    const periodMarks = otherPeriods.map((op) => ({
      periodId: op.id,
      name: op.name,
      value: quarterMarks.find((m) => m.pupilId === p.id && m.periodId === op.id)?.value ?? null,
    }));
    return {
      pupilId: p.id,
      lastName: p.lastName,
      firstName: p.firstName,
      ...f,
      enoughMarks: f.marksCount >= minMarks,
      suggested:
        period.kind === "YEAR"
          ? suggestYearMark(periodMarks.map((m) => m.value))
          : suggestionText(suggestion),
      extend: suggestion.kind === "extend",
      periodMarks,
      set: existing
        .filter((m) => m.pupilId === p.id)
        .map((m) => ({ id: m.id, kind: m.kind, value: m.value })),
    };
  });
  return {
    period: { id: period.id, name: period.name, kind: period.kind, publishedAt: period.publishedAt },
    class: { id: cls.id, name: `${cls.grade}${cls.letter}` },
    subject: { id: subject.id, name: subject.name },
    hoursPerWeek: scope.hoursPerWeek,
    minMarks,
    open: periodMarksOpen(nowLocal, lastEnd),
    lastLessonEnd: lastEnd,
    rows,
  };
}

const lastLessonEnd = (lessons: { date: string; endsAt: string }[]) => {
  const last = lessons.at(-1);
  return last ? `${last.date}T${last.endsAt}` : null;
};

/**
 * Sets period (or year/exam/final) marks. The teacher names every value; nothing is copied from
 * the average. The whole batch is refused with the first pupil's reason if any mark breaks a rule.
 * Refusals, in this order: a rule (400); a published mark changed by a teacher (423); a published
 * mark changed without a listed reason (400); marks far from the pupil's average without
 * `confirm: true` (409 needs_confirmation, details.farFromAverage lists pupil, value, average).
 * A published mark changed by the deputy head or admin is a correction (003 §7): the old value
 * goes to PeriodMarkHistory with the reason and families are told (period_mark.corrected).
 */
export async function setPeriodMarks(db: Db, actor: Actor, input: unknown) {
  const args = parseInput(setPeriodMarksInput, input);
  return db.$transaction(async (tx) => {
    const scope = await loadScope(tx, actor, args);
    const { period, cls, subject } = scope;
    const schoolWide = canActSchoolWide(actor);
    if (!scope.teaches && !schoolWide) {
      throw forbidden("Отметки за период ставит учитель этого предмета в классе или заместитель директора.");
    }
    if (!schoolWide && scope.ownSubgroups) {
      const members = await tx.subgroupMember.findMany({
        where: {
          subgroupId: { in: scope.ownSubgroups },
          pupilId: { in: args.marks.map((m) => m.pupilId) },
          ...memberDuring(period.startDate, period.endDate),
        },
        select: { pupilId: true },
      });
      const mine = new Set(members.map((m) => m.pupilId));
      const other = args.marks.find((m) => !mine.has(m.pupilId));
      if (other) {
        throw forbidden(
          "Отметки за период ставит учитель подгруппы ученика: этот ученик в другой подгруппе.",
          {
            pupilId: other.pupilId,
          },
        );
      }
    }
    if (!subject.graded || cls.grade === 1) {
      throw validation("Безотметочное обучение: отметки за период по этому предмету не ставятся.");
    }
    const isYear = period.kind === "YEAR";
    for (const m of args.marks) {
      const kind = m.kind ?? (isYear ? "YEAR" : "PERIOD");
      if (isYear !== (kind !== "PERIOD")) {
        throw validation(
          isYear
            ? "За год ставятся годовая, экзаменационная и итоговая отметки (kind YEAR, EXAM, FINAL)."
            : "Годовая, экзаменационная и итоговая отметки ставятся на период «Год».",
        );
      }
    }
    const facts = await loadClassSubjectFacts(tx, {
      classId: cls.id,
      subjectId: subject.id,
      from: isoOf(period.startDate),
      to: isoOf(period.endDate),
    });
    const lastEnd = periodLastLesson(scope, facts);
    const nowLocal = schoolNow(scope.timeZone).toFormat("yyyy-MM-dd'T'HH:mm");
    if (!periodMarksOpen(nowLocal, lastEnd)) {
      throw validation(
        lastEnd
          ? `Отметки за период ставятся после последнего урока периода (${lastEnd.replace("T", " ")}).`
          : "В периоде нет уроков этого предмета: отметку за период ставить не за что.",
      );
    }
    const minMarks = minMarksForLoad(scope.hoursPerWeek);
    const names = new Map(facts.pupils.map((p) => [p.id, `${p.lastName} ${p.firstName}`]));
    const otherPeriods = isYear
      ? await tx.period.findMany({
          where: { yearId: period.yearId, kind: { not: "YEAR" } },
          orderBy: { number: "asc" },
        })
      : [];

    // First every check, then the writes: a refused batch writes nothing.
    const plan = [];
    const far: { pupilId: number; name: string; value: string; average: number }[] = [];
    for (const m of args.marks) {
      const name = names.get(m.pupilId);
      if (!name) throw validation(`Ученик ${m.pupilId} не учится в этом классе в этом периоде.`);
      const kind = m.kind ?? (isYear ? "YEAR" : "PERIOD");
      let refusal: string | null;
      let average: number | null = null;
      if (kind === "PERIOD") {
        const f = facts.factsOf(m.pupilId);
        refusal = checkPeriodMark(m.value, f, minMarks);
        average = f.average;
      } else {
        const marks = await tx.periodMark.findMany({
          where: { pupilId: m.pupilId, subjectId: subject.id, period: { yearId: period.yearId } },
          select: { periodId: true, kind: true, value: true },
        });
        const ofPeriods = otherPeriods.map(
          (op) => marks.find((x) => x.periodId === op.id && x.kind === "PERIOD")?.value ?? null,
        );
        refusal = checkYearMark(kind, {
          periodsWithoutMark: otherPeriods.filter((_, i) => ofPeriods[i] === null).map((op) => op.name),
          hasYearMark:
            marks.some((x) => x.kind === "YEAR") ||
            args.marks.some((x) => x.pupilId === m.pupilId && x.kind === "YEAR"),
        });
        // A year mark sums up the period marks; exam and final marks stand on their own.
        if (kind === "YEAR") average = meanOfMarks(ofPeriods);
      }
      if (refusal) throw validation(`${name}: ${refusal}`, { pupilId: m.pupilId });
      const key = { pupilId: m.pupilId, subjectId: subject.id, periodId: period.id, kind };
      const before = await tx.periodMark.findUnique({ where: { pupilId_subjectId_periodId_kind: key } });
      if (before?.value !== m.value && farFromAverage(m.value, average)) {
        far.push({ pupilId: m.pupilId, name, value: m.value, average: average! });
      }
      plan.push({ m, name, key, before });
    }
    const published = plan.filter((p) => p.before?.publishedAt && p.before.value !== p.m.value);
    if (published.length > 0 && !schoolWide) {
      throw locked(
        `Итоги периода опубликованы: отметку (${published[0]!.name}) изменяет заместитель директора ` +
          "или администратор журнала с указанием причины.",
        { pupilIds: published.map((p) => p.m.pupilId) },
      );
    }
    if (published.length > 0 && !args.reason) {
      throw validation(
        `Отметка уже опубликована (${published[0]!.name}): укажите причину исправления — ` +
          `${Object.values(CORRECTION_REASONS).join("; ")}.`,
        { pupilIds: published.map((p) => p.m.pupilId), reasons: reasonKeys },
      );
    }
    if (far.length > 0 && !args.confirm) {
      const list = far.map((f) => `${f.name}: «${f.value}» при среднем ${f.average.toFixed(2)}`).join("; ");
      throw needsConfirmation(
        `Отметка за период должна соответствовать текущим отметкам (002 §5.13): ${list}. ` +
          "Если отметка верна (например, с учётом контрольных работ), подтвердите её (confirm: true).",
        {
          farFromAverage: far.map(({ pupilId, value, average }) => ({ pupilId, value, average })),
          confirm: true,
        },
      );
    }

    const results = [];
    const changed: number[] = [];
    for (const { m, key, before } of plan) {
      if (before?.value === m.value) {
        results.push(before);
        continue;
      }
      const correction = before?.publishedAt ? args.reason! : null;
      const row = await tx.periodMark.upsert({
        where: { pupilId_subjectId_periodId_kind: key },
        create: { ...key, value: m.value, authorId: actor.personId },
        update: { value: m.value, authorId: actor.personId },
      });
      if (before) {
        const history = await tx.periodMarkHistory.create({
          data: {
            periodMarkId: row.id,
            oldValue: before.value,
            newValue: row.value,
            change: correction ?? "EDIT",
            note: correction ? (args.note ?? null) : null,
            authorId: actor.personId,
          },
          select: { id: true },
        });
        if (correction) {
          await emit(tx, actor.schoolId, {
            type: "period_mark.corrected",
            payload: { periodMarkId: row.id, historyId: history.id },
          });
        }
      }
      await audit(tx, actor, {
        action: correction ? "period_mark.correct" : before ? "period_mark.change" : "period_mark.set",
        entity: "PeriodMark",
        entityId: row.id,
        before: before ? { value: before.value, authorId: before.authorId } : undefined,
        after: {
          ...key,
          value: row.value,
          ...(correction ? { reason: correction, note: args.note } : {}),
          ...(far.some((f) => f.pupilId === m.pupilId) ? { confirmedFarFromAverage: true } : {}),
        },
      });
      results.push(row);
      changed.push(row.id);
    }
    if (changed.length > 0) {
      await emit(tx, actor.schoolId, { type: "period_mark.set", payload: { periodMarkIds: changed } });
    }
    return { marks: results.map((r) => ({ id: r.id, pupilId: r.pupilId, kind: r.kind, value: r.value })) };
  });
}

/**
 * Publishes a period's results so guardians get them within a day (002 §8.2). For the whole
 * school it stamps the period's publishedAt (after which teachers may no longer change marks);
 * either way the marks published become visible to pupils and guardians.
 */
export async function publishPeriod(db: Db, actor: Actor, input: unknown) {
  const args = parseInput(publishPeriodInput, input);
  if (!canActSchoolWide(actor))
    throw forbidden("Публикует итоги периода заместитель директора или администратор.");
  return db.$transaction(async (tx) => {
    const period = await tx.period.findUnique({ where: { id: args.periodId }, include: { year: true } });
    if (!period || period.year.schoolId !== actor.schoolId) throw notFound("Период");
    if (args.classId !== undefined) {
      const cls = await tx.class.findUnique({ where: { id: args.classId } });
      if (!cls || cls.yearId !== period.yearId) throw notFound("Класс");
    }
    const classFilter =
      args.classId !== undefined ? { pupil: { enrolments: { some: { classId: args.classId } } } } : {};
    const count = await tx.periodMark.count({ where: { periodId: period.id, ...classFilter } });
    if (count === 0) throw validation("Публиковать нечего: за этот период ещё нет ни одной отметки.");
    const publishedAt = new Date();
    if (args.classId === undefined) {
      await tx.period.update({ where: { id: period.id }, data: { publishedAt } });
    }
    // What families see is each mark's own stamp, so a class can be published before the school.
    await tx.periodMark.updateMany({
      where: { periodId: period.id, publishedAt: null, ...classFilter },
      data: { publishedAt },
    });
    await audit(tx, actor, {
      action: "period.publish",
      entity: "Period",
      entityId: period.id,
      before: { publishedAt: period.publishedAt },
      after: { publishedAt, classId: args.classId ?? null, marks: count },
    });
    await emit(tx, actor.schoolId, {
      type: "period.published",
      payload: {
        periodId: period.id,
        ...(args.classId !== undefined ? { classId: args.classId } : {}),
        publishedAt: publishedAt.toISOString(),
      },
    });
    return { periodId: period.id, classId: args.classId ?? null, publishedAt, marks: count };
  });
}

/**
 * The published results for the notifier (no actor: it runs for the `period.published` event):
 * per pupil the subject marks of the period, subjects by name. Ids and marks only; the worker
 * resolves guardians and their chats itself.
 */
export async function periodResults(db: DbOrTx, args: { periodId: number; classId?: number }) {
  const rows = await db.periodMark.findMany({
    where: {
      periodId: args.periodId,
      ...(args.classId !== undefined ? { pupil: { enrolments: { some: { classId: args.classId } } } } : {}),
    },
    select: { pupilId: true, kind: true, value: true, subject: { select: { id: true, name: true } } },
  });
  const byPupil = new Map<number, { subjectId: number; subject: string; kind: string; value: string }[]>();
  for (const r of rows) {
    const list = byPupil.get(r.pupilId) ?? [];
    list.push({ subjectId: r.subject.id, subject: r.subject.name, kind: r.kind, value: r.value });
    byPupil.set(r.pupilId, list);
  }
  return [...byPupil.entries()]
    .sort(([a], [b]) => a - b)
    .map(([pupilId, marks]) => ({
      pupilId,
      marks: marks.sort((a, b) => a.subject.localeCompare(b.subject, "ru") || a.kind.localeCompare(b.kind)),
    }));
}

export const pupilPeriodMarksInput = z.object({ pupilId: id });

/**
 * A pupil's period, year, exam and final marks. The pupil and guardians see them once published
 * (002 §8.2); staff who may read the pupil see them all.
 */
export async function pupilPeriodMarks(db: DbOrTx, actor: Actor, input: unknown) {
  const { pupilId } = parseInput(pupilPeriodMarksInput, input);
  await requirePupilReadable(db, actor, pupilId);
  return db.periodMark.findMany({
    where: { pupilId, ...(isStaff(actor) ? {} : { publishedAt: { not: null } }) },
    orderBy: [{ period: { startDate: "asc" } }, { subject: { name: "asc" } }, { kind: "asc" }],
    select: {
      id: true,
      kind: true,
      value: true,
      publishedAt: true,
      subject: { select: { id: true, name: true } },
      period: { select: { id: true, name: true, kind: true } },
    },
  });
}
