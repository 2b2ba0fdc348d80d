import type { DbOrTx } from "../db/client.js";
import type { Actor } from "./actor.js";
import { notFound } from "./errors.js";
import { excelFractionTime, excelSerialDate } from "./imports-decode.js";
import { dateOnly, isoOf } from "./validate.js";

/** Pieces shared by the class-list, timetable and topic-plan imports. */

export interface Problem {
  row: number;
  column?: string;
  message: string;
}

export class Problems {
  readonly list: Problem[] = [];
  add(row: number, message: string, column?: string) {
    this.list.push(column ? { row, column, message } : { row, message });
  }
  get empty() {
    return this.list.length === 0;
  }
}

export const norm = (s: string) => s.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");

/** "5А", "5 а", "10-Б" → grade and upper-case letter. */
export function parseClassName(value: string): { grade: number; letter: string } | null {
  // No two space runs side by side in the expression: that was quadratic on a long cell.
  const m = /^(\d{1,2})\s*(?:[-–]\s*)?(\p{L}{1,3})$/u.exec(value.trim());
  if (!m) return null;
  const grade = Number(m[1]);
  if (grade < 1 || grade > 11) return null;
  return { grade, letter: m[2]!.toUpperCase() };
}
export const className = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;

/**
 * A date as spreadsheets write it → "2026-11-24", null when not a real date: "24.11.2026",
 * "24.11.26", "1.9.2015", "2026-11-24", any of them with a time after it ("01.09.2015 0:00:00",
 * as a CSV of a date-time cell), or an Excel serial day number ("42248", a date cell without its
 * format).
 */
export function parseDate(value: string): string | null {
  const v = value.trim().replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, "");
  let iso: string | null = excelSerialDate(v);
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(v);
  if (ru) {
    const year = ru[3]!.length === 2 ? `20${ru[3]}` : ru[3]!;
    iso = `${year}-${ru[2]!.padStart(2, "0")}-${ru[1]!.padStart(2, "0")}`;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    iso = v;
  }
  if (!iso) return null;
  const d = dateOnly(iso);
  return Number.isNaN(d.getTime()) || isoOf(d) !== iso ? null : iso;
}

/**
 * A time of day as schools type it → "08:30", null when not one: "8:30", "08:30", "8.30",
 * "8:30:00" (a CSV of a time cell), or Excel's fraction of a day ("0.3541666").
 */
export function parseTime(value: string): string | null {
  const v = value.trim();
  const fraction = excelFractionTime(v);
  if (fraction) return fraction;
  const m = /^(\d{1,2})[:.](\d{2})(:\d{2})?$/.exec(v);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, "0")}:${m[2]}`;
}

const WEEKDAYS = ["пн", "вт", "ср", "чт", "пт", "сб"];
const WEEKDAY_NAMES = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота"];
export const weekdayName = (n: number) => WEEKDAY_NAMES[n - 1] ?? String(n);

/** "1".."6", "Пн", "понедельник" → ISO weekday. */
export function parseWeekday(value: string): number | null {
  const v = norm(value).replace(/\.$/, "");
  if (/^[1-6]$/.test(v)) return Number(v);
  const short = WEEKDAYS.indexOf(v);
  if (short >= 0) return short + 1;
  const full = v.length >= 3 ? WEEKDAY_NAMES.findIndex((n) => n.startsWith(v)) : -1;
  return full >= 0 ? full + 1 : null;
}

/** The school year the import is for: the one asked for, else the one containing today, else the latest. */
export async function resolveYear(db: DbOrTx, actor: Actor, yearId: number | undefined, today: string) {
  if (yearId !== undefined) {
    const y = await db.academicYear.findUnique({ where: { id: yearId } });
    if (!y || y.schoolId !== actor.schoolId) throw notFound("Учебный год");
    return y;
  }
  const d = dateOnly(today);
  const current = await db.academicYear.findFirst({
    where: { schoolId: actor.schoolId, startDate: { lte: d }, endDate: { gte: d } },
  });
  const year =
    current ??
    (await db.academicYear.findFirst({
      where: { schoolId: actor.schoolId },
      orderBy: { startDate: "desc" },
    }));
  if (!year) throw notFound("Учебный год");
  return year;
}

export interface StaffEntry {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
}

/** "Кузнецова Анна Сергеевна", "Кузнецова А.С.", "Кузнецова А. С." → one staff member, or why not. */
export function matchPerson(value: string, staff: readonly StaffEntry[]): StaffEntry | string {
  const tokens = value
    .replace(/\./g, ". ")
    .split(/\s+/)
    .map((t) => t.replace(/\.$/, ""))
    .filter(Boolean);
  if (tokens.length === 0) return "не указан";
  const [last, ...rest] = tokens.map(norm);
  const hits = staff.filter((s) => {
    if (norm(s.lastName) !== last) return false;
    const [f, m] = rest;
    if (f && !norm(s.firstName).startsWith(f)) return false;
    if (m && !norm(s.middleName ?? "").startsWith(m)) return false;
    return true;
  });
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) return `«${value}» не найден среди сотрудников школы`;
  return `«${value}» — несколько совпадений: укажите имя и отчество полностью`;
}
