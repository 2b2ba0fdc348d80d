import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { controlDashboardResponse } from "../../src/http/routes/control.js";
import { type HttpCtx, send, startHttp } from "./helpers.js";

/**
 * The deputy head's control dashboard for a date range, over HTTP, on a fixed week of 5А and 1А
 * (fill deadline 18:00 Moscow; "now" is Tuesday 24.11.2026 09:00):
 * - 16.11 maths: nothing filled; Петров got a «2» and no mark in the next two lessons;
 * - 17.11 maths: complete; Иванов's only mark; Иванова's first of two;
 * - 18.11 maths: complete, but attendance entered at 20:00 — a late entry; Иванова's second mark;
 * - 19.11 Russian, taken by a substitute: nothing filled — counts against the substitute;
 * - 20.11 1А maths: topic and attendance, no homework — complete (grade 1);
 * - 24.11 maths: today, nothing filled, deadline not passed yet — not counted.
 */
let ctx: HttpCtx;
let lessons: Record<string, number>;
beforeAll(async () => {
  ctx = await startHttp({ secondSchool: true });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  const { db } = ctx.testDb;
  const { assignments: a, pupils: p, people } = ctx.school;
  const filled = (at: string) => ({ topic: "Тема", homework: "№ 1", attendanceAt: new Date(at) });
  const m16 = await ctx.school.lesson(a.math5, "2026-11-16", 1);
  const m17 = await ctx.school.lesson(a.math5, "2026-11-17", 1);
  const m18 = await ctx.school.lesson(a.math5, "2026-11-18", 1);
  const r19 = await ctx.school.lesson(a.russian5, "2026-11-19", 2);
  const p20 = await ctx.school.lesson(a.math1, "2026-11-20", 1);
  const m24 = await ctx.school.lesson(a.math5, "2026-11-24", 1);
  await db.lesson.update({ where: { id: m17.id }, data: filled("2026-11-17T12:00:00+03:00") });
  await db.lesson.update({ where: { id: m18.id }, data: filled("2026-11-18T20:00:00+03:00") });
  await db.lesson.update({ where: { id: r19.id }, data: { substituteId: people.substitute.id } });
  await db.lesson.update({
    where: { id: p20.id },
    data: { topic: "Счёт до 10", attendanceAt: new Date("2026-11-20T10:00:00+03:00") },
  });
  const mark = (lessonId: number, pupilId: number, value: string) =>
    db.mark.create({ data: { lessonId, pupilId, value, authorId: people.math.id } });
  await mark(m16.id, p.petrov.id, "2");
  await mark(m17.id, p.ivanov.id, "5");
  await mark(m17.id, p.ivanova.id, "4");
  await mark(m18.id, p.ivanova.id, "5");
  lessons = { m16: m16.id, m17: m17.id, m18: m18.id, r19: r19.id, p20: p20.id, m24: m24.id };
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

const dashboard = async (query: string, who = "deputy") => {
  const res = await send(ctx, who, "GET", `/api/v1/control/dashboard${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return controlDashboardResponse.parse(res.json());
};

describe("control dashboard", () => {
  it("finds unfilled lessons, late entries, single marks and «2» not followed up, per row, teacher and class", async () => {
    const d = await dashboard("?from=2026-11-16&to=2026-11-30");
    expect(d.to).toBe("2026-11-24"); // never past today
    const math5 = d.rows.find((r) => r.assignmentId === ctx.school.assignments.math5.id)!;
    expect(math5.lessons).toBe(4);
    expect(math5.unfilled).toEqual([
      {
        lessonId: lessons.m16,
        date: "2026-11-16",
        lessonNumber: 1,
        writerId: ctx.school.people.math.id,
        gaps: ["attendance", "topic", "homework"],
      },
    ]);
    expect(math5.late.map((l) => [l.lessonId, l.enteredAt.toISOString()])).toEqual([
      [lessons.m18, "2026-11-18T17:00:00.000Z"],
    ]);
    expect(math5.singleMark.map((s) => s.name)).toEqual(["Иванов Иван", "Петров Пётр"]);
    expect(math5.twos).toEqual([
      { pupilId: ctx.school.pupils.petrov.id, name: "Петров Пётр", date: "2026-11-16" },
    ]);
    expect(math5.totals).toEqual({
      unfilled: 1,
      attendance: 1,
      topic: 1,
      homework: 1,
      late: 1,
      singleMark: 2,
      twos: 1,
    });
    // Drill-down opens the grid on the quarter holding the range's end.
    expect(math5.periodId).toBe(ctx.school.periods[1]!.id);

    const russian5 = d.rows.find((r) => r.assignmentId === ctx.school.assignments.russian5.id)!;
    expect(russian5.unfilled.map((l) => [l.lessonId, l.writerId])).toEqual([
      [lessons.r19, ctx.school.people.substitute.id],
    ]);
    const math1 = d.rows.find((r) => r.assignmentId === ctx.school.assignments.math1.id)!;
    expect(math1.totals).toEqual({
      unfilled: 0,
      attendance: 0,
      topic: 0,
      homework: 0,
      late: 0,
      singleMark: 0,
      twos: 0,
    });

    const teacher = (id: number) => d.teachers.find((t) => t.id === id)?.totals;
    const { math, russian, substitute, primary } = ctx.school.people;
    expect(teacher(math.id)).toMatchObject({ unfilled: 1, late: 1, singleMark: 2, twos: 1 });
    // The substitute filled (or not) the lesson they took; the class's own teacher is clear.
    expect(teacher(substitute.id)).toMatchObject({ unfilled: 1, attendance: 1, topic: 1, homework: 1 });
    expect(d.teachers.find((t) => t.id === substitute.id)!.name).toBe("Новиков Олег Андреевич");
    expect(teacher(russian.id)).toMatchObject({ unfilled: 0 });
    expect(teacher(primary.id)).toMatchObject({ unfilled: 0, late: 0 });
    expect(d.teachers[0]!.id).toBe(math.id); // most remarks first

    const cls = Object.fromEntries(d.classes.map((c) => [c.name, c.totals]));
    expect(cls["5А"]).toMatchObject({ unfilled: 2, late: 1, twos: 1, singleMark: 2 });
    expect(cls["1А"]).toMatchObject({ unfilled: 0, late: 0 });
  });

  it("counts only what lies in the range, and filters by class and teacher", async () => {
    const one = await dashboard("?from=2026-11-18&to=2026-11-18");
    expect(one.rows.map((r) => r.assignmentId)).toEqual([ctx.school.assignments.math5.id]);
    expect(one.rows[0]!.totals).toMatchObject({ unfilled: 0, late: 1, singleMark: 1, twos: 0 });

    const class1 = await dashboard(`?from=2026-11-16&to=2026-11-24&classId=${ctx.school.classes.class1.id}`);
    expect(class1.classes.map((c) => c.name)).toEqual(["1А"]);
    const sub = await dashboard(
      `?from=2026-11-16&to=2026-11-24&teacherId=${ctx.school.people.substitute.id}`,
    );
    expect(sub.rows.map((r) => r.assignmentId)).toEqual([ctx.school.assignments.russian5.id]);

    const future = await dashboard("?from=2026-12-01&to=2026-12-05");
    expect(future.rows).toEqual([]);
  });

  it("defaults to the last two weeks", async () => {
    const d = await dashboard("");
    expect([d.from, d.to]).toEqual(["2026-11-10", "2026-11-24"]);
    expect(d.rows.length).toBeGreaterThan(0);
  });

  it.each([
    ["?from=2026-13-01", "from"],
    ["?from=2026-11-20&to=2026-11-10", "to"],
    ["?from=2026-11-20&extra=1", "extra"],
  ])("refuses %s naming %s", async (query, field) => {
    const res = await send(ctx, "deputy", "GET", `/api/v1/control/dashboard${query}`);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain(field);
  });

  it.each([
    ["deputy", 200],
    ["director", 200],
    ["admin", 200],
    ["math", 403],
    ["russian", 403],
    ["ivanovaMother", 403],
    ["ivanov", 403],
    [null, 401],
  ] as const)("as %s answers %i", async (who, status) => {
    expect((await send(ctx, who, "GET", "/api/v1/control/dashboard")).statusCode).toBe(status);
  });

  it("shows another school's admin nothing of this school", async () => {
    const d = await dashboard("?from=2026-11-16&to=2026-11-24", "otherAdmin");
    expect(d.rows).toEqual([]);
  });
});
