import { DateTime } from "luxon";

/**
 * When a notification may go out: absence grace, coalescing and quiet hours, all in the school's
 * time zone. Pure functions (no I/O) so the rules are tested table-wise.
 */
const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Is the local time of `at` inside [start, end)? Windows may cross midnight (21:00–08:00). */
export function inQuietHours(at: Date, timeZone: string, start: string, end: string): boolean {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const t = local.hour * 60 + local.minute;
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === e) return false;
  return s < e ? t >= s && t < e : t >= s || t < e;
}

/** `at`, or the end of the quiet window `at` falls in. */
export function afterQuietHours(at: Date, timeZone: string, start: string, end: string): Date {
  if (!inQuietHours(at, timeZone, start, end)) return at;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const [eh, em] = end.split(":").map(Number);
  let endAt = local.set({ hour: eh ?? 0, minute: em ?? 0, second: 0, millisecond: 0 });
  if (endAt <= local) endAt = endAt.plus({ days: 1 });
  return endAt.toJSDate();
}

/** The most recent instant (≤ now) whose local time in `timeZone` is `hhmm`. */
export function lastOccurrence(now: Date, timeZone: string, hhmm: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const [h, m] = hhmm.split(":").map(Number);
  let at = local.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
  if (at > local) at = at.minus({ days: 1 });
  return at.toJSDate();
}

export interface TimingInput {
  now: Date;
  timeZone: string;
  quietStart: string;
  quietEnd: string;
  /** Absence alerts wait so that a teacher's correction lands first. */
  graceMs: number;
  /** 0: no coalescing window. */
  coalesceMs: number;
  /** Urgent messages from the class teacher bypass quiet hours. */
  urgent: boolean;
  isAbsence: boolean;
  coalescable: boolean;
  /** sendAfter of a batch already waiting for this recipient and channel, if any. */
  openBatchAt?: Date;
}

/** The instant a new delivery may be sent. */
export function sendAfterFor(i: TimingInput): Date {
  const earliest = new Date(i.now.getTime() + (i.isAbsence ? i.graceMs : 0));
  let at = earliest;
  if (i.coalescable && i.coalesceMs > 0) {
    const limit = earliest.getTime() + i.coalesceMs;
    // Join a batch already waiting rather than opening a new window.
    at =
      i.openBatchAt && i.openBatchAt >= earliest && i.openBatchAt.getTime() <= limit
        ? i.openBatchAt
        : new Date(limit);
  }
  return i.urgent ? at : afterQuietHours(at, i.timeZone, i.quietStart, i.quietEnd);
}
