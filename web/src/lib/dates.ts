/**
 * School weeks on calendar dates ("YYYY-MM-DD", no time zone arithmetic): Monday to Sunday.
 */
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(iso: string, days: number): string {
  const d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return toIso(d);
}

/** The Monday–Sunday week holding the date. */
export function weekOf(iso: string): { from: string; to: string } {
  const weekday = (toDate(iso).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const from = addDays(iso, -weekday);
  return { from, to: addDays(from, 6) };
}

/** Today in the school's time zone. */
export const todayIn = (timeZone: string, now = new Date()) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    now,
  );

/** "2026-11-16" → "16.11.2026". */
export const ruDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
