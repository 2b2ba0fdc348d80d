import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type HttpCtx, type Method, send, startHttp } from "./helpers.js";

/**
 * The time rules of lesson entries through the API (rules/entry-times.ts): marks, attendance and
 * topics from the lesson's day on, homework up to it. A refused request changes nothing.
 */
let ctx: HttpCtx;
beforeAll(async () => {
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

/** School days of each kind around "today" (24.11.2026), four lesson numbers each. */
const DAYS = {
  yesterday: ["2026-11-23", "2026-11-20"],
  today: ["2026-11-24"],
  tomorrow: ["2026-11-25", "2026-11-26"],
} as const;
const used = new Map<string, number>();
/** A fresh maths lesson on a day of the kind. */
const lessonOn = async (day: keyof typeof DAYS) => {
  const k = used.get(day) ?? 0;
  used.set(day, k + 1);
  return ctx.school.lesson(ctx.school.assignments.math5, DAYS[day][Math.floor(k / 4)]!, (k % 4) + 1);
};

type Entry = "mark" | "attendance" | "topic" | "homework";
const request = (entry: Entry, lessonId: number): [Method, string, object] => {
  const pupilId = ctx.school.pupils.ivanov.id;
  switch (entry) {
    case "mark":
      return ["POST", `/api/v1/lessons/${lessonId}/marks`, { marks: [{ pupilId, value: "5" }] }];
    case "attendance":
      return ["PUT", `/api/v1/lessons/${lessonId}/attendance`, { entries: [{ pupilId, kind: "ABSENT" }] }];
    case "topic":
      return ["PATCH", `/api/v1/lessons/${lessonId}`, { topic: "Сложение дробей" }];
    case "homework":
      return ["PATCH", `/api/v1/lessons/${lessonId}`, { homework: "§ 12, № 305" }];
  }
};

const written = async (entry: Entry, lessonId: number) => {
  const db = ctx.testDb.db;
  if (entry === "mark") return (await db.mark.count({ where: { lessonId } })) > 0;
  if (entry === "attendance") return (await db.attendance.count({ where: { lessonId } })) > 0;
  const lesson = await db.lesson.findUniqueOrThrow({ where: { id: lessonId } });
  return entry === "topic" ? lesson.topic !== null : lesson.homework !== null;
};

describe("entry times agree for every kind of lesson entry (issue 10, item 8)", () => {
  it.each<[Entry, keyof typeof DAYS, number]>([
    ["mark", "yesterday", 200],
    ["mark", "today", 200],
    ["mark", "tomorrow", 400],
    ["attendance", "yesterday", 200],
    ["attendance", "today", 200],
    ["attendance", "tomorrow", 400],
    ["topic", "yesterday", 200],
    ["topic", "today", 200],
    ["topic", "tomorrow", 400],
    ["homework", "yesterday", 400],
    ["homework", "today", 200],
    ["homework", "tomorrow", 200],
  ])("%s for %s's lesson → %i", async (entry, day, status) => {
    const lesson = await lessonOn(day);
    const [method, url, body] = request(entry, lesson.id);
    const res = await send(ctx, "math", method, url, body);
    expect(res.statusCode, res.body).toBe(status);
    expect(await written(entry, lesson.id)).toBe(status === 200);
    if (status === 400) expect(res.json().message).toMatch(/урок|Домашнее/);
  });

  it("a marks line with «н» for tomorrow's lesson is refused as a whole", async () => {
    const lesson = await lessonOn("tomorrow");
    const res = await send(ctx, "math", "POST", `/api/v1/lessons/${lesson.id}/marks`, {
      marks: [{ pupilId: ctx.school.pupils.ivanov.id, value: "5" }],
      absent: [ctx.school.pupils.petrov.id],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/Отметки ставятся в день урока или позже/);
    expect(await written("mark", lesson.id)).toBe(false);
    expect(await written("attendance", lesson.id)).toBe(false);
  });

  it("the deputy head is held to the same days", async () => {
    const lesson = await lessonOn("tomorrow");
    const [method, url, body] = request("mark", lesson.id);
    expect((await send(ctx, "deputy", method, url, body)).statusCode).toBe(400);
  });
});
