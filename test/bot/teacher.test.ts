import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type BotHarness, buttonsOf, type ChatUser, startBotHarness } from "./harness.js";

/** Tuesday 24.11.2026, 09:00 in Moscow: the first lesson (math, 5А, 08:30–09:15) is on. */
const NOW = new Date("2026-11-24T09:00:00+03:00");

let h: BotHarness;
let math: ChatUser;
let lessons: Record<string, Awaited<ReturnType<BotHarness["school"]["lesson"]>>>;

beforeAll(async () => {
  h = await startBotHarness();
  const s = h.school;
  lessons = {
    math: await s.lesson(s.assignments.math5, "2026-11-24", 1),
    russian: await s.lesson(s.assignments.russian5, "2026-11-24", 2),
    mathYesterday: await s.lesson(s.assignments.math5, "2026-11-23", 1),
    primary: await s.lesson(s.assignments.math1, "2026-11-24", 1),
  };
  math = await h.link(7001, s.people.math.id);
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("/today", () => {
  it("lists today's lessons with what is missing", async () => {
    await math.say("/today");
    const [text] = math.replies();
    expect(text).toMatch(/1\. 08:30 Математика, 5А/);
    expect(text).toMatch(/не заполнено: посещаемость, тема, домашнее задание/);
  });
});

describe("attendance by taps", () => {
  it("cycles present → absent → late → present, and Save writes the whole lesson", async () => {
    await math.say("/att");
    const msg = math.last();
    expect(msg.text).toMatch(/Посещаемость: 1\. 08:30 Математика, 5А/);
    const names = buttonsOf(msg).map((b) => b.text);
    expect(names).toContain("✅ Иванов И.");
    await math.press("Иванов И.");
    expect(buttonsOf(math.last()).map((b) => b.text)).toContain("❌ Иванов И. (нет)");
    await math.press("Петров П.");
    await math.press("Петров П.");
    expect(buttonsOf(math.last()).map((b) => b.text)).toContain("⏰ Петров П. (опоздал)");
    await math.press("Сидорова А.");
    await math.press("Сидорова А.");
    await math.press("Сидорова А.");
    expect(buttonsOf(math.last()).map((b) => b.text)).toContain("✅ Сидорова А.");
    await math.press("Сохранить");
    expect(math.last().text).toMatch(/отсутствуют 1, опоздали 1/);
    const rows = await h.testDb.db.attendance.findMany({ where: { lessonId: lessons.math!.id } });
    expect(rows.map((r) => [r.pupilId, r.kind]).sort()).toEqual(
      [
        [h.school.pupils.ivanov.id, "ABSENT"],
        [h.school.pupils.petrov.id, "LATE"],
      ].sort(),
    );
    const outbox = await h.testDb.db.outbox.findMany({ where: { type: "attendance.recorded" } });
    expect(outbox).toHaveLength(1);
  });

  it("'Все на месте' clears absences; a press on an older message changes nothing", async () => {
    await math.say("/att");
    const first = math.last();
    await math.say("/att");
    const second = math.last();
    const absentButton = buttonsOf(first).find((b) => b.text.includes("Иванов И."))!;
    await math.pressData(absentButton.data, first);
    expect(math.alerts().at(-1)).toMatch(/устарела/);
    await math.press("Все на месте", second);
    await math.press("Сохранить", second);
    expect(await h.testDb.db.attendance.count({ where: { lessonId: lessons.math!.id } })).toBe(0);
    // Save again on the old copy: the draft is gone, nothing is written.
    const save = buttonsOf(first).find((b) => b.text.includes("Сохранить"))!;
    await math.pressData(save.data, first);
    expect(math.alerts().at(-1)).toMatch(/устарела/);
  });

  it("reaches another lesson in two taps", async () => {
    await math.say("/att");
    await math.press("Другой урок");
    const list = math.last();
    expect(list.text).toMatch(/Выберите урок/);
    expect(buttonsOf(list)).toHaveLength(1);
    await math.press("Математика, 5А", list);
    expect(math.last().text).toMatch(/Посещаемость: 1\. 08:30 Математика, 5А/);
  });
});

describe("marks in one line", () => {
  it("echoes a summary and writes only on Подтвердить; 'н' is recorded as absence", async () => {
    await math.say("иванов 5, Петр 4, Сидорова н");
    const echo = math.last();
    expect(echo.text).toMatch(/Иванов Иван — 5/);
    expect(echo.text).toMatch(/Петров Пётр — 4/);
    expect(echo.text).toMatch(/Сидорова Анна — отсутствует/);
    expect(await h.testDb.db.mark.count()).toBe(0);
    await math.press("Подтвердить", echo);
    expect(math.last().text).toMatch(/отметок — 2, отсутствующих — 1/);
    const marks = await h.testDb.db.mark.findMany({ where: { lessonId: lessons.math!.id } });
    expect(marks.map((m) => m.value).sort()).toEqual(["4", "5"]);
    const absent = await h.testDb.db.attendance.findMany({ where: { lessonId: lessons.math!.id } });
    expect(absent.map((a) => a.pupilId)).toEqual([h.school.pupils.sidorova.id]);
  });

  it("Изменить writes nothing", async () => {
    await math.say("Смирнов 3");
    await math.press("Изменить");
    expect(math.last().text).toMatch(/ничего не записано/);
    expect(await h.testDb.db.mark.count({ where: { pupilId: h.school.pupils.smirnov.id } })).toBe(0);
  });

  it("asks back about an ambiguous prefix with buttons; ё = е", async () => {
    await math.say("Иван 4, Смирнов 5");
    const ask = math.last();
    expect(ask.text).toMatch(/«Иван» — кого вы имели в виду/);
    expect(buttonsOf(ask).map((b) => b.text)).toEqual(["Иванов Иван", "Иванова Мария"]);
    await math.press("Иванова Мария", ask);
    const echo = math.last();
    expect(echo.text).toMatch(/Иванова Мария — 4/);
    await math.press("Изменить", echo);
    // "Петров" is written with ё nowhere, but the first name is: an initial with ё matches.
    await math.say("Петров П. 5");
    expect(math.last().text).toMatch(/Петров Пётр — 5/);
    await math.press("Изменить");
  });

  it("refuses unknown surnames, '6', and '4/5' in a subject without double marks — all at once", async () => {
    const before = await h.testDb.db.mark.count();
    await math.say("Кузькин 5, Смирнов 6, Иванова 4/5");
    const [text] = math.replies().slice(-1);
    expect(text).toMatch(/Ничего не записано/);
    expect(text).toMatch(/ученика «Кузькин» нет в 5А/);
    expect(text).toMatch(/Смирнов 6: Отметка «6» недопустима/);
    expect(text).toMatch(/две отметки в одной клетке не ставятся/);
    expect(text).toMatch(/Пример: Иванов 5/);
    expect(await h.testDb.db.mark.count()).toBe(before);
  });

  it("refuses marks in grade 1 and in a subject without marks, with the reason", async () => {
    const primary = await h.link(7002, h.school.people.primary.id);
    await primary.say("Козлов 5");
    expect(primary.replies().at(-1)).toMatch(/В 1 классе отметки не ставятся/);
    const s = h.school;
    vi.setSystemTime(new Date("2026-11-25T10:30:00+03:00"));
    await s.lesson(s.assignments.odnknr5, "2026-11-25", 3);
    const russian = await h.link(7003, s.people.russian.id);
    await russian.say("Иванов 5");
    expect(russian.replies().at(-1)).toMatch(/безотметочный предмет/);
    expect(await h.testDb.db.mark.count({ where: { lesson: { classId: s.classes.class1.id } } })).toBe(0);
  });
});

describe("control form", () => {
  it("/kr shows forms with weights; a control work lists pupils still without a mark", async () => {
    await math.say("/kr");
    const msg = math.last();
    expect(buttonsOf(msg).map((b) => b.text)).toContain("Контрольная работа ×3");
    await math.press("Контрольная работа ×3", msg);
    const text = math.last().text!;
    expect(text).toMatch(/Форма контроля: Контрольная работа, вес 3/);
    expect(text).toMatch(/ещё без отметки — .*Смирнов Алексей/);
    expect(text).not.toMatch(/Сидорова/); // absent
  });
});

describe("topic and homework", () => {
  it("/topic and /hw write the current lesson; 'не задано' in one tap", async () => {
    await math.say("/topic Сложение дробей");
    await math.say("/hw §12, № 3, 5");
    expect(math.replies().slice(-2)).toEqual([
      expect.stringMatching(/Тема записана/),
      expect.stringMatching(/Домашнее задание записано/),
    ]);
    const lesson = await h.testDb.db.lesson.findUniqueOrThrow({ where: { id: lessons.math!.id } });
    expect(lesson).toMatchObject({ topic: "Сложение дробей", homework: "§12, № 3, 5" });
    expect(await h.testDb.db.outbox.count({ where: { type: "homework.set" } })).toBeGreaterThan(0);

    await math.say("/today");
    await math.press("Математика, 5А");
    await math.press("ДЗ: не задано");
    expect(math.replies().at(-1)).toMatch(/не задано/);
  });

  it("refuses homework for a past lesson with the core's reason; the topic is still allowed", async () => {
    await math.say("/today вчера");
    expect(math.last().text).toMatch(/Уроки 23\.11/);
    await math.press("Математика, 5А");
    await math.say("/hw повторить §11");
    expect(math.replies().at(-1)).toMatch(/⚠️.*прош/);
    await math.say("/topic Дроби");
    expect(math.replies().at(-1)).toMatch(/Тема записана: 1\. 08:30 Математика/);
    const l = await h.testDb.db.lesson.findUniqueOrThrow({ where: { id: lessons.mathYesterday!.id } });
    expect(l).toMatchObject({ homework: null, topic: "Дроби" });
    // Back to today's lesson for the tests that follow.
    await math.say("/today");
    await math.press("Математика, 5А");
  });

  it("usage hint without text", async () => {
    await math.say("/topic");
    expect(math.replies().at(-1)).toMatch(/Напишите тему после команды/);
  });
});
