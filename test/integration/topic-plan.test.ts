import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duplicateNumbers, getTopicPlan, setTopicPlan } from "../../src/journal/topic-plan.js";
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

const plan = [
  { number: 1, topic: "Натуральные числа", hours: 2, plannedDate: "2026-09-01" },
  { number: 2, topic: "Сложение и вычитание" },
  { number: 3, topic: "Умножение и деление", hours: 3 },
];

describe("topic plan (КТП)", () => {
  it("the assignment's teacher sets the plan and reads it with hours and progress", async () => {
    const r = await setTopicPlan(t.db, s.people.math.actor, {
      assignmentId: s.assignments.math5.id,
      items: plan,
    });
    expect(r.items.map((i) => [i.number, i.topic, i.hours])).toEqual([
      [1, "Натуральные числа", 2],
      [2, "Сложение и вычитание", 1],
      [3, "Умножение и деление", 3],
    ]);
    expect(r.totalHours).toBe(6);
    const lesson = await s.lesson(s.assignments.math5, "2026-09-01");
    await t.db.lesson.update({ where: { id: lesson.id }, data: { plannedTopicId: r.items[0]!.id } });
    const read = await getTopicPlan(t.db, s.people.deputy.actor, { assignmentId: s.assignments.math5.id });
    expect(read.items.map((i) => i.done)).toEqual([true, false, false]);
  });

  it("replacing keeps used topics, renames by number, refuses dropping a used one", async () => {
    const r = await setTopicPlan(t.db, s.people.math.actor, {
      assignmentId: s.assignments.math5.id,
      items: [{ number: 1, topic: "Натуральные числа и шкалы", hours: 2 }, plan[1]!],
    });
    expect(r.items.map((i) => i.topic)).toEqual(["Натуральные числа и шкалы", "Сложение и вычитание"]);
    expect(r.items[0]?.done).toBe(true);
    await expect(
      setTopicPlan(t.db, s.people.math.actor, { assignmentId: s.assignments.math5.id, items: [plan[1]!] }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("№ 1 уже выбраны") });
    expect(
      (await getTopicPlan(t.db, s.people.math.actor, { assignmentId: s.assignments.math5.id })).items,
    ).toHaveLength(2);
  });

  it.each([
    ["another teacher", () => s.people.russian.actor, "forbidden"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ])("%s → %s", async (_n, actor, expected) => {
    const r = await setTopicPlan(t.db, actor(), { assignmentId: s.assignments.math1.id, items: plan }).then(
      () => "ok",
      (e: { code: string }) => e.code,
    );
    expect(r).toBe(expected);
  });

  it("refuses repeated numbers and dates outside the year; guardians cannot read it", async () => {
    await expect(
      setTopicPlan(t.db, s.people.primary.actor, {
        assignmentId: s.assignments.math1.id,
        items: [plan[0]!, plan[0]!],
      }),
    ).rejects.toMatchObject({ code: "validation", message: expect.stringContaining("повторяются: 1") });
    await expect(
      setTopicPlan(t.db, s.people.primary.actor, {
        assignmentId: s.assignments.math1.id,
        items: [{ number: 1, topic: "Счёт", plannedDate: "2027-08-01" }],
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(
      getTopicPlan(t.db, s.guardians.kozlovaMother.actor, { assignmentId: s.assignments.math1.id }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("duplicateNumbers", () => {
    expect(
      duplicateNumbers([{ number: 1 }, { number: 2 }, { number: 1 }, { number: 2 }, { number: 3 }]),
    ).toEqual([1, 2]);
    expect(duplicateNumbers([])).toEqual([]);
  });
});
