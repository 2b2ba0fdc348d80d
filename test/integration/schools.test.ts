import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addHoliday,
  createYear,
  getSchool,
  listPeriods,
  listYears,
  removeHoliday,
  updateSchoolSettings,
} from "../../src/journal/schools.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "Гимназия № 3");
});
afterAll(() => t.drop());

describe("school settings", () => {
  it("the admin changes settings, audited with before and after", async () => {
    const after = await updateSchoolSettings(t.db, s.people.admin.actor, { markLockDays: 5, weekDays: 6 });
    expect(after).toMatchObject({ markLockDays: 5, weekDays: 6 });
    const row = await t.db.auditLog.findFirstOrThrow({ where: { action: "school.settings" } });
    expect(row.before).toEqual({ markLockDays: 10, weekDays: 5 });
    await updateSchoolSettings(t.db, s.people.admin.actor, { markLockDays: 10, weekDays: 5 });
  });
  it("others may not, and nonsense is refused", async () => {
    await expect(
      updateSchoolSettings(t.db, s.people.deputy.actor, { markLockDays: 3 }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      updateSchoolSettings(t.db, s.people.admin.actor, { timeZone: "Moscow" }),
    ).rejects.toMatchObject({
      code: "validation",
    });
    await expect(updateSchoolSettings(t.db, s.people.admin.actor, { weekDays: 7 })).rejects.toMatchObject({
      code: "validation",
    });
  });
  it("getSchool shows only the actor's own school", async () => {
    expect((await getSchool(t.db, other.people.math.actor)).name).toBe("Гимназия № 3");
    expect((await getSchool(t.db, s.guardians.petrovaMother.actor)).holidays).toHaveLength(2);
  });
});

describe("holidays", () => {
  it("deputy adds and removes; a teacher may not; another school's is not found", async () => {
    const h = await addHoliday(t.db, s.people.deputy.actor, {
      fromDate: "2027-02-22",
      toDate: "2027-02-23",
      name: "Карантин",
    });
    await expect(
      addHoliday(t.db, s.people.math.actor, {
        fromDate: "2027-02-22",
        toDate: "2027-02-23",
        name: "Карантин",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      addHoliday(t.db, s.people.admin.actor, {
        fromDate: "2027-02-24",
        toDate: "2027-02-23",
        name: "Наоборот",
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(removeHoliday(t.db, other.people.admin.actor, { holidayId: h.id })).rejects.toMatchObject({
      code: "not_found",
    });
    await removeHoliday(t.db, s.people.admin.actor, { holidayId: h.id });
    expect(await t.db.holiday.count({ where: { schoolId: s.school.id } })).toBe(2);
  });
});

describe("academic years and periods", () => {
  it("creates a year with quarters split evenly plus the year period", async () => {
    const y = await createYear(t.db, s.people.admin.actor, {
      name: "2027/2028",
      startDate: "2027-09-01",
      endDate: "2028-05-31",
    });
    expect(y.periods.map((p) => [p.kind, p.number])).toEqual([
      ["QUARTER", 1],
      ["YEAR", 1],
      ["QUARTER", 2],
      ["QUARTER", 3],
      ["QUARTER", 4],
    ]);
    expect((await listYears(t.db, s.people.math.actor)).map((x) => x.name)).toEqual([
      "2027/2028",
      "2026/2027",
    ]);
    const { periods } = await listPeriods(t.db, s.people.math.actor, { yearId: y.id });
    expect(periods).toHaveLength(5);
    expect(periods.at(-1)?.kind).toBe("YEAR");
  });
  it("uses the school's period system and given boundaries; refuses a wrong count or overlap", async () => {
    await updateSchoolSettings(t.db, other.people.admin.actor, { periodSystem: "TRIMESTERS" });
    const bad = createYear(t.db, other.people.admin.actor, {
      name: "2027/2028",
      startDate: "2027-09-01",
      endDate: "2028-05-31",
      periods: [
        { startDate: "2027-09-01", endDate: "2027-12-31" },
        { startDate: "2028-01-10", endDate: "2028-05-31" },
      ],
    });
    await expect(bad).rejects.toMatchObject({
      code: "validation",
      message: expect.stringContaining("укажите 3"),
    });
    const overlap = createYear(t.db, other.people.admin.actor, {
      name: "2027/2028",
      startDate: "2027-09-01",
      endDate: "2028-05-31",
      periods: [
        { startDate: "2027-09-01", endDate: "2027-11-30" },
        { startDate: "2027-11-20", endDate: "2028-02-28" },
        { startDate: "2028-03-01", endDate: "2028-05-31" },
      ],
    });
    await expect(overlap).rejects.toMatchObject({
      code: "validation",
      message: expect.stringContaining("Период 2"),
    });
    const y = await createYear(t.db, other.people.admin.actor, {
      name: "2027/2028",
      startDate: "2027-09-01",
      endDate: "2028-05-31",
      periods: [
        { startDate: "2027-09-01", endDate: "2027-11-30" },
        { startDate: "2027-12-01", endDate: "2028-02-28" },
        { startDate: "2028-03-01", endDate: "2028-05-31" },
      ],
    });
    expect(y.periods.filter((p) => p.kind === "TRIMESTER")).toHaveLength(3);
  });
  it("only the admin opens a year, and a name once", async () => {
    await expect(
      createYear(t.db, s.people.deputy.actor, {
        name: "2028/2029",
        startDate: "2028-09-01",
        endDate: "2029-05-31",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createYear(t.db, s.people.admin.actor, {
        name: "2026/2027",
        startDate: "2026-09-01",
        endDate: "2027-05-31",
      }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
  it("another school's year is not found", async () => {
    await expect(listPeriods(t.db, other.people.admin.actor, { yearId: s.year.id })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
