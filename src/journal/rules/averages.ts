import { formatMark } from "./marks.js";

/**
 * Weighted averages: the one place where marks become numbers (003 §5.2). Each mark counts with
 * the weight of its form of control; a double mark ("4/5") counts as two marks of that weight.
 */
export interface WeightedMark {
  value: string;
  value2?: string | null;
  weight: number;
  /** Name of the form of control, for explanations. */
  formName?: string | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function totals(marks: readonly WeightedMark[]) {
  let sum = 0;
  let weight = 0;
  for (const m of marks) {
    for (const v of m.value2 ? [m.value, m.value2] : [m.value]) {
      sum += Number(v) * m.weight;
      weight += m.weight;
    }
  }
  return { sum, weight };
}

/** The weighted average rounded to 2 decimals, or null without marks. */
export function weightedAverage(marks: readonly WeightedMark[]): number | null {
  const { sum, weight } = totals(marks);
  return weight === 0 ? null : round2(sum / weight);
}

/**
 * The whole mark an average stands for. Half and above rounds up (4,50 → 5, 4,49 → 4), as
 * schools round a period mark in the pupil's favour; it rounds the 2-decimal average that people
 * see, so the shown number and the mark never disagree.
 */
export const roundToMark = (average: number) => Math.floor(round2(average) + 0.5);

/** Russian decimal comma, always 2 decimals: 4.333 → "4,33". */
export const formatAverage = (average: number) => average.toFixed(2).replace(".", ",");

/** "4,60: 5 (Контрольная работа ×3), 4, 4" — what the average is made of. */
export function explainAverage(marks: readonly WeightedMark[]): string {
  const average = weightedAverage(marks);
  if (average === null) return "Отметок пока нет.";
  const parts = marks.map((m) => {
    const shown = formatMark(m);
    if (m.weight === 1) return shown;
    return `${shown} (${m.formName ?? "вес"} ×${m.weight})`;
  });
  return `${formatAverage(average)}: ${parts.join(", ")}`;
}

export interface Lift {
  /** The lowest single mark of the given weight that lifts the average to `target`. */
  mark: string;
  /** The whole mark the average will stand for. */
  target: number;
  /** The average with that mark. */
  average: number;
}

/**
 * Which single mark of the given weight lifts the average to the next whole mark, or null when
 * none can (no marks yet, already 5, or even a 5 is not enough).
 */
export function markToLift(marks: readonly WeightedMark[], weight: number): Lift | null {
  const current = weightedAverage(marks);
  if (current === null || weight <= 0) return null;
  const target = roundToMark(current) + 1;
  if (target > 5) return null;
  for (const mark of ["1", "2", "3", "4", "5"]) {
    const average = weightedAverage([...marks, { value: mark, weight }])!;
    if (roundToMark(average) >= target) return { mark, target, average };
  }
  return null;
}
