import { DateTime } from "luxon";
import type { DbOrTx } from "../../db/client.js";
import { isoOf } from "../validate.js";

/**
 * The school's calendar: which days are school days, what "today" is, and when a mark locks.
 * Every date is computed in the school's IANA time zone with luxon, never in the server's.
 */
export interface HolidayRange {
  /** "YYYY-MM-DD", inclusive. */
  from: string;
  /** "YYYY-MM-DD", inclusive. */
  to: string;
}

export interface SchoolDays {
  /** 5: Monday–Friday; 6: Monday–Saturday. */
  weekDays: number;
  holidays: readonly HolidayRange[];
}

export interface SchoolCalendar extends SchoolDays {
  timeZone: string;
  /** Working days during which the author may still change a mark (004 §5.3). */
  markLockDays: number;
}

export const schoolNow = (timeZone: string, now: Date = new Date()): DateTime =>
  DateTime.fromJSDate(now, { zone: timeZone });

/** The school's local date "YYYY-MM-DD" at `now`. */
export const schoolToday = (timeZone: string, now: Date = new Date()): string =>
  schoolNow(timeZone, now).toISODate()!;

const day = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });

export function isSchoolDay(iso: string, cal: SchoolDays): boolean {
  const weekday = day(iso).weekday; // 1 = Monday
  if (weekday > cal.weekDays) return false;
  // ISO dates compare correctly as strings.
  return !cal.holidays.some((h) => h.from <= iso && iso <= h.to);
}

/** School days d with fromIso < d ≤ toIso (0 when toIso is not after fromIso). */
export function workingDaysBetween(fromIso: string, toIso: string, cal: SchoolDays): number {
  let count = 0;
  for (let d = day(fromIso).plus({ days: 1 }); d.toISODate()! <= toIso; d = d.plus({ days: 1 })) {
    if (isSchoolDay(d.toISODate()!, cal)) count++;
  }
  return count;
}

/**
 * The moment a mark locks. The day the mark was given does not count; the author may change it
 * through the end of the markLockDays-th school day after that day (school's local time), and
 * it locks at the local midnight that follows. Weekends and holidays do not count, so a mark
 * given before a vacation stays open for the same number of real school days.
 */
export function lockEndsAt(createdAt: Date, cal: SchoolCalendar): Date {
  let d = schoolNow(cal.timeZone, createdAt).startOf("day");
  let left = cal.markLockDays;
  // A guard against a calendar of holidays only: stop after ten years.
  for (let guard = 0; left > 0 && guard < 3660; guard++) {
    d = d.plus({ days: 1 });
    if (isSchoolDay(d.toISODate()!, cal)) left--;
  }
  return d.plus({ days: 1 }).startOf("day").toJSDate();
}

export const isMarkLocked = (createdAt: Date, now: Date, cal: SchoolCalendar): boolean =>
  now.getTime() >= lockEndsAt(createdAt, cal).getTime();

export async function loadCalendar(db: DbOrTx, schoolId: number): Promise<SchoolCalendar> {
  const school = await db.school.findUniqueOrThrow({
    where: { id: schoolId },
    select: {
      timeZone: true,
      weekDays: true,
      markLockDays: true,
      holidays: { select: { fromDate: true, toDate: true } },
    },
  });
  return {
    timeZone: school.timeZone,
    weekDays: school.weekDays,
    markLockDays: school.markLockDays,
    holidays: school.holidays.map((h) => ({ from: isoOf(h.fromDate), to: isoOf(h.toDate) })),
  };
}

/** The school's local "today" read from the database (one small query). */
export async function loadSchoolToday(db: DbOrTx, schoolId: number, now: Date = new Date()) {
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { timeZone: true } });
  return { timeZone: school.timeZone, today: schoolToday(school.timeZone, now) };
}
