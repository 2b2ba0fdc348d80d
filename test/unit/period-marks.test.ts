import { describe, expect, it } from "vitest";
import {
  checkPeriodMark,
  checkYearMark,
  isGoodReason,
  minMarksForLoad,
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
