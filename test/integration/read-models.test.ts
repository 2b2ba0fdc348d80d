import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "../../src/journal/actor.js";
import { childSubjects, diary } from "../../src/journal/diary.js";
import { postMarks } from "../../src/journal/marks.js";
import { recentMarksByAuthor } from "../../src/journal/marks-read.js";
import { teachersOfPupil } from "../../src/journal/messages-read.js";
import { classesLed } from "../../src/journal/roster.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { outcome, setNow, TODAY_MORNING } from "./lessons-helpers.js";

/** The read models the bot uses instead of reading the database itself, and their scope checks. */

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
/** The math teacher's marks, oldest first, and the Russian teacher's one. */
let mathMarks: { id: number }[];
let russianMark: { id: number };

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "МБОУ «Гимназия № 3»");
  vi.useFakeTimers({ toFake: ["Date"] });
  const { ivanov, ivanova, petrov, sidorova, smirnov } = s.pupils;
  const five = [ivanov, ivanova, petrov, sidorova, smirnov];
  // Three posts a minute apart, so "newest first" has one answer: 5 + 5 + 2 marks.
  const post = async (at: string, date: string, pupils: typeof five) => {
    setNow(at);
    const lesson = await s.lesson(s.assignments.math5, date);
    await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: pupils.map((p) => ({ pupilId: p.id, value: "4" })),
    });
    return t.db.mark.findMany({
      where: { lessonId: lesson.id },
      orderBy: { id: "asc" },
      select: { id: true },
    });
  };
  mathMarks = [
    ...(await post("2026-11-24T09:00:00+03:00", "2026-11-16", five)),
    ...(await post("2026-11-24T09:01:00+03:00", "2026-11-17", five)),
    ...(await post("2026-11-24T09:02:00+03:00", "2026-11-18", [ivanov, petrov])),
  ];
  setNow("2026-11-24T09:03:00+03:00");
  const russian = await s.lesson(s.assignments.russian5, "2026-11-18", 2);
  await postMarks(t.db, s.people.russian.actor, {
    lessonId: russian.id,
    marks: [{ pupilId: ivanov.id, value: "5" }],
  });
  russianMark = await t.db.mark.findFirstOrThrow({ where: { lessonId: russian.id }, select: { id: true } });
});
afterAll(async () => {
  vi.useRealTimers();
  await t.drop();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(TODAY_MORNING);
});

const names = (rows: { name: string }[]) => rows.map((r) => r.name);
const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

describe("childSubjects: the graded subjects of the pupil's class", () => {
  it("gives a guardian the subjects of their child's class by name, without ungraded ones", async () => {
    const rows = await childSubjects(t.db, s.guardians.ivanovaMother.actor, { pupilId: s.pupils.ivanov.id });
    // ОДНКНР is taught in 5А but has no marks; «Обучение грамоте» is 1А's.
    expect(rows).toEqual([
      { id: s.subjects.math.id, name: "Математика" },
      { id: s.subjects.russian.id, name: "Русский язык" },
    ]);
  });
  it("follows the class the pupil is in on the date", async () => {
    const kozlov = { pupilId: s.pupils.kozlov.id };
    expect(names(await childSubjects(t.db, s.guardians.kozlovaMother.actor, kozlov))).toEqual([
      "Математика",
      "Обучение грамоте",
    ]);
    // Before the enrolment the pupil is in no class.
    expect(
      await childSubjects(t.db, s.guardians.kozlovaMother.actor, { ...kozlov, date: "2026-08-31" }),
    ).toEqual([]);
  });
  it.each([
    ["the pupil themself", () => s.pupils.ivanov.actor, "ok"],
    ["a teacher of the class", () => s.people.math.actor, "ok"],
    ["the director", () => s.people.director.actor, "ok"],
    ["a guardian of another family", () => s.guardians.petrovaMother.actor, "not_found"],
    ["another pupil", () => s.pupils.petrov.actor, "not_found"],
    ["a teacher of another class", () => s.people.primary.actor, "not_found"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
    ["another school's guardian", () => other.guardians.ivanovaMother.actor, "not_found"],
  ])("%s → %s", async (_n, actor, expected) => {
    expect(await outcome(childSubjects(t.db, actor(), { pupilId: s.pupils.ivanov.id }))).toBe(expected);
  });
  it("refuses another family's child with the same error as the diary", async () => {
    const actor = s.guardians.petrovaMother.actor;
    const pupilId = s.pupils.ivanov.id;
    const subjects = await childSubjects(t.db, actor, { pupilId }).catch((e: Error) => e);
    const days = await diary(t.db, actor, { pupilId, from: "2026-11-23", to: "2026-11-24" }).catch(
      (e: Error) => e,
    );
    expect(subjects).toMatchObject({ code: "not_found", message: "Ученик не найден(а)." });
    expect(subjects).toEqual(days);
  });
  it("validates the input", async () => {
    const actor = s.guardians.ivanovaMother.actor;
    await expect(childSubjects(t.db, actor, { pupilId: "Иванов" })).rejects.toMatchObject({
      code: "validation",
    });
    await expect(
      childSubjects(t.db, actor, { pupilId: s.pupils.ivanov.id, date: "2026-02-30" }),
    ).rejects.toMatchObject({ code: "validation" });
  });
});

describe("classesLed: the classes the actor leads this year", () => {
  it("gives each class teacher their class", async () => {
    expect(await classesLed(t.db, s.people.russian.actor)).toEqual([
      { id: s.classes.class5.id, grade: 5, letter: "А", name: "5А" },
    ]);
    expect(ids(await classesLed(t.db, s.people.primary.actor, { date: "2027-05-31" }))).toEqual([
      s.classes.class1.id,
    ]);
  });
  it("orders several classes by grade and letter", async () => {
    const extra = await t.db.class.create({
      data: { yearId: s.year.id, grade: 5, letter: "Б", classTeacherId: s.people.substitute.id },
    });
    const first = await t.db.class.create({
      data: { yearId: s.year.id, grade: 2, letter: "В", classTeacherId: s.people.substitute.id },
    });
    try {
      expect(names(await classesLed(t.db, s.people.substitute.actor))).toEqual(["2В", "5Б"]);
    } finally {
      await t.db.class.deleteMany({ where: { id: { in: [extra.id, first.id] } } });
    }
  });
  it("has none outside the academic year", async () => {
    expect(await classesLed(t.db, s.people.russian.actor, { date: "2027-08-01" })).toEqual([]);
  });
  it.each([
    ["a subject teacher", () => s.people.math.actor],
    ["the deputy head", () => s.people.deputy.actor],
    ["the journal admin (no teacher role)", () => s.people.admin.actor],
  ])("%s leads none", async (_n, actor) => {
    expect(await classesLed(t.db, actor())).toEqual([]);
  });
  it("a teacher whose teacher role was taken away leads none", async () => {
    const actor: Actor = { ...s.people.russian.actor, roles: ["STAFF"] };
    expect(await classesLed(t.db, actor)).toEqual([]);
  });
  it.each([
    ["a guardian", () => s.guardians.ivanovaMother.actor],
    ["a pupil", () => s.pupils.ivanov.actor],
  ])("%s is refused", async (_n, actor) => {
    await expect(classesLed(t.db, actor())).rejects.toMatchObject({ code: "forbidden" });
  });
  it("never shows another school's classes", async () => {
    expect(ids(await classesLed(t.db, other.people.russian.actor))).toEqual([other.classes.class5.id]);
    const forged: Actor = { ...s.people.russian.actor, schoolId: other.school.id };
    expect(await classesLed(t.db, forged)).toEqual([]);
  });
  it("validates the date", async () => {
    await expect(classesLed(t.db, s.people.russian.actor, { date: "24.11.2026" })).rejects.toMatchObject({
      code: "validation",
    });
  });
});

describe("recentMarksByAuthor: the marks the actor gave lately", () => {
  it("gives the ten newest marks of the author, newest first, with pupil and lesson", async () => {
    const rows = await recentMarksByAuthor(t.db, s.people.math.actor);
    expect(ids(rows)).toEqual(ids(mathMarks).reverse().slice(0, 10));
    expect(ids(rows)).not.toContain(russianMark.id);
    expect(rows[0]).toMatchObject({
      value: "4",
      value2: null,
      pupilId: s.pupils.petrov.id,
      controlFormId: null,
      pupil: { lastName: "Петров", firstName: "Пётр" },
      lesson: { subject: { name: "Математика" } },
    });
    expect(rows[0]!.lesson.date).toEqual(new Date("2026-11-18T00:00:00.000Z"));
  });
  it("takes the limit asked", async () => {
    expect(ids(await recentMarksByAuthor(t.db, s.people.math.actor, { limit: 2 }))).toEqual(
      ids(mathMarks).reverse().slice(0, 2),
    );
    expect(await recentMarksByAuthor(t.db, s.people.russian.actor, { limit: 50 })).toHaveLength(1);
  });
  it("is empty for a teacher who gave none", async () => {
    expect(await recentMarksByAuthor(t.db, s.people.primary.actor)).toEqual([]);
  });
  it.each([
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["the journal admin", () => s.people.admin.actor, "ok"],
    ["the director", () => s.people.director.actor, "forbidden"],
    ["a guardian", () => s.guardians.ivanovaMother.actor, "forbidden"],
    ["a pupil", () => s.pupils.ivanov.actor, "forbidden"],
  ])("%s → %s", async (_n, actor, expected) => {
    expect(await outcome(recentMarksByAuthor(t.db, actor()))).toBe(expected);
  });
  it("never shows marks of another school", async () => {
    expect(await recentMarksByAuthor(t.db, other.people.math.actor)).toEqual([]);
    const forged: Actor = { ...s.people.math.actor, schoolId: other.school.id };
    expect(await recentMarksByAuthor(t.db, forged)).toEqual([]);
  });
  it("validates the limit", async () => {
    // Plain digits are a number (a query string is text); " 10" and "0x0A" are not.
    for (const limit of [0, 51, 2.5, " 10", "0x0A", "1e1"]) {
      await expect(recentMarksByAuthor(t.db, s.people.math.actor, { limit })).rejects.toMatchObject({
        code: "validation",
      });
    }
  });
});

describe("teachersOfPupil: whom a family writes to", () => {
  const ivanov = () => ({ pupilId: s.pupils.ivanov.id });

  it("lists the class teacher first, then each subject teacher once", async () => {
    const { russian, math } = s.people;
    // The class teacher also teaches Russian and ОДНКНР: they appear once, as class teacher.
    expect(await teachersOfPupil(t.db, s.guardians.ivanovaMother.actor, ivanov())).toEqual([
      {
        id: russian.id,
        lastName: "Морозов",
        firstName: "Павел",
        middleName: "Ильич",
        subject: null,
      },
      {
        id: math.id,
        lastName: "Кузнецова",
        firstName: "Анна",
        middleName: "Сергеевна",
        subject: "Математика",
      },
    ]);
  });
  it("follows the pupil's class: 1А has its class teacher only (she teaches both subjects)", async () => {
    const rows = await teachersOfPupil(t.db, s.guardians.kozlovaMother.actor, {
      pupilId: s.pupils.kozlov.id,
    });
    expect(rows.map((r) => [r.id, r.subject])).toEqual([[s.people.primary.id, null]]);
  });
  it("is empty when the pupil is in no class on the date", async () => {
    const actor = s.guardians.ivanovaMother.actor;
    expect(await teachersOfPupil(t.db, actor, { ...ivanov(), date: "2026-08-31" })).toEqual([]);
  });
  it.each([
    ["the pupil themself", () => s.pupils.ivanov.actor, "ok"],
    ["their guardian", () => s.guardians.ivanovaMother.actor, "ok"],
    ["a teacher of the school who does not teach them", () => s.people.primary.actor, "ok"],
    ["the journal admin", () => s.people.admin.actor, "ok"],
    ["a guardian of another family", () => s.guardians.petrovaMother.actor, "not_found"],
    ["another pupil", () => s.pupils.petrov.actor, "not_found"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
    ["another school's guardian", () => other.guardians.ivanovaMother.actor, "not_found"],
  ])("%s → %s", async (_n, actor, expected) => {
    expect(await outcome(teachersOfPupil(t.db, actor(), ivanov()))).toBe(expected);
  });
  it("refuses another family's child as the diary does, without saying the pupil exists", async () => {
    await expect(teachersOfPupil(t.db, s.guardians.petrovaMother.actor, ivanov())).rejects.toMatchObject({
      code: "not_found",
      message: "Ученик не найден(а).",
    });
    await expect(
      teachersOfPupil(t.db, s.guardians.petrovaMother.actor, { pupilId: 9_999_999 }),
    ).rejects.toMatchObject({ code: "not_found", message: "Ученик не найден(а)." });
  });
  it("validates the input", async () => {
    await expect(
      teachersOfPupil(t.db, s.guardians.ivanovaMother.actor, { pupilId: -1 }),
    ).rejects.toMatchObject({ code: "validation" });
  });
});
