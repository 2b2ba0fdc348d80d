import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { postMarks } from "../../src/journal/marks.js";
import { type BotHarness, type ChatUser, startBotHarness } from "./harness.js";

/** Tuesday 24.11.2026, 09:00 in Moscow: the first lesson (math, 5А, 08:30–09:15) is on. */
const NOW = new Date("2026-11-24T09:00:00+03:00");

let h: BotHarness;
let math: ChatUser;
let lessonId: number;

beforeAll(async () => {
  h = await startBotHarness();
  const s = h.school;
  lessonId = (await s.lesson(s.assignments.math5, "2026-11-24", 1)).id;
  math = await h.link(7101, s.people.math.id);
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a marks line with «н» is written whole or not at all", () => {
  it("a refused mark leaves no absence behind", async () => {
    const s = h.school;
    const db = h.testDb.db;
    // The deputy head's mark: the lesson's teacher may not change it.
    await postMarks(db, s.people.deputy.actor, {
      lessonId,
      marks: [{ pupilId: s.pupils.ivanov.id, value: "3" }],
    });
    await math.say("Петров 4, Иванов 5, Сидорова н");
    await math.press("Подтвердить", math.last());
    const marks = await db.mark.findMany({ where: { lessonId }, select: { pupilId: true, value: true } });
    expect(marks).toEqual([{ pupilId: s.pupils.ivanov.id, value: "3" }]);
    expect(await db.attendance.count({ where: { lessonId } })).toBe(0);
    expect((await db.lesson.findUniqueOrThrow({ where: { id: lessonId } })).attendanceAt).toBeNull();
    expect([...math.replies(), ...math.alerts()].join("\n")).toMatch(/другой учитель/);
  });

  it("an accepted line writes the marks and the absence", async () => {
    const s = h.school;
    const db = h.testDb.db;
    await math.say("Петров 4, Сидорова н");
    await math.press("Подтвердить", math.last());
    expect(math.last().text).toMatch(/отметок — 1, отсутствующих — 1/);
    const absent = await db.attendance.findMany({
      where: { lessonId },
      select: { pupilId: true, kind: true },
    });
    expect(absent).toEqual([{ pupilId: s.pupils.sidorova.id, kind: "ABSENT" }]);
  });
});
