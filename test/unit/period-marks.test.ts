import { describe, expect, it } from "vitest";
import {
  checkPeriodMark,
  checkYearMark,
  farFromAverage,
  isGoodReason,
  lastPlannedLessonEnd,
  meanOfMarks,
  minMarksForLoad,
  periodLastLessonEnd,
  periodMarksOpen,
  roundMark,
  suggestPeriodMark,
  suggestYearMark,
} from "../../src/journal/rules/period-marks.js";

const facts = (over: Partial<Parameters<typeof checkPeriodMark>[1]> = {}) => ({
  lessons: 20,
  marksCount: 5,
  average: 4.2,
  missedExcused: 0,
  missedUnexcused: 0,
  missedNoReason: 0,
  ...over,
});

describe("minimum marks by weekly load", () => {
  it.each([
    [1, 3],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 7],
  ])("%i lessons a week need %i marks", (hours, min) => expect(minMarksForLoad(hours)).toBe(min));

  it("accepts a mark with enough marks and refuses one with too few", () => {
    expect(checkPeriodMark("4", facts({ marksCount: 3 }), 3)).toBeNull();
    expect(checkPeriodMark("4", facts({ marksCount: 2 }), 3)).toMatch(
      /Недостаточно текущих отметок: 2.*не меньше 3/,
    );
  });
});

describe("н/а", () => {
  it("is allowed with no marks and more than 75% missed without good reason", () => {
    expect(
      checkPeriodMark("н/а", facts({ marksCount: 0, average: null, missedUnexcused: 16 }), 3),
    ).toBeNull();
  });
  it("is refused at exactly 75% missed without good reason", () => {
    expect(checkPeriodMark("н/а", facts({ marksCount: 0, average: null, missedUnexcused: 15 }), 3)).toMatch(
      /более 75%.*75%/,
    );
  });
  it("is refused when the pupil has marks", () => {
    expect(checkPeriodMark("н/а", facts({ marksCount: 1, missedUnexcused: 19 }), 3)).toMatch(
      /выставьте отметку/,
    );
  });
  it("is refused when the absences were for good reason: the period is extended", () => {
    expect(
      checkPeriodMark(
        "н/а",
        facts({ marksCount: 0, average: null, missedExcused: 18, missedUnexcused: 2 }),
        3,
      ),
    ).toMatch(/период продлевается/);
  });
  it("counts excused and illness as good reason, unexcused and unset as not", () => {
    expect([isGoodReason("EXCUSED"), isGoodReason("ILLNESS")]).toEqual([true, true]);
    expect([isGoodReason("UNEXCUSED"), isGoodReason(null)]).toEqual([false, false]);
  });
});

describe("н/а needs the reasons of the absences recorded (002 §5.14–5.15)", () => {
  it.each([
    ["every absence unexcused, reasons recorded", { missedUnexcused: 17, missedNoReason: 0 }, null],
    [
      "every absence without a recorded reason",
      { missedUnexcused: 17, missedNoReason: 17 },
      /причины пропусков/,
    ],
    ["one absence of 17 still without a reason", { missedUnexcused: 17, missedNoReason: 1 }, /у 1 пропуск/],
    ["reasons recorded, 75% exactly", { missedUnexcused: 15, missedNoReason: 0 }, /более 75%/],
  ])("%s", (_what, over, expected) => {
    const f = facts({ marksCount: 0, average: null, ...over });
    const refusal = checkPeriodMark("н/а", f, 3);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
    // The suggestion never proposes what would be refused.
    expect(suggestPeriodMark(f, 3).kind === "not_attested").toBe(refusal === null);
  });
});

describe("a period mark far from the average asks for confirmation (002 §5.13)", () => {
  it.each([
    ["2", 5.0, true],
    ["3", 5.0, true],
    ["4", 5.0, false],
    ["5", 5.0, false],
    ["3", 4.4, true],
    ["3", 4.0, false],
    ["5", 3.5, true],
    ["5", 4.0, false],
    ["2", 2.9, false],
    ["5", 2.5, true],
    ["н/а", 5.0, false],
    ["2", null, false],
  ] as const)("%s at an average of %s → confirm: %s", (value, average, far) => {
    expect(farFromAverage(value, average)).toBe(far);
  });
  it("a year mark is compared with the mean of the period marks", () => {
    expect(meanOfMarks(["5", "5", "4", "5"])).toBe(4.75);
    expect(meanOfMarks(["5", "н/а", null])).toBe(5);
    expect(meanOfMarks([null])).toBeNull();
  });
});

describe("the period's last lesson comes from the timetable, not from the lessons generated so far", () => {
  // 2026-12-28 is a Monday; school days Monday–Friday, winter holidays from 29.12.
  const days = { weekDays: 5, holidays: [{ from: "2026-12-29", to: "2027-01-11" }] };
  const q2 = { from: "2026-11-05", to: "2026-12-28" };
  const slot = (
    weekday: number,
    endsAt: string,
    validFrom = "2026-09-01",
    validTo: string | null = null,
  ) => ({
    weekday,
    endsAt,
    validFrom,
    validTo,
  });
  it.each([
    ["a Monday lesson: the period's last day", [slot(1, "09:15")], "2026-12-28T09:15"],
    ["Tuesday and Friday only: the last Friday", [slot(2, "09:15"), slot(5, "10:10")], "2026-12-25T10:10"],
    ["two lessons on the last day: the later end", [slot(1, "09:15"), slot(1, "11:10")], "2026-12-28T11:10"],
    [
      "a slot ended in November: its last day",
      [slot(3, "09:15", "2026-09-01", "2026-11-20")],
      "2026-11-18T09:15",
    ],
    ["a slot that starts after the period", [slot(1, "09:15", "2027-01-12")], null],
    ["no slots", [], null],
  ])("%s", (_what, slots, expected) => {
    expect(lastPlannedLessonEnd(slots, q2, days)).toBe(expected);
  });
  it("a holiday on the last day moves the last lesson back", () => {
    const ill = { weekDays: 5, holidays: [{ from: "2026-12-28", to: "2027-01-11" }] };
    expect(lastPlannedLessonEnd([slot(1, "09:15")], q2, ill)).toBe("2026-12-21T09:15");
  });
  it.each([
    [
      "lessons generated to 27.11, timetable to 28.12",
      "2026-11-27T09:15",
      "2026-12-28T09:15",
      "2026-12-28T09:15",
    ],
    [
      "an extra lesson after the timetable's last",
      "2026-12-28T12:10",
      "2026-12-28T09:15",
      "2026-12-28T12:10",
    ],
    ["no timetable: the lessons that exist", "2026-11-27T09:15", null, "2026-11-27T09:15"],
    ["neither", null, null, null],
  ])("%s", (_what, existing, planned, expected) => {
    expect(periodLastLessonEnd(existing, planned)).toBe(expected);
  });
});

describe("suggested mark", () => {
  it("rounds the weighted average half up, within 2–5", () => {
    expect([roundMark(4.5), roundMark(4.49), roundMark(3.5), roundMark(1.2)]).toEqual(["5", "4", "4", "2"]);
  });
  it("proposes a mark, н/а, an extension or nothing", () => {
    expect(suggestPeriodMark(facts({ marksCount: 2, average: 3.6 }), 3)).toEqual({
      kind: "mark",
      value: "4",
      enoughMarks: false,
    });
    expect(suggestPeriodMark(facts({ marksCount: 0, average: null, missedUnexcused: 17 }), 3).kind).toBe(
      "not_attested",
    );
    expect(suggestPeriodMark(facts({ marksCount: 0, average: null, missedExcused: 17 }), 3).kind).toBe(
      "extend",
    );
    expect(suggestPeriodMark(facts({ marksCount: 0, average: null }), 3).kind).toBe("none");
  });
  it("suggests a year mark from the period marks only when all are numbers", () => {
    expect(suggestYearMark(["4", "5", "4", "5"])).toBe("5");
    expect(suggestYearMark(["4", "4", "3", "4"])).toBe("4");
    expect(suggestYearMark(["4", null])).toBeNull();
    expect(suggestYearMark(["4", "н/а"])).toBeNull();
  });
});

describe("year, exam and final marks", () => {
  it("a year mark needs every period's mark", () => {
    expect(checkYearMark("YEAR", { periodsWithoutMark: [], hasYearMark: false })).toBeNull();
    expect(checkYearMark("YEAR", { periodsWithoutMark: ["3 четверть"], hasYearMark: false })).toMatch(
      /3 четверть/,
    );
  });
  it("a final mark needs the year mark", () => {
    expect(checkYearMark("FINAL", { periodsWithoutMark: [], hasYearMark: true })).toBeNull();
    expect(checkYearMark("FINAL", { periodsWithoutMark: [], hasYearMark: false })).toMatch(/после годовой/);
  });
});

describe("marks open after the period's last lesson", () => {
  it("opens at the end of the last lesson, school local time", () => {
    expect(periodMarksOpen("2026-12-25T09:15", "2026-12-25T09:15")).toBe(true);
    expect(periodMarksOpen("2026-12-25T09:14", "2026-12-25T09:15")).toBe(false);
    expect(periodMarksOpen("2026-12-25T09:14", null)).toBe(false);
  });
});
