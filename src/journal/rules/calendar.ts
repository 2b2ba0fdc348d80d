import { DateTime } from "luxon";
import { type DbOrTx, Prisma, queryRows } from "../../db/client.js";

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

// One formatter per zone: "today" and mark locks are asked for on every mark, and building
// luxon objects for each costs more than the rest of the rule.
const isoDateFormats = new Map<string, Intl.DateTimeFormat>();

/** The school's local date "YYYY-MM-DD" at `now`. */
export function schoolToday(timeZone: string, now: Date = new Date()): string {
  let format = isoDateFormats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    isoDateFormats.set(timeZone, format);
  }
  return format.format(now);
}

const DAY_MS = 86_400_000;
const utcDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoOfUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function isSchoolDay(iso: string, cal: SchoolDays): boolean {
  const weekday = new Date(utcDay(iso)).getUTCDay() || 7; // 1 = Monday … 7 = Sunday
  if (weekday > cal.weekDays) return false;
  // ISO dates compare correctly as strings.
  return !cal.holidays.some((h) => h.from <= iso && iso <= h.to);
}

/** School days d with fromIso < d ≤ toIso (0 when toIso is not after fromIso). */
export function workingDaysBetween(fromIso: string, toIso: string, cal: SchoolDays): number {
  let count = 0;
  for (let ms = utcDay(fromIso) + DAY_MS; isoOfUtc(ms) <= toIso; ms += DAY_MS) {
    if (isSchoolDay(isoOfUtc(ms), cal)) count++;
  }
  return count;
}

/** The last local date on which a mark given on `givenIso` may still be changed by its author. */
function lastEditableDay(givenIso: string, cal: SchoolCalendar): string {
  let ms = utcDay(givenIso);
  let left = cal.markLockDays;
  // A guard against a calendar of holidays only: stop after ten years.
  for (let guard = 0; left > 0 && guard < 3660; guard++) {
    ms += DAY_MS;
    if (isSchoolDay(isoOfUtc(ms), cal)) left--;
  }
  return isoOfUtc(ms);
}

/**
 * The moment a mark locks. The day the mark was given does not count; the author may change it
 * through the end of the markLockDays-th school day after that day (school's local time), and
 * it locks at the local midnight that follows. Weekends and holidays do not count, so a mark
 * given before a vacation stays open for the same number of real school days.
 */
export function lockEndsAt(createdAt: Date, cal: SchoolCalendar): Date {
  const last = lastEditableDay(schoolToday(cal.timeZone, createdAt), cal);
  return DateTime.fromISO(last, { zone: cal.timeZone }).plus({ days: 1 }).startOf("day").toJSDate();
}

/**
 * When a written mark locks: the deadline stored with it when it was written (lockAt), so a later
 * change of the lock length or the holidays never reopens or shortens it. A row without one
 * (written around the services) falls back to the rule with today's settings.
 */
export const markLockAt = (mark: { createdAt: Date; lockAt: Date | null }, cal: SchoolCalendar): Date =>
  mark.lockAt ?? lockEndsAt(mark.createdAt, cal);

/** Whether the author's window for the mark has closed at `now` (see markLockAt). */
export const isMarkLocked = (
  mark: { createdAt: Date; lockAt: Date | null },
  now: Date,
  cal: SchoolCalendar,
): boolean => now.getTime() >= markLockAt(mark, cal).getTime();

/**
 * The school's calendar as one JSON value (SchoolCalendar), over the "School" row aliased
 * `school` in the caller's statement: writes read it with their other rows in one round trip.
 */
export const calendarJsonSql = (school: string): Prisma.Sql =>
  Prisma.sql`json_build_object(
      'timeZone', ${Prisma.raw(school)}."timeZone", 'weekDays', ${Prisma.raw(school)}."weekDays",
      'markLockDays', ${Prisma.raw(school)}."markLockDays",
      'holidays', COALESCE((SELECT json_agg(json_build_object('from', h."fromDate", 'to', h."toDate"))
                            FROM "Holiday" h WHERE h."schoolId" = ${Prisma.raw(school)}.id), '[]'::json))`;

/** The calendar in one statement (the ORM would load the holidays with a query of its own). */
export async function loadCalendar(db: DbOrTx, schoolId: number): Promise<SchoolCalendar> {
  const [row] = await queryRows<{ calendar: SchoolCalendar }>(
    db,
    Prisma.sql`SELECT ${calendarJsonSql("s")} AS calendar FROM "School" s WHERE s.id = ${schoolId}::int`,
  );
  if (!row) throw new Error(`school ${schoolId} not found`);
  return row.calendar;
}

/** The school's local "today" read from the database (one small query). */
export async function loadSchoolToday(db: DbOrTx, schoolId: number, now: Date = new Date()) {
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { timeZone: true } });
  return { timeZone: school.timeZone, today: schoolToday(school.timeZone, now) };
}
