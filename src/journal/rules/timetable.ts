/**
 * Timetable clashes, as pure functions: a class (or one of its subgroups) has one lesson per
 * weekday and number, and a teacher is in one place at a time.
 */

export interface SlotShape {
  id?: number;
  classId: number;
  subgroupId: number | null;
  teacherId: number;
  weekday: number;
  lessonNumber: number;
  /** "HH:mm" */
  startsAt: string;
  endsAt: string;
  /** "YYYY-MM-DD", inclusive; validTo null = open-ended. */
  validFrom: string;
  validTo: string | null;
}

export const validityOverlaps = (
  a: Pick<SlotShape, "validFrom" | "validTo">,
  b: Pick<SlotShape, "validFrom" | "validTo">,
) => (a.validTo === null || b.validFrom <= a.validTo) && (b.validTo === null || a.validFrom <= b.validTo);

/** "HH:mm" strings compare correctly as strings. */
export const timesOverlap = (
  a: Pick<SlotShape, "startsAt" | "endsAt">,
  b: Pick<SlotShape, "startsAt" | "endsAt">,
) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

export type Clash = { kind: "class" | "teacher"; with: SlotShape };

/**
 * The first existing slot the candidate clashes with, or null. Two different subgroups of a
 * class may share a lesson number (they sit in different rooms); the whole class and a subgroup
 * may not.
 */
export function findClash(candidate: SlotShape, existing: readonly SlotShape[]): Clash | null {
  for (const other of existing) {
    if (candidate.id !== undefined && other.id === candidate.id) continue;
    if (other.weekday !== candidate.weekday || !validityOverlaps(candidate, other)) continue;
    const differentSubgroups =
      candidate.subgroupId !== null && other.subgroupId !== null && candidate.subgroupId !== other.subgroupId;
    if (
      other.classId === candidate.classId &&
      other.lessonNumber === candidate.lessonNumber &&
      !differentSubgroups
    ) {
      return { kind: "class", with: other };
    }
    // Bells may differ between buildings or grades, so a teacher's clash is by time, not number.
    if (other.teacherId === candidate.teacherId && timesOverlap(candidate, other)) {
      return { kind: "teacher", with: other };
    }
  }
  return null;
}

export const WEEKDAY_NAMES = [
  "",
  "понедельник",
  "вторник",
  "среда",
  "четверг",
  "пятница",
  "суббота",
  "воскресенье",
];
