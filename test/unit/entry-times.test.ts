import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/journal/errors.js";
import {
  entryTimeRefusal,
  type LessonEntry,
  requireEntryTime,
  requireLessonEntryTime,
} from "../../src/journal/rules/entry-times.js";

const TODAY = "2026-11-24";
const YESTERDAY = "2026-11-23";
const TOMORROW = "2026-11-25";
const LAST_MONTH = "2026-10-20";

describe("entryTimeRefusal: marks, attendance and topics from the lesson's day on; homework up to it", () => {
  it.each<[LessonEntry, string, "ok" | RegExp]>([
    ["mark", LAST_MONTH, "ok"],
    ["mark", YESTERDAY, "ok"],
    ["mark", TODAY, "ok"],
    ["mark", TOMORROW, /Отметки ставятся в день урока или позже/],
    ["attendance", YESTERDAY, "ok"],
    ["attendance", TODAY, "ok"],
    ["attendance", TOMORROW, /Посещаемость отмечается в день урока/],
    ["topic", YESTERDAY, "ok"],
    ["topic", TODAY, "ok"],
    ["topic", TOMORROW, /Тему урока записывают в день урока или позже/],
    ["homework", LAST_MONTH, /к прошедшему уроку не записывают/],
    ["homework", YESTERDAY, /к прошедшему уроку не записывают/],
    ["homework", TODAY, "ok"],
    ["homework", TOMORROW, "ok"],
  ])("%s for a lesson on %s (today %s)", (entry, lessonDay, expected) => {
    const refusal = entryTimeRefusal(entry, lessonDay, TODAY);
    if (expected === "ok") expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });

  it("agrees for marks and attendance on every day around today (one rule for what happened)", () => {
    for (const day of [LAST_MONTH, YESTERDAY, TODAY, TOMORROW, "2027-01-12"]) {
      const mark = entryTimeRefusal("mark", day, TODAY) === null;
      expect(entryTimeRefusal("attendance", day, TODAY) === null).toBe(mark);
      expect(entryTimeRefusal("topic", day, TODAY) === null).toBe(mark);
    }
  });

  it("throws a validation error naming the entry and the lesson's date", () => {
    expect(() => requireEntryTime("mark", TOMORROW, TODAY)).toThrow(DomainError);
    try {
      requireEntryTime("mark", TOMORROW, TODAY);
    } catch (e) {
      expect(e).toMatchObject({ code: "validation", details: { entry: "mark", lessonDate: TOMORROW } });
    }
    expect(() => requireEntryTime("homework", TODAY, TODAY)).not.toThrow();
  });

  it("counts days in the school's time zone, not the server's", () => {
    const lesson = { date: new Date(`${TOMORROW}T00:00:00Z`), timeZone: "Asia/Vladivostok" };
    // 23:30 UTC on the 24th is already the 25th in Vladivostok (UTC+10): the lesson's day has come.
    expect(() => requireLessonEntryTime("mark", lesson, new Date("2026-11-24T23:30:00Z"))).not.toThrow();
    expect(() =>
      requireLessonEntryTime(
        "mark",
        { ...lesson, timeZone: "Europe/Moscow" },
        new Date("2026-11-24T20:30:00Z"),
      ),
    ).toThrow(/ещё не прошёл/);
  });
});
