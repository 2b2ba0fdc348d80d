import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emit } from "../../src/events/outbox.js";
import { audit } from "../../src/journal/audit.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
});
afterAll(() => t.drop());

describe("audit and outbox in the caller's transaction", () => {
  it("commits the change, its audit row and its event together", async () => {
    await t.db.$transaction(async (tx) => {
      const lesson = await s.lesson(s.assignments.math5, "2026-11-26");
      await audit(tx, s.people.math.actor, {
        action: "test.write",
        entity: "Lesson",
        entityId: lesson.id,
        after: { at: new Date(0), big: 5n },
      });
      await emit(tx, s.school.id, { type: "homework.set", payload: { lessonId: lesson.id } });
    });
    const row = await t.db.auditLog.findFirstOrThrow({ where: { action: "test.write" } });
    expect(row).toMatchObject({
      actorId: s.people.math.id,
      schoolId: s.school.id,
      after: { at: "1970-01-01T00:00:00.000Z", big: "5" },
    });
    expect(await t.db.outbox.count({ where: { type: "homework.set" } })).toBe(1);
  });

  it("leaves neither audit row nor event when the transaction fails", async () => {
    const before = [await t.db.auditLog.count(), await t.db.outbox.count()];
    await expect(
      t.db.$transaction(async (tx) => {
        await audit(tx, s.people.math.actor, { action: "test.fail", entity: "Lesson", entityId: 1 });
        await emit(tx, s.school.id, { type: "homework.set", payload: { lessonId: 1 } });
        throw new Error("midway");
      }),
    ).rejects.toThrow("midway");
    expect([await t.db.auditLog.count(), await t.db.outbox.count()]).toEqual(before);
  });

  it("refuses an event whose payload does not match its schema", async () => {
    await expect(
      t.db.$transaction((tx) =>
        emit(tx, s.school.id, { type: "mark.posted", payload: { lessonId: 1, markIds: [] } }),
      ),
    ).rejects.toThrow();
  });
});
