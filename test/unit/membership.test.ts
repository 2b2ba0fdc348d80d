import { describe, expect, it } from "vitest";
import { inForceOn, overlaps } from "../../src/journal/membership.js";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("a stay (enrolment or subgroup membership) is in force from joinedOn up to leftOn, exclusive", () => {
  it.each([
    ["joined that day", { joinedOn: d("2026-11-23"), leftOn: null }, "2026-11-23", true],
    ["before joining", { joinedOn: d("2026-11-23"), leftOn: null }, "2026-11-20", false],
    ["left that day (first day away)", { joinedOn: null, leftOn: d("2026-11-23") }, "2026-11-23", false],
    ["the day before leaving", { joinedOn: null, leftOn: d("2026-11-23") }, "2026-11-20", true],
    ["since the start, never left", { joinedOn: null, leftOn: null }, "2026-09-01", true],
    ["as JSON text", { joinedOn: "2026-09-01", leftOn: "2026-11-12" }, "2026-11-11", true],
  ])("%s", (_what, stay, day, expected) => {
    expect(inForceOn(stay, day)).toBe(expected);
  });
  it.each([
    ["left before the range", { joinedOn: null, leftOn: d("2026-11-05") }, false],
    ["left on its first day", { joinedOn: null, leftOn: d("2026-11-06") }, false],
    ["left on its second day", { joinedOn: null, leftOn: d("2026-11-07") }, true],
    ["joined on its last day", { joinedOn: d("2026-12-28"), leftOn: null }, true],
    ["joined after it", { joinedOn: d("2026-12-29"), leftOn: null }, false],
  ])("overlaps 06.11–28.12: %s", (_what, stay, expected) => {
    expect(overlaps(stay, "2026-11-06", "2026-12-28")).toBe(expected);
  });
});
