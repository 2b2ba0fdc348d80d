import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { updateLesson } from "../../src/journal/lessons.js";
import { postMarks } from "../../src/journal/marks.js";
import { publishPeriod } from "../../src/journal/periods.js";
import { type BotHarness, buttonsOf, type ChatUser, startBotHarness } from "./harness.js";

const NOW = new Date("2026-11-24T15:00:00+03:00");

let h: BotHarness;
let mother: ChatUser;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  h = await startBotHarness();
  const s = h.school;
  const monday = await s.lesson(s.assignments.math5, "2026-11-23", 1);
  const today = await s.lesson(s.assignments.math5, "2026-11-24", 1);
  await s.lesson(s.assignments.russian5, "2026-11-24", 2);
  const teacher = s.people.math.actor;
  await updateLesson(h.testDb.db, teacher, { lessonId: monday.id, controlFormId: s.forms.control.id });
  await postMarks(h.testDb.db, teacher, {
    lessonId: monday.id,
    marks: [{ pupilId: s.pupils.ivanov.id, value: "5" }],
  });
  await postMarks(h.testDb.db, teacher, {
    lessonId: today.id,
    marks: [{ pupilId: s.pupils.ivanov.id, value: "4" }],
  });
  await updateLesson(h.testDb.db, teacher, { lessonId: today.id, topic: "Дроби", homework: "§12 № 5" });
  // Мария: 4 and 4 for oral answers — only a control work's 5 lifts the average to a 5.
  const friday = await s.lesson(s.assignments.math5, "2026-11-20", 1);
  await postMarks(h.testDb.db, teacher, {
    lessonId: friday.id,
    marks: [{ pupilId: s.pupils.ivanova.id, value: "4" }],
  });
  await postMarks(h.testDb.db, teacher, {
    lessonId: today.id,
    marks: [{ pupilId: s.pupils.ivanova.id, value: "4" }],
  });
  // Period marks of the first quarter, published.
  await h.testDb.db.periodMark.create({
    data: {
      pupilId: s.pupils.ivanov.id,
      subjectId: s.subjects.math.id,
      periodId: s.periods[0]!.id,
      kind: "PERIOD",
      value: "5",
      authorId: s.people.math.id,
    },
  });
  mother = await h.link(6001, s.guardians.ivanovaMother.id);
  vi.useRealTimers();
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("the diary", () => {
  it("asks which child, remembers the choice, and shows today with marks, topic and homework", async () => {
    await mother.say("/diary");
    const ask = mother.last();
    expect(ask.text).toMatch(/Выберите ребёнка/);
    expect(buttonsOf(ask).map((b) => b.text)).toEqual(["Иван Иванов, 5А", "Мария Иванова, 5А"]);
    await mother.press("Иван Иванов", ask);
    const day = mother.last().text!;
    expect(day).toMatch(/Иван, 24\.11/);
    expect(day).toMatch(/1\. Математика · ⭐ 4/);
    expect(day).toMatch(/Тема: Дроби/);
    expect(day).toMatch(/ДЗ: §12 № 5/);
    expect(day).toMatch(/2\. Русский язык/);
    // Remembered: the next /diary goes straight to Иван.
    await mother.say("/diary");
    expect(mother.last().text).toMatch(/📖 Иван, 24\.11/);
  });

  it("shows the week with the control work's form and weight", async () => {
    await mother.press("Неделя");
    const week = mother.last().text!;
    expect(week).toMatch(/неделя 23\.11–29\.11/);
    expect(week).toMatch(/Пн 23\.11/);
    expect(week).toMatch(/⭐ 5 \(Контрольная работа ×3\)/);
  });

  it("explains a subject's weighted average and the mark that lifts it", async () => {
    await mother.press("Отметки по предметам");
    await mother.press("Математика");
    const text = mother.last().text!;
    expect(text).toMatch(/Средний балл: 4,75: 5 \(Контрольная работа ×3\), 4/);
    expect(mother.last().text).not.toMatch(/Чтобы выйти на 6/);
  });

  it("names the mark that lifts an average to the next whole mark", async () => {
    await mother.press("Другой ребёнок");
    await mother.press("Мария Иванова");
    await mother.press("Отметки по предметам");
    await mother.press("Математика");
    const text = mother.last().text!;
    expect(text).toMatch(/Средний балл: 4,00: 4, 4/);
    expect(text).toMatch(/Чтобы выйти на 5, нужна отметка 5 \(Контрольная работа\) — средний станет 4,60/);
    await mother.press("Другой ребёнок");
    await mother.press("Иван Иванов");
  });

  it("shows the timetable, and period marks only once published", async () => {
    await mother.say("/timetable");
    expect(mother.last().text).toMatch(/Расписание: Иван.*\n[\s\S]*1\. 08:30 Математика/);
    await mother.say("/periods");
    expect(mother.last().text).toMatch(/ещё не опубликованы/);
    await publishPeriod(h.testDb.db, h.school.people.deputy.actor, { periodId: h.school.periods[0]!.id });
    await mother.say("/periods");
    expect(mother.last().text).toMatch(/1 четверть\nМатематика: 5/);
  });
});

describe("Ребёнок не придёт", () => {
  it("reports an absence for tomorrow with a reason through the core", async () => {
    await mother.say("🚫 Ребёнок не придёт");
    await mother.press("Мария Иванова");
    await mother.press("Завтра");
    expect(mother.last().text).toMatch(/Мария, 25\.11–25\.11\. Причина\?/);
    await mother.press("болезнь");
    expect(mother.last().text).toMatch(/Классный руководитель получит сообщение/);
    const notice = await h.testDb.db.absenceNotice.findFirstOrThrow();
    expect(notice).toMatchObject({ pupilId: h.school.pupils.ivanova.id, reason: "ILLNESS" });
    expect(await h.testDb.db.outbox.count({ where: { type: "absence.reported" } })).toBe(1);
  });
});

describe("writing to a teacher", () => {
  it("offers the class teacher and subject teachers, and sends a direct message", async () => {
    await mother.say("/write");
    await mother.press("Иван Иванов");
    const whom = mother.last();
    expect(buttonsOf(whom).map((b) => b.text)).toContain("Классный руководитель: Морозов П. И.");
    await mother.press("Математика: Кузнецова", whom);
    await mother.say("Иван пропустил контрольную по болезни, можно переписать?");
    expect(mother.replies().at(-1)).toMatch(/Сообщение отправлено/);
    const msg = await h.testDb.db.message.findFirstOrThrow({
      where: { authorId: h.school.guardians.ivanovaMother.id },
      include: { recipients: true },
    });
    expect(msg.recipients.map((r) => r.personId)).toEqual([h.school.people.math.id]);
  });
});

describe("settings", () => {
  it("toggles alert kinds, switches to a digest at a chosen time, sets quiet hours and the language", async () => {
    await mother.say("/settings");
    const msg = mother.last();
    expect(msg.text).toMatch(/✅ отметки/);
    await mother.press("отметки", msg);
    expect(mother.last().text).toMatch(/❌ отметки/);
    await mother.press("Время сводки");
    await mother.say("25:99");
    expect(mother.replies().at(-1)).toMatch(/⚠️.*ЧЧ:ММ/);
    await mother.say("7:30");
    expect(mother.last().text).toMatch(/сводка раз в день в 07:30/);
    await mother.press("Тихие часы");
    await mother.say("22:00-07:00");
    expect(mother.last().text).toMatch(/Тихие часы: 22:00–07:00$/m);
    const prefs = await h.testDb.db.notificationPreference.findUniqueOrThrow({
      where: { personId: h.school.guardians.ivanovaMother.id },
    });
    expect(prefs).toMatchObject({
      marks: false,
      mode: "DIGEST",
      digestTime: "07:30",
      quietStart: "22:00",
      quietEnd: "07:00",
    });

    await mother.press("English");
    expect(mother.last().text).toMatch(/Language: English/);
    const person = await h.testDb.db.person.findUniqueOrThrow({
      where: { id: h.school.guardians.ivanovaMother.id },
    });
    expect(person.language).toBe("en");
    await mother.say("/diary");
    expect(buttonsOf(mother.last()).map((b) => b.text)).toContain("Week");
    await mother.say("/settings");
    await mother.press("Русский");
    expect(mother.last().text).toMatch(/Язык: русский/);
  });
});
