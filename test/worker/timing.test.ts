import { describe, expect, it } from "vitest";
import {
  afterQuietHours,
  expiresAtFor,
  inQuietHours,
  lastOccurrence,
  sendAfterFor,
} from "../../worker/timing.js";

const at = (iso: string) => new Date(iso);

describe("quiet hours", () => {
  it.each([
    // [instant, zone, start, end, quiet?]
    ["2026-11-24T20:59:00+03:00", "Europe/Moscow", "21:00", "08:00", false],
    ["2026-11-24T21:00:00+03:00", "Europe/Moscow", "21:00", "08:00", true],
    ["2026-11-25T03:00:00+03:00", "Europe/Moscow", "21:00", "08:00", true],
    ["2026-11-25T07:59:00+03:00", "Europe/Moscow", "21:00", "08:00", true],
    ["2026-11-25T08:00:00+03:00", "Europe/Moscow", "21:00", "08:00", false],
    // Same instant, another zone: 14:30 Moscow is 21:30 in Vladivostok and 16:30 in Yekaterinburg.
    ["2026-11-24T14:30:00+03:00", "Asia/Vladivostok", "21:00", "08:00", true],
    ["2026-11-24T14:30:00+03:00", "Asia/Yekaterinburg", "21:00", "08:00", false],
    // A window inside one day (a guardian who works nights sleeps 09:00–15:00).
    ["2026-11-24T12:00:00+03:00", "Europe/Moscow", "09:00", "15:00", true],
    ["2026-11-24T16:00:00+03:00", "Europe/Moscow", "09:00", "15:00", false],
    // start = end: no quiet hours.
    ["2026-11-24T03:00:00+03:00", "Europe/Moscow", "00:00", "00:00", false],
  ])("%s in %s with %s–%s → quiet %s", (iso, zone, start, end, quiet) => {
    expect(inQuietHours(at(iso), zone, start, end)).toBe(quiet);
  });

  it.each([
    ["2026-11-24T23:30:00+03:00", "Europe/Moscow", "2026-11-25T05:00:00.000Z"], // evening → next morning
    ["2026-11-25T02:00:00+03:00", "Europe/Moscow", "2026-11-25T05:00:00.000Z"], // after midnight → same morning
    ["2026-11-24T14:30:00+03:00", "Asia/Vladivostok", "2026-11-24T22:00:00.000Z"],
    ["2026-11-24T12:00:00+03:00", "Europe/Moscow", "2026-11-24T09:00:00.000Z"], // not quiet: unchanged
  ])("an alert at %s (%s) goes at %s", (iso, zone, expected) => {
    expect(afterQuietHours(at(iso), zone, "21:00", "08:00").toISOString()).toBe(expected);
  });

  it("handles the day clocks change (no DST in Russia, but schools abroad have it)", () => {
    // Berlin leaves summer time on 2026-10-25 at 03:00: 21:00 on the 24th → 08:00 CET on the 25th.
    expect(
      afterQuietHours(at("2026-10-24T22:00:00+02:00"), "Europe/Berlin", "21:00", "08:00").toISOString(),
    ).toBe("2026-10-25T07:00:00.000Z");
  });
});

describe("when an alert may go", () => {
  const base = {
    now: at("2026-11-24T10:00:00+03:00"),
    timeZone: "Europe/Moscow",
    quietStart: "21:00",
    quietEnd: "08:00",
    graceMs: 600_000,
    coalesceMs: 60_000,
    urgent: false,
    isAbsence: false,
    coalescable: true,
    canEdit: true,
  };
  const now = base.now.toISOString(); // 07:00:00Z
  it.each([
    // [case, input patch, expected]
    ["a lone alert leaves at once (Telegram)", {}, now],
    ["a lone alert leaves at once (e-mail)", { canEdit: false }, now],
    [
      "Telegram: a later alert in the window also leaves at once (it edits)",
      { lastSentAt: at("2026-11-24T06:59:30Z") },
      now,
    ],
    [
      "e-mail: a later alert in the window waits for its end (one follow-up)",
      { canEdit: false, lastSentAt: at("2026-11-24T06:59:30Z") },
      "2026-11-24T07:00:30.000Z",
    ],
    [
      "e-mail: joins the follow-up already waiting",
      { canEdit: false, lastSentAt: at("2026-11-24T06:59:30Z"), openBatchAt: at("2026-11-24T07:00:30Z") },
      "2026-11-24T07:00:30.000Z",
    ],
    [
      "e-mail: a window already over does not hold it",
      { canEdit: false, lastSentAt: at("2026-11-24T06:58:59Z") },
      now,
    ],
    [
      "no window at all (coalesceMs 0)",
      { canEdit: false, coalesceMs: 0, lastSentAt: at("2026-11-24T06:59:30Z") },
      now,
    ],
    ["the absence grace comes first", { isAbsence: true }, "2026-11-24T07:10:00.000Z"],
    ["absence grace 0 (a school's setting)", { isAbsence: true, graceMs: 0 }, now],
    [
      "a message is never held for a window",
      { coalescable: false, canEdit: false, lastSentAt: at("2026-11-24T06:59:30Z") },
      now,
    ],
  ])("%s", (_name, patch, expected) => {
    expect(sendAfterFor({ ...base, ...patch }).toISOString()).toBe(expected);
  });
  it("sends an urgent message even at night, others after the quiet hours", () => {
    const night = at("2026-11-24T23:00:00+03:00");
    expect(sendAfterFor({ ...base, now: night, coalescable: false, urgent: true })).toEqual(night);
    expect(sendAfterFor({ ...base, now: night, coalescable: false }).toISOString()).toBe(
      "2026-11-25T05:00:00.000Z",
    );
  });
  it("finds the last digest time in the school's zone", () => {
    expect(lastOccurrence(at("2026-11-24T19:00:30+03:00"), "Europe/Moscow", "19:00").toISOString()).toBe(
      "2026-11-24T16:00:00.000Z",
    );
    expect(lastOccurrence(at("2026-11-24T18:59:00+03:00"), "Europe/Moscow", "19:00").toISOString()).toBe(
      "2026-11-23T16:00:00.000Z",
    );
  });
});

describe("how long an alert is worth sending", () => {
  const from = at("2026-11-24T10:00:00+03:00");
  it.each([
    ["mark.posted", "2026-11-25T07:00:00.000Z"],
    ["attendance.recorded", "2026-11-25T07:00:00.000Z"],
    ["message.sent", "2026-11-27T07:00:00.000Z"],
    ["period.published", "2026-11-27T07:00:00.000Z"],
    ["notify.weekly", "2026-11-26T07:00:00.000Z"],
    ["some.future.event", "2026-11-25T07:00:00.000Z"],
  ])("%s expires at %s", (type, expected) => {
    expect(expiresAtFor(type, from).toISOString()).toBe(expected);
  });
  it("a reminder lives until the deadline it reminds of", () => {
    const deadline = at("2026-11-24T17:00:00+03:00");
    expect(expiresAtFor("notify.reminder", from, deadline)).toEqual(deadline);
  });
});
