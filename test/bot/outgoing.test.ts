import { Api } from "grammy";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { outgoing } from "../../bot/outgoing.js";
import { sendMessage } from "../../src/journal/messages.js";
import { createLogger } from "../../src/logger.js";
import { d } from "../support/school.js";
import { type BotHarness, buttonsOf, type ChatUser, startBotHarness } from "./harness.js";

/**
 * What goes out of the bot as Telegram really behaves (issue 11 items 5 and 6): a reply over
 * 4,096 characters arrives in several messages instead of being refused, and a button press
 * whose answer Telegram refuses ("query is too old") still does what was asked.
 */
const NOW = new Date("2026-11-25T15:00:00+03:00");
const WEEK = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"];
const TIMES = ["08:30", "09:25", "10:25", "11:25", "12:20", "13:15"];

let h: BotHarness;
let mother: ChatUser;
let teacher: ChatUser;

/** ~70 characters of topic and ~95 of homework, different for every lesson. */
const topicOf = (day: number, n: number) =>
  `Тема ${day}.${n}: сложение и вычитание обыкновенных дробей с разными знаменателями`.slice(0, 70);
const homeworkOf = (day: number, n: number) =>
  `ДЗ ${day}.${n}: §12, упражнения 5, 6 и 7 на странице 48; выучить правило приведения дробей к общему`.slice(
    0,
    95,
  );

beforeAll(async () => {
  h = await startBotHarness();
  const s = h.school;
  const a = s.assignments.math5;
  // 30 lessons in a week: six a day, Monday to Friday, each with a topic and homework.
  for (const [day, date] of WEEK.entries()) {
    for (let n = 1; n <= 6; n++) {
      await h.testDb.db.lesson.create({
        data: {
          assignmentId: a.id,
          classId: a.classId,
          subjectId: a.subjectId,
          subgroupId: a.subgroupId,
          teacherId: a.teacherId,
          date: d(date),
          lessonNumber: n,
          startsAt: TIMES[n - 1]!,
          endsAt: TIMES[n - 1]!,
          topic: topicOf(day, n),
          homework: homeworkOf(day, n),
        },
      });
    }
  }
  mother = await h.link(7101, s.guardians.petrovaMother.id);
  teacher = await h.link(7102, s.people.math.id);
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
  h.tg.resetFaults();
});

/** The bot's messages in a chat sent after `after` (message ids grow). */
const sentAfter = (chat: ChatUser, after: number) => chat.messages().filter((m) => m.message_id > after);
const lastId = (chat: ChatUser) => chat.messages().at(-1)?.message_id ?? 0;

describe("a long week diary (item 5)", () => {
  it("arrives in several messages under 4,096 characters, cut between days, nothing lost", async () => {
    await mother.say("/diary");
    const before = lastId(mother);
    await mother.press("Неделя");
    const parts = sentAfter(mother, before);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    const texts = parts.map((m) => m.text ?? "");
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts.join("\n\n").length).toBeGreaterThan(5000);
    expect(texts[0]).toMatch(/^📖 Пётр, неделя 23\.11–29\.11/);
    // Every day is whole in one message: its header and all six lessons with topic and homework.
    for (const [day, date] of WEEK.entries()) {
      const header = new RegExp(`📅 \\S+ ${date.slice(8, 10)}\\.${date.slice(5, 7)}`);
      const holders = texts.filter((t) => header.test(t));
      expect(holders, date).toHaveLength(1);
      for (let n = 1; n <= 6; n++) {
        expect(holders[0]).toContain(topicOf(day, n));
        expect(holders[0]).toContain(homeworkOf(day, n));
      }
    }
    // The buttons are under the last part; no error was shown.
    expect(buttonsOf(parts.at(-1)).map((b) => b.text)).toContain("Сегодня");
    expect(parts.slice(0, -1).every((m) => buttonsOf(m).length === 0)).toBe(true);
    expect(texts.join("\n")).not.toMatch(/Что-то пошло не так/);
    expect(
      h.tg.calls.filter(
        (c) => c.status === 400 && /too long/.test(c.response.ok ? "" : c.response.description),
      ),
    ).toEqual([]);
  });

  it("a short reply is still one message, sent as it was", async () => {
    const before = h.tg.callsOf("sendMessage").length;
    await mother.say("/diary");
    expect(h.tg.callsOf("sendMessage").length).toBe(before + 1);
    expect(mother.last().text).toMatch(/^📖 Пётр, 25\.11/);
  });
});

describe("a late button press (item 6)", () => {
  it("still sends the week when Telegram says the query is too old, and shows no error", async () => {
    await mother.say("/diary");
    const before = lastId(mother);
    // A backlog after a restart: the press can no longer be answered.
    await mother.pressLate("Неделя");
    expect(h.tg.callsOf("answerCallbackQuery").at(-1)!.status).toBe(400);
    const texts = sentAfter(mother, before)
      .map((m) => m.text)
      .join("\n");
    expect(texts).toMatch(/📅 Пт 27\.11/);
    expect(texts).not.toMatch(/Что-то пошло не так/);
  });

  it("saves attendance and shows the summary although every answer and the keyboard edit fail", async () => {
    vi.setSystemTime(new Date("2026-11-25T08:40:00+03:00"));
    await teacher.say("/att");
    const sheet = teacher.last();
    expect(sheet.text).toMatch(/Посещаемость/);
    // The keyboard redraw after the tap fails as well: the tap still counts.
    h.tg.failNext(
      1,
      { code: 400, description: "Bad Request: message to edit not found" },
      "editMessageReplyMarkup",
    );
    await teacher.pressLate(/Петров/, sheet);
    expect(h.tg.callsOf("editMessageReplyMarkup").at(-1)!.status).toBe(400);
    await teacher.pressLate("Сохранить", sheet);
    const saved = await h.testDb.db.attendance.findMany({ where: { pupilId: h.school.pupils.petrov.id } });
    expect(saved.map((a) => a.kind)).toEqual(["ABSENT"]);
    expect(teacher.last().text).toMatch(/Отсутствуют: Петров/);
  });

  it("records an acknowledgement pressed late and turns the button into «Ответить»", async () => {
    const message = await sendMessage(h.testDb.db, h.school.people.russian.actor, {
      kind: "CLASS",
      classId: h.school.classes.class5.id,
      body: "Завтра экскурсия, нужна подпись",
      needsAck: true,
    });
    await mother.say("/inbox");
    const shown = mother.messages().find((m) => m.text?.includes("экскурсия"))!;
    await mother.pressLate("Ознакомлен", shown);
    const row = await h.testDb.db.messageRecipient.findFirstOrThrow({
      where: { messageId: message.id, personId: h.school.guardians.petrovaMother.id },
    });
    expect(row.acknowledgedAt).not.toBeNull();
    const after = mother.messages().find((m) => m.message_id === shown.message_id)!;
    expect(buttonsOf(after).map((b) => b.text)).toEqual(["↩️ Ответить"]);
  });

  it("says a refusal in the chat when the late press cannot show it as an alert", async () => {
    await mother.say("/absent");
    await mother.press("Сегодня");
    // The reason is chosen the next day: the core refuses a past day, and the press is too old.
    vi.setSystemTime(new Date("2026-11-26T09:00:00+03:00"));
    await mother.pressLate("болезнь");
    expect(mother.replies().at(-1)).toMatch(/⚠️ Сообщить об отсутствии можно начиная с сегодняшнего дня/);
    expect(await h.testDb.db.absenceNotice.count()).toBe(0);
  });
});

describe("edits as Telegram really behaves", () => {
  it("sends a settings change as a new message when the old one can no longer be edited", async () => {
    await mother.say("/settings");
    const shown = mother.last();
    h.tg.failNext(1, { code: 400, description: "Bad Request: message can't be edited" }, "editMessageText");
    await mother.press("отметки", shown);
    expect(mother.last().message_id).toBeGreaterThan(shown.message_id);
    expect(mother.last().text).toMatch(/❌ отметки/);
    expect(buttonsOf(mother.last()).map((b) => b.text)).toContain("❌ отметки");
  });

  it("an edit over the limit edits the first part in place and sends the rest after it", async () => {
    const api = new Api(h.tg.token, { apiRoot: h.tg.apiRoot });
    api.config.use(outgoing({ log: createLogger("silent") }));
    const chat = 7199;
    const kb = { inline_keyboard: [[{ text: "Ещё", callback_data: "v1:dy:1:1" }]] };
    const first = await api.sendMessage(chat, "Коротко", { reply_markup: kb });
    const days = Array.from(
      { length: 6 },
      (_, i) => `📅 День ${i + 1}\n${"урок, тема и задание. ".repeat(40).trim()}`,
    );
    await api.editMessageText(chat, first.message_id, days.join("\n\n"), { reply_markup: kb });
    const inChat = h.tg.sentMessages(chat).sort((a, b) => a.message_id - b.message_id);
    expect(inChat.length).toBeGreaterThan(1);
    expect(inChat[0]!.message_id).toBe(first.message_id);
    for (const m of inChat) expect(m.text!.length).toBeLessThanOrEqual(4096);
    for (const day of days) expect(inChat.filter((m) => m.text!.includes(day))).toHaveLength(1);
  });
});
