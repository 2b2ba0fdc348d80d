import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool } from "../support/school.js";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

describe("test school fixture", () => {
  it("builds a school whose classes, guardians and timetable read back through Prisma", async () => {
    const s = await buildSchool(t.db);
    const pupils = await t.db.enrolment.count({ where: { classId: s.classes.class5.id } });
    expect(pupils).toBe(5);
    const wards = await t.db.guardianLink.findMany({ where: { guardianId: s.guardians.ivanovaMother.id } });
    expect(wards.map((w) => w.pupilId).sort()).toEqual([s.pupils.ivanov.id, s.pupils.ivanova.id].sort());
    expect(await t.db.timetableSlot.count()).toBe(21);
    const lesson = await s.lesson(s.assignments.math5, "2026-11-24");
    expect(lesson.date.toISOString()).toBe("2026-11-24T00:00:00.000Z");
  });
});
