import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type HttpCtx, send, startHttp } from "./helpers.js";

/**
 * Regrouping keeps history (issue 10, item 10): after PUT /subgroups/{id}/members moves a pupil,
 * the lessons before the move keep the pupils they had — diary, journal grid, lesson lists —
 * and the lessons after it have the new composition.
 */
let ctx: HttpCtx;
let group1: number;
let group2: number;
let englishId: number;
let pastLesson: number;
let nextLesson: number;

beforeAll(async () => {
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-20T12:00:00+03:00"));
  const { db } = ctx.testDb;
  const { classes, pupils, people, school, year } = ctx.school;
  const make = async (name: string) => {
    const res = await send(ctx, "deputy", "POST", `/api/v1/classes/${classes.class5.id}/subgroups`, { name });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  group1 = await make("1 группа");
  group2 = await make("2 группа");
  for (const [g, ids] of [
    [group1, [pupils.ivanov.id, pupils.ivanova.id]],
    [group2, [pupils.petrov.id, pupils.sidorova.id]],
  ] as const) {
    const res = await send(ctx, "deputy", "PUT", `/api/v1/subgroups/${g}/members`, { pupilIds: ids });
    expect(res.statusCode, res.body).toBe(200);
  }
  const english = await db.subject.create({ data: { schoolId: school.id, name: "Английский язык" } });
  englishId = english.id;
  const a = await db.teachingAssignment.create({
    data: {
      yearId: year.id,
      teacherId: people.math.id,
      subjectId: english.id,
      classId: classes.class5.id,
      subgroupId: group1,
      hoursPerWeek: 2,
    },
  });
  const lesson = (date: string) =>
    db.lesson.create({
      data: {
        assignmentId: a.id,
        classId: a.classId,
        subjectId: a.subjectId,
        subgroupId: group1,
        teacherId: a.teacherId,
        date: new Date(`${date}T00:00:00Z`),
        lessonNumber: 5,
        startsAt: "12:20",
        endsAt: "13:05",
      },
    });
  pastLesson = (await lesson("2026-11-20")).id;
  nextLesson = (await lesson("2026-11-25")).id;
  const mark = await send(ctx, "math", "POST", `/api/v1/lessons/${pastLesson}/marks`, {
    marks: [{ pupilId: pupils.ivanov.id, value: "5" }],
  });
  expect(mark.statusCode, mark.body).toBe(200);
  // Monday 23.11: Иванов moves to group 2.
  vi.setSystemTime(new Date("2026-11-23T09:00:00+03:00"));
  for (const [g, ids] of [
    [group1, [pupils.ivanova.id]],
    [group2, [pupils.petrov.id, pupils.sidorova.id, pupils.ivanov.id]],
  ] as const) {
    const res = await send(ctx, "deputy", "PUT", `/api/v1/subgroups/${g}/members`, { pupilIds: ids });
    expect(res.statusCode, res.body).toBe(200);
  }
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

describe("regrouping a subgroup keeps history", () => {
  it("the moved pupil's past English mark stays in the diary", async () => {
    const { pupils } = ctx.school;
    const res = await send(
      ctx,
      "ivanovaMother",
      "GET",
      `/api/v1/pupils/${pupils.ivanov.id}/diary?from=2026-11-16&to=2026-11-22`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const lessons = (res.json() as { lessons: { subject: { name: string }; marks: { value: string }[] }[] }[])
      .flatMap((d) => d.lessons)
      .filter((l) => l.subject.name === "Английский язык");
    expect(lessons.map((l) => l.marks.map((m) => m.value))).toEqual([["5"]]);
  });

  it("the pupil still belongs to the group's lessons before the move, not after", async () => {
    const { pupils } = ctx.school;
    vi.setSystemTime(new Date("2026-11-25T14:00:00+03:00"));
    const before = await send(ctx, "math", "PUT", `/api/v1/lessons/${pastLesson}/attendance`, {
      entries: [{ pupilId: pupils.ivanov.id, kind: "LATE" }],
    });
    expect(before.statusCode, before.body).toBe(200);
    const after = await send(ctx, "math", "POST", `/api/v1/lessons/${nextLesson}/marks`, {
      marks: [{ pupilId: pupils.ivanov.id, value: "4" }],
    });
    expect(after.statusCode).toBe(400);
    expect(after.json().message).toMatch(/подгруппе этого урока на его дату/);
    const sheet = await send(ctx, "math", "GET", `/api/v1/lessons/${nextLesson}`);
    expect(sheet.statusCode, sheet.body).toBe(200);
    const listed = (sheet.json().pupils as { pupilId: number }[]).map((p) => p.pupilId);
    expect(listed).toEqual([pupils.ivanova.id]);
  });

  it("group 1's journal grid for the quarter keeps the pupil who left, with the mark", async () => {
    const { classes, periods, pupils } = ctx.school;
    const q = new URLSearchParams({
      classId: String(classes.class5.id),
      subjectId: String(englishId),
      periodId: String(periods[1]!.id),
      subgroupId: String(group1),
    });
    const res = await send(ctx, "math", "GET", `/api/v1/journal-grid?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.stringify(res.json())).toContain(`"pupilId":${pupils.ivanov.id}`);
  });

  it("the membership rows keep the stay: the old one ends on the day of the move, a new one starts", async () => {
    const rows = await ctx.testDb.db.subgroupMember.findMany({
      where: { pupilId: ctx.school.pupils.ivanov.id },
      orderBy: { id: "asc" },
    });
    expect(
      rows.map((r) => [
        r.subgroupId,
        r.joinedOn?.toISOString().slice(0, 10) ?? null,
        r.leftOn?.toISOString().slice(0, 10) ?? null,
      ]),
    ).toEqual([
      [group1, null, "2026-11-23"],
      [group2, "2026-11-23", null],
    ]);
  });
});
