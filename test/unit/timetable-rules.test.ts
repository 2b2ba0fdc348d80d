import { describe, expect, it } from "vitest";
import {
  findClash,
  type SlotShape,
  timesOverlap,
  validityOverlaps,
} from "../../src/journal/rules/timetable.js";

const base: SlotShape = {
  id: 1,
  classId: 5,
  subgroupId: null,
  teacherId: 10,
  weekday: 1,
  lessonNumber: 1,
  startsAt: "08:30",
  endsAt: "09:15",
  validFrom: "2026-09-01",
  validTo: null,
};
const cand = (over: Partial<SlotShape>): SlotShape => ({ ...base, id: undefined, teacherId: 11, ...over });

describe("validity and time overlap", () => {
  it.each([
    [{ validFrom: "2026-09-01", validTo: "2026-12-31" }, { validFrom: "2027-01-01", validTo: null }, false],
    [{ validFrom: "2026-09-01", validTo: "2026-12-31" }, { validFrom: "2026-12-31", validTo: null }, true],
    [{ validFrom: "2026-09-01", validTo: null }, { validFrom: "2027-01-01", validTo: "2027-02-01" }, true],
  ])("%j vs %j → %s", (a, b, expected) => {
    expect(validityOverlaps(a, b)).toBe(expected);
    expect(validityOverlaps(b, a)).toBe(expected);
  });
  it.each([
    ["08:30", "09:15", "09:15", "10:00", false],
    ["08:30", "09:15", "09:00", "09:45", true],
    ["08:30", "09:15", "08:00", "10:00", true],
  ])("%s–%s vs %s–%s → %s", (s1, e1, s2, e2, expected) => {
    expect(timesOverlap({ startsAt: s1, endsAt: e1 }, { startsAt: s2, endsAt: e2 })).toBe(expected);
  });
});

describe("findClash", () => {
  it.each<[string, Partial<SlotShape>, Partial<SlotShape>, "class" | "teacher" | null]>([
    ["same class, day and number", {}, {}, "class"],
    ["another weekday", {}, { weekday: 2 }, null],
    ["another number", {}, { lessonNumber: 2, startsAt: "09:25", endsAt: "10:10" }, null],
    ["two different subgroups", { subgroupId: 1 }, { subgroupId: 2 }, null],
    ["the same subgroup", { subgroupId: 1 }, { subgroupId: 1 }, "class"],
    ["whole class and a subgroup", {}, { subgroupId: 2 }, "class"],
    [
      "old slot ended before the new one starts",
      { validTo: "2026-12-31" },
      { validFrom: "2027-01-12" },
      null,
    ],
    ["the same teacher elsewhere at the same time", { teacherId: 11 }, { classId: 6 }, "teacher"],
    [
      "the same teacher elsewhere later",
      { teacherId: 11 },
      { classId: 6, lessonNumber: 2, startsAt: "09:25", endsAt: "10:10" },
      null,
    ],
    [
      "the same teacher, two subgroups at once",
      { teacherId: 11, subgroupId: 1 },
      { subgroupId: 2 },
      "teacher",
    ],
    ["another teacher in another class", {}, { classId: 6 }, null],
  ])("%s", (_name, existing, candidate, expected) => {
    expect(findClash(cand(candidate), [{ ...base, ...existing }])?.kind ?? null).toBe(expected);
  });
  it("ignores the slot being edited itself", () => {
    expect(findClash({ ...base }, [base])).toBeNull();
  });
});
