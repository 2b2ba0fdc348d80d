import { DateTime, Settings } from "luxon";
import { schoolDays, YEAR } from "../prisma/seed/calendar.js";

/**
 * The demo's day. A day without lessons (weekend, holiday, summer) plays the nearest school day
 * before it, so `npm run demo` tells a school day whenever it is run.
 */
export function demoDay(today: string): string {
  const before = schoolDays(YEAR.start, today < YEAR.end ? today : YEAR.end);
  return before.at(-1)?.iso ?? schoolDays(YEAR.start, YEAR.end)[0]!.iso;
}

/**
 * Moves the journal's "now" for this whole process: `new Date()` (what the services read) and
 * luxon's clock start at `at` and run at real speed. `Date.now()` stays real, so BullMQ's delays,
 * locks and the per-chat pacing (all on `Date.now()`) keep real timing. Returns the moved clock
 * for the worker's `clock` option.
 */
export function moveClock(at: Date): () => Date {
  const RealDate = Date;
  const offset = at.getTime() - RealDate.now();
  const now = () => RealDate.now() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
  });
  Settings.now = now;
  return () => new RealDate(now());
}

/** 09:00 of a local date in the school's zone. */
export const morningOf = (iso: string, timeZone: string) =>
  DateTime.fromISO(`${iso}T09:00`, { zone: timeZone }).toJSDate();
