import { describe, expect, it } from "vitest";
import {
  isMarkLocked,
  isSchoolDay,
  lockEndsAt,
  type SchoolCalendar,
  schoolToday,
  workingDaysBetween,
} from "../../src/journal/rules/calendar.js";

const autumn = { from: "2026-10-26", to: "2026-11-04" };
const cal5: SchoolCalendar = { timeZone: "Europe/Moscow", weekDays: 5, markLockDays: 10, holidays: [autumn] };
const cal6: SchoolCalendar = { ...cal5, weekDays: 6 };

describe("schoolToday is the school's local date", () => {
  it.each([
    ["2026-11-24T20:59:00Z", "Europe/Moscow", "2026-11-24"],
    ["2026-11-24T21:00:00Z", "Europe/Moscow", "2026-11-25"],
    ["2026-11-24T14:00:00Z", "Asia/Vladivostok", "2026-11-25"],
    ["2026-11-24T23:00:00Z", "Europe/Kaliningrad", "2026-11-25"],
  ])("%s in %s → %s", (now, zone, expected) => {
    expect(schoolToday(zone, new Date(now))).toBe(expected);
  });
});

describe("isSchoolDay", () => {
  it.each([
    ["2026-11-24", "Tuesday", cal5, true],
    ["2026-11-28", "Saturday, 5-day week", cal5, false],
    ["2026-11-28", "Saturday, 6-day week", cal6, true],
    ["2026-11-29", "Sunday, 6-day week", cal6, false],
    ["2026-10-26", "first day of the autumn holidays", cal5, false],
    ["2026-11-04", "last day of the holidays", cal5, false],
    ["2026-11-05", "first day after the holidays", cal5, true],
  ] as const)("$0 ($1) → $3", (iso, _what, cal, expected) => {
    expect(isSchoolDay(iso, cal)).toBe(expected);
  });
});

describe("workingDaysBetween counts school days after the first date up to the second", () => {
  it.each([
    ["2026-11-24", "2026-11-24", cal5, 0],
    ["2026-11-24", "2026-11-25", cal5, 1],
    ["2026-11-27", "2026-11-30", cal5, 1], // Fri → Mon skips the weekend
    ["2026-11-27", "2026-11-30", cal6, 2], // Saturday counts in a 6-day week
    ["2026-10-23", "2026-11-05", cal5, 1], // the holidays do not count
    ["2026-11-30", "2026-11-24", cal5, 0],
  ] as const)("$0 → $1: $3 school days", (from, to, cal, expected) => {
    expect(workingDaysBetween(from, to, cal)).toBe(expected);
  });
});

describe("lockEndsAt: N school days after the day the mark was given (004 §5.3)", () => {
  it.each([
    ["Tuesday, 5-day week", "2026-11-24T07:00:00Z", cal5, "2026-12-08T21:00:00.000Z"],
    ["Tuesday, 6-day week", "2026-11-24T07:00:00Z", cal6, "2026-12-05T21:00:00.000Z"],
    ["before the autumn holidays", "2026-10-23T07:00:00Z", cal5, "2026-11-18T21:00:00.000Z"],
    // 01:30 in Moscow is already Wednesday, although it is still Tuesday in UTC.
    ["after local midnight", "2026-11-24T22:30:00Z", cal5, "2026-12-09T21:00:00.000Z"],
    [
      "3-day lock: Wed, Thu, Fri",
      "2026-11-24T07:00:00Z",
      { ...cal5, markLockDays: 3 },
      "2026-11-27T21:00:00.000Z",
    ],
  ] as const)("%s", (_name, created, cal, expected) => {
    expect(lockEndsAt(new Date(created), cal).toISOString()).toBe(expected);
  });

  it("is open on the last working day and locked the next morning", () => {
    const created = { createdAt: new Date("2026-11-24T07:00:00Z"), lockAt: null };
    expect(isMarkLocked(created, new Date("2026-12-08T20:59:59Z"), cal5)).toBe(false);
    expect(isMarkLocked(created, new Date("2026-12-08T21:00:00Z"), cal5)).toBe(true);
    expect(isMarkLocked(created, created.createdAt, cal5)).toBe(false);
  });

  it("keeps a mark open through a vacation", () => {
    const created = { createdAt: new Date("2026-10-23T07:00:00Z"), lockAt: null };
    expect(isMarkLocked(created, new Date("2026-11-10T09:00:00Z"), cal5)).toBe(false);
    expect(isMarkLocked(created, new Date("2026-11-19T09:00:00Z"), cal5)).toBe(true);
  });

  it.each([
    // The deadline stored with the mark wins over today's settings, both ways.
    [
      "a longer lock set later does not reopen it",
      { ...cal5, markLockDays: 30 },
      "2026-12-09T09:00:00Z",
      true,
    ],
    [
      "a holiday added later does not reopen it",
      { ...cal5, holidays: [...cal5.holidays, { from: "2026-11-25", to: "2026-12-08" }] },
      "2026-12-09T09:00:00Z",
      true,
    ],
    [
      "a shorter lock set later does not close it early",
      { ...cal5, markLockDays: 1 },
      "2026-12-08T09:00:00Z",
      false,
    ],
  ] as const)("%s", (_name, today, now, locked) => {
    const mark = {
      createdAt: new Date("2026-11-24T07:00:00Z"),
      lockAt: lockEndsAt(new Date("2026-11-24T07:00:00Z"), cal5),
    };
    expect(isMarkLocked(mark, new Date(now), today)).toBe(locked);
    // Without a stored deadline the rule would follow today's settings: the fault of issue 10.
    expect(isMarkLocked({ ...mark, lockAt: null }, new Date(now), today)).toBe(!locked);
  });
});
