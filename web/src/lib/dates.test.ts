import { describe, expect, it } from "vitest";
import { addDays, ruDate, todayIn, weekOf } from "./dates";

describe("school weeks", () => {
  it.each([
    ["2026-11-16", "2026-11-16", "2026-11-22"], // Monday
    ["2026-11-19", "2026-11-16", "2026-11-22"], // Thursday
    ["2026-11-22", "2026-11-16", "2026-11-22"], // Sunday
    ["2027-01-01", "2026-12-28", "2027-01-03"], // across the new year
    ["2028-03-01", "2028-02-28", "2028-03-05"], // across a leap day
  ])("%s lies in %s – %s", (day, from, to) => {
    expect(weekOf(day)).toEqual({ from, to });
  });

  it("moves by days across months and years", () => {
    expect(addDays("2026-11-30", 1)).toBe("2026-12-01");
    expect(addDays("2027-01-03", -7)).toBe("2026-12-27");
  });

  it("takes today in the school's zone, not the browser's", () => {
    const late = new Date("2026-11-16T22:30:00Z");
    expect(todayIn("Europe/Moscow", late)).toBe("2026-11-17");
    expect(todayIn("Europe/London", late)).toBe("2026-11-16");
  });

  it("writes dates the Russian way", () => {
    expect(ruDate("2026-11-16")).toBe("16.11.2026");
  });
});
