import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpCtx, send, startHttp } from "./helpers.js";

// What the web journal reads beyond the bot: the lock of each mark on the page, who may correct,
// the lesson's teacher and substitute, the listed correction reasons.
let ctx: HttpCtx;
beforeAll(async () => {
  ctx = await startHttp();
});
afterAll(() => ctx?.close());

describe("journal grid for the web", () => {
  it("says which marks are locked (their own lock deadline passed) and whether the reader may correct", async () => {
    const { pupils, people, assignments, classes, subjects } = ctx.school;
    const period = ctx.school.periods[0]!;
    const lesson = await ctx.school.lesson(assignments.math5, "2026-10-05", 1);
    const past = new Date("2026-10-05T09:00:00Z");
    await ctx.testDb.db.mark.create({
      data: {
        lessonId: lesson.id,
        pupilId: pupils.ivanov.id,
        value: "4",
        authorId: people.math.id,
        createdAt: past,
        lockAt: new Date("2026-10-20T00:00:00Z"),
      },
    });
    await ctx.testDb.db.mark.create({
      data: {
        lessonId: lesson.id,
        pupilId: pupils.petrov.id,
        value: "5",
        authorId: people.math.id,
        lockAt: new Date(Date.now() + 86_400_000),
      },
    });
    const url = `/api/v1/journal-grid?classId=${classes.class5.id}&subjectId=${subjects.math.id}&periodId=${period.id}`;
    const teacher = await send(ctx, "math", "GET", url);
    expect(teacher.statusCode).toBe(200);
    const cells = teacher.json().cells as { pupilId: number; lessonId: number; mark?: { locked: boolean } }[];
    const at = (pupilId: number) =>
      cells.find((c) => c.pupilId === pupilId && c.lessonId === lesson.id)?.mark;
    expect(at(pupils.ivanov.id)?.locked).toBe(true);
    expect(at(pupils.petrov.id)?.locked).toBe(false);
    expect(teacher.json().canCorrect).toBe(false);
    const deputy = await send(ctx, "deputy", "GET", url);
    expect(deputy.json().canCorrect).toBe(true);
  });
});

describe("lesson sheet for the web", () => {
  it("names the lesson's teacher and its substitute", async () => {
    const { assignments, people } = ctx.school;
    const lesson = await ctx.school.lesson(assignments.math5, "2026-10-06", 2);
    const before = await send(ctx, "math", "GET", `/api/v1/lessons/${lesson.id}`);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      teacher: { id: people.math.id, lastName: "Кузнецова" },
      substitute: null,
    });
    const set = await send(ctx, "deputy", "PUT", `/api/v1/lessons/${lesson.id}/substitute`, {
      substituteId: people.substitute.id,
    });
    expect(set.statusCode).toBe(200);
    const after = await send(ctx, "substitute", "GET", `/api/v1/lessons/${lesson.id}`);
    expect(after.json().substitute).toMatchObject({ id: people.substitute.id, lastName: "Новиков" });
  });
});

describe("correction reasons", () => {
  it("lists the regulation's reasons with their Russian labels, and the key is what a correction takes", async () => {
    const res = await send(ctx, "deputy", "GET", "/api/v1/marks/correction-reasons");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toContainEqual({ reason: "APPEAL_UPHELD", label: "апелляция удовлетворена" });
    expect(res.json()).toHaveLength(5);
    expect((await send(ctx, null, "GET", "/api/v1/marks/correction-reasons")).statusCode).toBe(401);
  });
});
