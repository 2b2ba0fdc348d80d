import { describe, expect, it } from "vitest";
import { gridHref, lessonHref, remarks } from "./links";

describe("control drill-down links", () => {
  it("opens the grid on the row's class, subject, period and subgroup", () => {
    const row = { class: { id: 3 }, subject: { id: 7 }, subgroup: null, periodId: 2 };
    expect(gridHref(row)).toBe("/journal?classId=3&subjectId=7&periodId=2");
    expect(gridHref({ ...row, subgroup: { id: 9 }, periodId: null })).toBe(
      "/journal?classId=3&subjectId=7&subgroupId=9",
    );
    expect(lessonHref(41)).toBe("/lessons/41");
  });

  it("counts a row's remarks (the missing parts of one lesson count once)", () => {
    expect(remarks({ unfilled: 2, late: 1, singleMark: 0, twos: 3 })).toBe(6);
    expect(remarks({ unfilled: 0, late: 0, singleMark: 0, twos: 0 })).toBe(0);
  });
});
