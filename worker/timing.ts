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
  /** The window in which later alerts are merged into the first one; 0: none. */
  coalesceMs: number;
  /** Urgent messages from the class teacher bypass quiet hours. */
  urgent: boolean;
  isAbsence: boolean;
  coalescable: boolean;
  /**
   * The channel edits a message already sent (Telegram): every alert leaves at once and later
   * ones are merged into the first by an edit. Otherwise (e-mail) the first leaves at once and
   * what comes within the window waits for its end, to go as one follow-up.
   */
  canEdit: boolean;
  /** sendAfter of a follow-up already waiting for this recipient and channel, if any. */
  openBatchAt?: Date;
  /** When the last first-of-a-window message went to this recipient on this channel, if recently. */
  lastSentAt?: Date;
}

/** The instant a new delivery may be sent. */
export function sendAfterFor(i: TimingInput): Date {
  const earliest = new Date(i.now.getTime() + (i.isAbsence ? i.graceMs : 0));
  let at = earliest;
  if (i.coalescable && i.coalesceMs > 0 && !i.canEdit) {
    const windowEnd = i.lastSentAt ? i.lastSentAt.getTime() + i.coalesceMs : 0;
    if (i.openBatchAt && i.openBatchAt >= earliest) at = i.openBatchAt;
    else if (windowEnd > earliest.getTime()) at = new Date(windowEnd);
  }
  return i.urgent ? at : afterQuietHours(at, i.timeZone, i.quietStart, i.quietEnd);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How long an alert stays worth sending, counted from when it may first go (so quiet hours do not
 * eat its life): temporary failures are retried until then, after that the delivery is EXPIRED
 * and shown in the delivery statistics. Marks, absences and homework: a day (the diary has them
 * anyway); messages and period results: three days; the weekly summary: two days. Reminders carry
 * their own end (the fill deadline they remind of) as `until`.
 */
export const ALERT_LIFETIME_MS: Record<string, number> = {
  "mark.posted": DAY,
  "mark.corrected": DAY,
  "attendance.recorded": DAY,
  "homework.set": DAY,
  "absence.reported": DAY,
  "timetable.changed": DAY,
  "lesson.substituted": DAY,
  "message.sent": 3 * DAY,
  "period.published": 3 * DAY,
  "notify.weekly": 2 * DAY,
  "notify.control": DAY,
  "notify.reminder": 12 * HOUR,
};

export function expiresAtFor(type: string, sendAfter: Date, until?: Date): Date {
  const life = ALERT_LIFETIME_MS[type] ?? DAY;
  const end = new Date(sendAfter.getTime() + life);
  return until && until < end ? until : end;
}
