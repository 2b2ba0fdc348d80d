import { DateTime } from "luxon";

/**
 * When a lesson's journal entry is due and what it lacks (002 §4.4.1, 003 §5.2): attendance, the
 * topic, and homework (or an explicit "не задано"), the last not asked in grade 1 (002 §3.7).
 */
export type FillGap = "attendance" | "topic" | "homework";

export interface FillableLesson {
  attendanceAt: Date | null;
  topic: string | null;
  homework: string | null;
  homeworkNone: boolean;
}

/** What the lesson's entry lacks, in a fixed order; empty when it is complete. */
export function lessonGaps(l: FillableLesson, grade: number): FillGap[] {
  const gaps: FillGap[] = [];
  if (!l.attendanceAt) gaps.push("attendance");
  if (!l.topic) gaps.push("topic");
  if (grade !== 1 && !l.homework && !l.homeworkNone) gaps.push("homework");
  return gaps;
}

/** The instant a lesson day's entries are due: `fillDeadline` ("HH:mm") on that day, school time. */
export const fillDeadlineOf = (date: string, fillDeadline: string, timeZone: string): Date =>
  DateTime.fromISO(`${date}T${fillDeadline}`, { zone: timeZone }).toJSDate();

/** Attendance was recorded after its day's deadline (a late entry). */
export const enteredLate = (enteredAt: Date | null, due: Date): boolean =>
  enteredAt !== null && enteredAt.getTime() > due.getTime();
