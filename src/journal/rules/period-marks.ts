import { roundToMark } from "./averages.js";

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
  missedUnexcused: number;
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
  if (f.lessons > 0 && f.missedUnexcused / f.lessons > NOT_ATTESTED_MISSED_SHARE)
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

/** Period marks open after the end of the period's last lesson (school local time). */
export function periodMarksOpen(nowLocalIso: string, lastLessonEndLocalIso: string | null): boolean {
  return lastLessonEndLocalIso !== null && nowLocalIso >= lastLessonEndLocalIso;
}
