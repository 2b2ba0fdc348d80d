import { DateTime } from "luxon";

/**
 * The 2026/2027 school year as Russian schools keep it: four quarters, autumn, winter and spring
 * breaks, and the public holidays that fall on school days.
 */
export const YEAR = { name: "2026/2027", start: "2026-09-01", end: "2027-05-31" } as const;

export const QUARTERS = [
  { number: 1, name: "1 четверть", start: "2026-09-01", end: "2026-10-25" },
  { number: 2, name: "2 четверть", start: "2026-11-05", end: "2026-12-28" },
  { number: 3, name: "3 четверть", start: "2027-01-12", end: "2027-03-21" },
  { number: 4, name: "4 четверть", start: "2027-03-31", end: "2027-05-31" },
] as const;

export const HOLIDAYS = [
  { from: "2026-10-26", to: "2026-11-03", name: "Осенние каникулы" },
  { from: "2026-11-04", to: "2026-11-04", name: "День народного единства" },
  { from: "2026-12-29", to: "2027-01-11", name: "Зимние каникулы" },
  { from: "2027-02-23", to: "2027-02-23", name: "День защитника Отечества" },
  { from: "2027-03-08", to: "2027-03-08", name: "Международный женский день" },
  { from: "2027-03-22", to: "2027-03-30", name: "Весенние каникулы" },
  { from: "2027-05-01", to: "2027-05-01", name: "Праздник Весны и Труда" },
  { from: "2027-05-09", to: "2027-05-10", name: "День Победы" },
] as const;

/** Bell times of lessons 1–7 (45 minutes, 10–20 minute breaks). */
export const BELLS: readonly (readonly [string, string])[] = [
  ["08:30", "09:15"],
  ["09:25", "10:10"],
  ["10:30", "11:15"],
  ["11:35", "12:20"],
  ["12:30", "13:15"],
  ["13:25", "14:10"],
  ["14:20", "15:05"],
];

/** UTC midnight of a local date: how DATE columns are held in this project. */
export const dateOnly = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

export const isHoliday = (iso: string) => HOLIDAYS.some((h) => h.from <= iso && iso <= h.to);

export interface SchoolDay {
  iso: string;
  /** 1 = Monday */
  weekday: number;
}

/** Monday–Friday school days from `from` to `to` inclusive, holidays skipped. */
export function schoolDays(from: string, to: string): SchoolDay[] {
  const out: SchoolDay[] = [];
  for (let d = DateTime.fromISO(from, { zone: "utc" }); d.toISODate()! <= to; d = d.plus({ days: 1 })) {
    const iso = d.toISODate()!;
    if (d.weekday <= 5 && !isHoliday(iso)) out.push({ iso, weekday: d.weekday });
  }
  return out;
}

/** The Sunday that ends the week of `iso` (the current week is materialised up to it). */
export const endOfWeek = (iso: string) => DateTime.fromISO(iso, { zone: "utc" }).endOf("week").toISODate()!;

/** The quarter a date falls in, or null in a break. */
export const quarterOf = (iso: string) => QUARTERS.find((q) => q.start <= iso && iso <= q.end) ?? null;

/** A moment on a local date and "HH:mm" in the school's zone, as a Date. */
export const localMoment = (iso: string, hhmm: string, timeZone: string) =>
  DateTime.fromISO(`${iso}T${hhmm}`, { zone: timeZone }).toJSDate();
