import { describe, expect, it } from "vitest";
import { subjectNameProblem } from "../../src/journal/roster.js";
import { periodsProblem, splitYear } from "../../src/journal/schools.js";

describe("subject names are capitalised as in the curriculum (002 §5.1)", () => {
  it.each([
    ["Математика", null],
    ["ОДНКНР", null],
    ["Русский язык", null],
    ["математика", "«Математика»"],
    ["иностранный язык (английский)", "«Иностранный язык (английский)»"],
  ])("%s", (name, hint) => {
    const problem = subjectNameProblem(name);
    if (hint === null) expect(problem).toBeNull();
    else expect(problem).toContain(hint);
  });
});

describe("periods of a year", () => {
  it("splits a year into consecutive parts covering it", () => {
    const q = splitYear("2026-09-01", "2027-05-31", 4);
    expect(q[0]?.startDate).toBe("2026-09-01");
    expect(q.at(-1)?.endDate).toBe("2027-05-31");
    expect(periodsProblem({ startDate: "2026-09-01", endDate: "2027-05-31" }, q)).toBeNull();
  });
  it.each([
    [[{ startDate: "2026-08-01", endDate: "2026-10-01" }], "выходит за границы"],
    [[{ startDate: "2026-10-01", endDate: "2026-09-20" }], "раньше даты начала"],
    [
      [
        { startDate: "2026-09-01", endDate: "2026-12-01" },
        { startDate: "2026-12-01", endDate: "2027-05-01" },
      ],
      "Период 2 начинается раньше",
    ],
  ])("refuses %j", (periods, message) => {
    expect(periodsProblem({ startDate: "2026-09-01", endDate: "2027-05-31" }, periods)).toContain(message);
  });
});
