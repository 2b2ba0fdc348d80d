import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canReadPupil, loadLessonForWrite, requireClassTeacher } from "../../src/journal/access.js";
import type { Actor } from "../../src/journal/actor.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
let lessonId: number;
let substitutedId: number;

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "МБОУ «Гимназия № 3»");
  lessonId = (await s.lesson(s.assignments.math5, "2026-11-24")).id;
  const substituted = await s.lesson(s.assignments.math5, "2026-11-25");
  await t.db.lesson.update({ where: { id: substituted.id }, data: { substituteId: s.people.substitute.id } });
  substitutedId = substituted.id;
});
afterAll(() => t.drop());

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? "error",
  );

describe("who may write a lesson (002 §4.4.3, 003 §4.4)", () => {
  it.each([
    ["its teacher", () => s.people.math.actor, () => lessonId, "ok"],
    ["another teacher", () => s.people.russian.actor, () => lessonId, "forbidden"],
    ["the deputy head", () => s.people.deputy.actor, () => lessonId, "ok"],
    ["the journal admin", () => s.people.admin.actor, () => lessonId, "ok"],
    ["the director (reads, does not write)", () => s.people.director.actor, () => lessonId, "forbidden"],
    ["a guardian", () => s.guardians.ivanovaMother.actor, () => lessonId, "forbidden"],
    ["a pupil", () => s.pupils.ivanov.actor, () => lessonId, "forbidden"],
    ["the substitute of a substituted lesson", () => s.people.substitute.actor, () => substitutedId, "ok"],
    [
      "the regular teacher of a substituted lesson",
      () => s.people.math.actor,
      () => substitutedId,
      "forbidden",
    ],
    ["the admin of another school", () => other.people.admin.actor, () => lessonId, "not_found"],
  ] as [string, () => Actor, () => number, string][])("%s → %s", async (_who, actor, lesson, expected) => {
    expect(await outcome(loadLessonForWrite(t.db, actor(), lesson()))).toBe(expected);
  });

  it("tells the regular teacher that the substitute fills a substituted lesson", async () => {
    await expect(loadLessonForWrite(t.db, s.people.math.actor, substitutedId)).rejects.toThrow(
      /заменяющий учитель/,
    );
  });
});

describe("who may read a pupil (001 §2.6, 002 §9.1.3)", () => {
  it.each([
    ["the pupil themself", () => s.pupils.ivanov.actor, true],
    ["their guardian", () => s.guardians.ivanovaMother.actor, true],
    ["another family's guardian", () => s.guardians.petrovaMother.actor, false],
    ["another pupil", () => s.pupils.petrov.actor, false],
    ["a teacher of their class", () => s.people.math.actor, true],
    ["their class teacher", () => s.people.russian.actor, true],
    ["a teacher who does not teach them", () => s.people.primary.actor, false],
    ["the deputy head", () => s.people.deputy.actor, true],
    ["the director", () => s.people.director.actor, true],
    ["the deputy head of another school", () => other.people.deputy.actor, false],
  ] as [string, () => Actor, boolean][])("%s → %s", async (_who, actor, expected) => {
    expect(await canReadPupil(t.db, actor(), s.pupils.ivanov.id)).toBe(expected);
  });
});

describe("class-teacher business", () => {
  it.each([
    ["the class teacher", () => s.people.russian.actor, "ok"],
    ["a subject teacher of the class", () => s.people.math.actor, "forbidden"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ] as [string, () => Actor, string][])("%s → %s", async (_who, actor, expected) => {
    expect(await outcome(requireClassTeacher(t.db, actor(), s.classes.class5.id))).toBe(expected);
  });
});
