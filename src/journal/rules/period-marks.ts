import { roundToMark } from "./averages.js";
import { isSchoolDay, type SchoolDays } from "./calendar.js";

/**
 * Rules for period marks (quarter/trimester/half, year, exam, final), REQUIREMENTS "Marks":
 * 002 §5.12–5.15, 004 §6.1. Pure functions: the service loads the facts, these decide.
 */

export const PERIOD_MARK_VALUES = ["2", "3", "4", "5", "н/а"] as const;
export type PeriodMarkValue = (typeof PERIOD_MARK_VALUES)[number];
export const NOT_ATTESTED = "н/а";

/**
 * Minimum number of current marks for an objective period mark by weekly load (004 §6.1:
 * "at least 3 at 2 lessons/week, more at a higher load"). One more mark for every lesson a
 * week above two:
 *
 * | lessons a week | 1 | 2 | 3 | 4 | 5 | 6 | 7+      |
 * |----------------|---|---|---|---|---|---|---------|
 * | marks at least | 3 | 3 | 4 | 5 | 6 | 7 | hours+1 |
 */
export function minMarksForLoad(hoursPerWeek: number): number {
  return Math.max(3, 3 + (Math.ceil(hoursPerWeek) - 2));
}

/** Share of lessons missed without good reason above which "н/а" may be written (002 §5.14). */
export const NOT_ATTESTED_MISSED_SHARE = 0.75;

/** Good reason (уважительная причина): excused or illness. An absence without a reason is not one. */
export const isGoodReason = (reason: string | null | undefined) =>
  reason === "EXCUSED" || reason === "ILLNESS";

export interface PupilPeriodFacts {
  /** Lessons of the subject held for the pupil in the period. */
  lessons: number;
  marksCount: number;
  average: number | null;
  missedExcused: number;
  /** Absences without a good reason: marked unexcused, or with no reason recorded yet. */
  missedUnexcused: number;
  /** Of missedUnexcused, those whose reason the class teacher has not recorded yet (003 §5.3). */
  missedNoReason: number;
}

/** The whole mark an average stands for (rounding lives in averages.ts); a period mark is 2–5. */
export function roundMark(average: number): "2" | "3" | "4" | "5" {
  return String(Math.min(5, Math.max(2, roundToMark(average)))) as "2" | "3" | "4" | "5";
}

export type Suggestion =
  | { kind: "mark"; value: "2" | "3" | "4" | "5"; enoughMarks: boolean }
  | { kind: "not_attested" }
  | { kind: "extend" } // missed for good reason: the period is extended, no mark now
  | { kind: "none" }; // no marks and no reason for "н/а": the teacher must give current marks

/** What the journal proposes to the teacher; never written by itself. */
export function suggestPeriodMark(f: PupilPeriodFacts, minMarks: number): Suggestion {
  if (f.marksCount > 0 && f.average !== null) {
    return { kind: "mark", value: roundMark(f.average), enoughMarks: f.marksCount >= minMarks };
  }
  // "н/а" is proposed only on recorded reasons: an absence without one may yet prove excused.
  if (f.lessons > 0 && !f.missedNoReason && f.missedUnexcused / f.lessons > NOT_ATTESTED_MISSED_SHARE)
    return { kind: "not_attested" };
  if (f.missedExcused > 0) return { kind: "extend" };
  return { kind: "none" };
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

/**
 * Checks one quarter/trimester/half mark; returns the Russian reason of a refusal or null.
 * A number needs enough current marks; "н/а" needs no marks and more than 75% of lessons missed
 * without good reason; with absences for good reason the period is extended instead (002 §5.15).
 */
export function checkPeriodMark(
  value: PeriodMarkValue,
  f: PupilPeriodFacts,
  minMarks: number,
): string | null {
  if (value === NOT_ATTESTED) {
    if (f.marksCount > 0) {
      return `«н/а» не ставится: у ученика ${f.marksCount} текущ. отметок — выставьте отметку за период.`;
    }
    if (f.missedNoReason) {
      // 002 §5.14–5.15: "н/а" only for absences without good reason, which must be known first.
      return (
        `«н/а» не ставится, пока не записаны причины пропусков: у ${f.missedNoReason} пропуск(ов) ` +
        "причина не указана. Классный руководитель отмечает причины (уважительная, болезнь, без " +
        "уважительной причины) — затем выставьте отметку за период."
      );
    }
    const unexcused = f.lessons > 0 ? f.missedUnexcused / f.lessons : 0;
    if (unexcused > NOT_ATTESTED_MISSED_SHARE) return null;
    if (f.missedExcused > 0) {
      return (
        "«н/а» не ставится при пропусках по уважительной причине: период продлевается — " +
        "выставьте отметку после того, как ученик получит текущие отметки."
      );
    }
    return (
      `«н/а» ставится только при пропуске более 75% уроков без уважительной причины ` +
      `(пропущено ${pct(unexcused)}) — выставьте текущие отметки.`
    );
  }
  if (f.marksCount < minMarks) {
    const why =
      f.missedExcused > 0 && f.marksCount === 0
        ? " Ученик пропускал по уважительной причине: период продлевается."
        : "";
    return (
      `Недостаточно текущих отметок: ${f.marksCount}, а для объективной отметки нужно не меньше ` +
      `${minMarks}. Выставьте текущие отметки и повторите.${why}`
    );
  }
  return null;
}

/**
 * How far a period mark may lie from the average it sums up before the teacher is asked to
 * confirm it: the mark must reflect the current marks (002 §5.13), though control works may
 * weigh in, so a distant mark is confirmed, not refused.
 */
export const CONFIRM_DISTANCE = 1;

/**
 * Whether a numeric period mark lies more than CONFIRM_DISTANCE from `average` (the weighted
 * average of the current marks, or for a year mark the mean of the period marks). "н/а" and a
 * missing average have nothing to compare.
 */
export function farFromAverage(value: string, average: number | null): boolean {
  if (value === NOT_ATTESTED || average === null) return false;
  return Math.abs(Number(value) - average) > CONFIRM_DISTANCE;
}

/** The mean of the numeric period marks (the reference of a year mark), or null when none is. */
export function meanOfMarks(marks: readonly (string | null)[]): number | null {
  const nums = marks.filter((m): m is string => m !== null && m !== NOT_ATTESTED).map(Number);
  return nums.length ? Math.round((nums.reduce((a, b) => a + b, 0) / nums.length) * 100) / 100 : null;
}

/** Year/exam/final marks: the year mark once every period of the year has a mark (002 §5.12). */
export function checkYearMark(
  kind: "YEAR" | "EXAM" | "FINAL",
  facts: { periodsWithoutMark: string[]; hasYearMark: boolean },
): string | null {
  if (kind === "YEAR" && facts.periodsWithoutMark.length > 0) {
    return `Годовая отметка ставится после отметок за все периоды: нет отметки за ${facts.periodsWithoutMark.join(", ")}.`;
  }
  if (kind === "FINAL" && !facts.hasYearMark) {
    return "Итоговая отметка ставится после годовой: сначала выставьте годовую отметку.";
  }
  return null;
}

/** Suggested year mark: the mean of the period marks, half up; null while one is "н/а" or missing. */
export function suggestYearMark(periodMarks: (string | null)[]): "2" | "3" | "4" | "5" | null {
  if (periodMarks.length === 0 || periodMarks.some((m) => m === null || m === NOT_ATTESTED)) return null;
  const nums = periodMarks.map(Number);
  return roundMark(nums.reduce((a, b) => a + b, 0) / nums.length);
}

/** A weekly timetable slot of the subject in the class, for finding the period's last lesson. */
export interface PlannedSlot {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** "HH:mm" */
  endsAt: string;
  /** "YYYY-MM-DD", inclusive. */
  validFrom: string;
  /** "YYYY-MM-DD", inclusive; null = open-ended. */
  validTo: string | null;
}

const DAY_MS = 86_400_000;

/**
 * The end of the period's last lesson as the timetable plans it, "YYYY-MM-DDTHH:mm" local, or
 * null when the timetable has no lesson of the subject in the period: the last school day in
 * [from, to] on which a slot is in force, at the latest end of that day's slots. Lessons are
 * generated ahead only so far, so the lessons that exist cannot tell where a period ends.
 */
export function lastPlannedLessonEnd(
  slots: readonly PlannedSlot[],
  period: { from: string; to: string },
  days: SchoolDays,
): string | null {
  if (slots.length === 0) return null;
  for (let ms = Date.parse(`${period.to}T00:00:00Z`); ; ms -= DAY_MS) {
    const day = new Date(ms).toISOString().slice(0, 10);
    if (day < period.from) return null;
    if (!isSchoolDay(day, days)) continue;
    const weekday = new Date(ms).getUTCDay() || 7;
    const ends = slots
      .filter((s) => s.weekday === weekday && s.validFrom <= day && (s.validTo === null || day <= s.validTo))
      .map((s) => s.endsAt)
      .sort();
    if (ends.length > 0) return `${day}T${ends.at(-1)}`;
  }
}

/**
 * The end of the period's last lesson (002 §5.12, 003 §5.2: period marks go after it): the later
 * of the last lesson that exists and the last one the timetable plans; null when there is none.
 */
export function periodLastLessonEnd(lastExisting: string | null, lastPlanned: string | null): string | null {
  if (lastExisting === null) return lastPlanned;
  if (lastPlanned === null) return lastExisting;
  return lastExisting > lastPlanned ? lastExisting : lastPlanned;
}

/** Period marks open after the end of the period's last lesson (school local time). */
export function periodMarksOpen(nowLocalIso: string, lastLessonEndLocalIso: string | null): boolean {
  return lastLessonEndLocalIso !== null && nowLocalIso >= lastLessonEndLocalIso;
}
