import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPreferences, updatePreferences } from "../../src/journal/preferences.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
});
afterAll(() => t.drop());

describe("notification preferences", () => {
  it("starts from the defaults with the school's quiet hours", async () => {
    const prefs = await getPreferences(t.db, s.guardians.petrovaMother.actor);
    expect(prefs).toMatchObject({
      marks: true,
      homework: true,
      absences: true,
      messages: true,
      mode: "INSTANT",
      digestTime: "19:00",
      email: false,
      effectiveQuiet: { start: "21:00", end: "08:00", fromSchool: true },
      hasEmail: true,
    });
  });

  it("saves the person's own choice with an audit row", async () => {
    const g = s.guardians.petrovaMother;
    const prefs = await updatePreferences(t.db, g.actor, {
      homework: false,
      mode: "DIGEST",
      digestTime: "20:30",
      quietStart: "22:00",
      quietEnd: "07:00",
      email: true,
    });
    expect(prefs).toMatchObject({
      homework: false,
      mode: "DIGEST",
      digestTime: "20:30",
      email: true,
      effectiveQuiet: { start: "22:00", end: "07:00", fromSchool: false },
    });
    expect(
      await t.db.auditLog.count({ where: { action: "preferences.update", entityId: String(g.id) } }),
    ).toBe(1);
    const reset = await updatePreferences(t.db, g.actor, { quietStart: null, quietEnd: null });
    expect(reset.effectiveQuiet).toEqual({ start: "21:00", end: "08:00", fromSchool: true });
  });

  it("refuses bad input in Russian", async () => {
    const g = s.guardians.sidorovFather;
    await expect(updatePreferences(t.db, g.actor, { digestTime: "25:00" })).rejects.toThrow(/ЧЧ:ММ/);
    await expect(updatePreferences(t.db, g.actor, { quietStart: "22:00" })).rejects.toThrow(/вместе/);
    await expect(updatePreferences(t.db, g.actor, { mode: "WEEKLY" })).rejects.toMatchObject({
      code: "validation",
    });
  });

  it("refuses e-mail for a person without an address", async () => {
    const teacher = s.people.math;
    await expect(updatePreferences(t.db, teacher.actor, { email: true })).rejects.toThrow(
      /адрес электронной почты/,
    );
  });

  it("lets only the person or the journal admin change them", async () => {
    const target = s.guardians.kozlovaMother.id;
    await expect(
      updatePreferences(t.db, s.guardians.sidorovFather.actor, { personId: target, marks: false }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(getPreferences(t.db, s.people.russian.actor, { personId: target })).rejects.toMatchObject({
      code: "forbidden",
    });
    const byAdmin = await updatePreferences(t.db, s.people.admin.actor, { personId: target, marks: false });
    expect(byAdmin.marks).toBe(false);
  });

  it("answers not found for a person of another school", async () => {
    const other = await buildSchool(t.db, "МБОУ «Школа № 2»");
    await expect(
      getPreferences(t.db, s.people.admin.actor, { personId: other.guardians.petrovaMother.id }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
