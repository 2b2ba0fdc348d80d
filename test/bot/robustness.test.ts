import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { lateLessons } from "../../src/journal/control.js";
import { setSubstitute } from "../../src/journal/lessons.js";
import { postMarks } from "../../src/journal/marks.js";
import { type BotHarness, buttonsOf, type ChatUser, startBotHarness } from "./harness.js";

const NOW = new Date("2026-11-24T09:00:00+03:00");

let h: BotHarness;
let math: ChatUser;
let lessonId: number;

beforeAll(async () => {
  h = await startBotHarness();
  lessonId = (await h.school.lesson(h.school.assignments.math5, "2026-11-24", 1)).id;
  math = await h.link(4001, h.school.people.math.id);
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("corrections", () => {
  it("changes a mark inside the lock window and keeps the old value in history", async () => {
    await math.say("Смирнов 3");
    await math.press("Подтвердить");
    await math.say("/fix");
    await math.press("Смирнов А. — 3");
    expect(math.replies().at(-1)).toMatch(/Смирнов Алексей: сейчас 3\. Напишите новую отметку/);
    await math.say("4");
    expect(math.replies().at(-1)).toMatch(/Исправлено: Смирнов Алексей — 4/);
    const mark = await h.testDb.db.mark.findFirstOrThrow({
      where: { pupilId: h.school.pupils.smirnov.id },
      include: { history: true },
    });
    expect(mark.value).toBe("4");
    expect(mark.history).toMatchObject([{ oldValue: "3", newValue: "4", change: "EDIT" }]);
  });

  it("after the lock window explains who can correct it, and changes nothing", async () => {
    const s = h.school;
    vi.setSystemTime(new Date("2026-10-06T09:00:00+03:00"));
    const old = await s.lesson(s.assignments.math5, "2026-10-06", 1);
    await postMarks(h.testDb.db, s.people.math.actor, {
      lessonId: old.id,
      marks: [{ pupilId: s.pupils.petrov.id, value: "2" }],
    });
    vi.setSystemTime(NOW);
    await math.say("/fix");
    await math.press("06.10 Петров П. — 2");
    await math.say("3");
    const text = math.replies().at(-1)!;
    expect(text).toMatch(/⚠️ Отметка заблокирована/);
    expect(text).toMatch(/заместитель директора или администратор журнала/);
    const mark = await h.testDb.db.mark.findFirstOrThrow({ where: { lessonId: old.id } });
    expect(mark.value).toBe("2");
  });
});

describe("wrong input of every kind", () => {
  it("an unknown command gets a short Russian hint with an example", async () => {
    await math.say("/foo");
    expect(math.replies().at(-1)).toMatch(/^Такой команды нет\. Например: «Иванов 5, Петров 4\/5/);
  });

  it("garbage text gets a hint, nothing is written", async () => {
    const before = await h.testDb.db.mark.count();
    await math.say("ыва ыв аыва");
    await math.say("Иванов пять");
    for (const r of math.replies().slice(-2)) expect(r).toMatch(/^Не понял сообщение\. Например/);
    expect(await h.testDb.db.mark.count()).toBe(before);
  });

  it("a marks line with an unreadable piece is refused whole", async () => {
    await math.say("Иванов 5, Петров");
    expect(math.replies().at(-1)).toMatch(/не понял «Петров»/);
  });

  it("an unlinked chat is told how to link, whatever it sends", async () => {
    const stranger = h.user(4999);
    await stranger.say("/today");
    await stranger.say("привет");
    await stranger.say("/start");
    const r = stranger.replies();
    expect(r[0]).toMatch(/не подключён.*\/start AB3K7QXZ/);
    expect(r[1]).toMatch(/не подключён/);
    expect(r[2]).toMatch(/код приглашения/);
  });

  it("a guardian asking for a teacher's command is redirected", async () => {
    const mother = await h.link(4002, h.school.guardians.petrovaMother.id);
    await mother.say("/today");
    expect(mother.replies().at(-1)).toMatch(/для учителей.*\/diary/);
  });

  it("a button of an older layout or a foreign lesson is answered politely and changes nothing", async () => {
    await math.say("/att");
    const msg = math.last();
    const data = buttonsOf(msg)[0]!.data;
    // Simulate a button from a previous bot version: the fake lets a client press only what is on
    // the message, so the message is edited to carry the old data first.
    await h.bot.api.editMessageReplyMarkup(4001, msg.message_id, {
      reply_markup: { inline_keyboard: [[{ text: "old", callback_data: data.replace(/^v1:/, "v0:") }]] },
    });
    await math.pressData(data.replace(/^v1:/, "v0:"), { ...msg, message_id: msg.message_id });
    expect(math.alerts().at(-1)).toMatch(/Эта кнопка устарела/);
    expect(await h.testDb.db.attendance.count()).toBe(0);
  });

  // Issue 10, item 6: bounded and validated input in the bot too — a short Russian answer, no crash.
  it("a forged button with an id past int4 is answered as outdated, not with an apology", async () => {
    await math.say("/att");
    const msg = math.last();
    // "zzzzzz" in base 36 is 2 176 782 335, past PostgreSQL's int4.
    const forged = ["v1:att.s:zzzzzz", "v1:pick:1:zzzzzz", "v1:ack:-1", "v1:att.t:1:1234567"];
    for (const data of forged) {
      await h.bot.api.editMessageReplyMarkup(4001, msg.message_id, {
        reply_markup: { inline_keyboard: [[{ text: "x", callback_data: data }]] },
      });
      await math.pressData(data, msg);
      expect(math.alerts().at(-1), data).toMatch(/Эта кнопка устарела/);
    }
    expect(math.replies().join("\n")).not.toMatch(/Что-то пошло не так/);
    expect(await h.testDb.db.attendance.count()).toBe(0);
  });

  it("a topic too long or with a NUL byte gets a short Russian reason and is not saved", async () => {
    for (const topic of ["Дроби".repeat(120), "Дроби\u0000"]) {
      await math.say(`/topic ${topic}`);
      expect(math.replies().at(-1)).toMatch(/^⚠️ .*(не длиннее 500 символов|управляющие символы)/);
    }
    const lesson = await h.testDb.db.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    expect(lesson.topic).toBeNull();
  });

  it("an invite code with a NUL byte is refused in Russian", async () => {
    const stranger = h.user(4998);
    await stranger.say("/start AB3K\u0000QXZ");
    const reply = stranger.replies().at(-1);
    expect(reply).toMatch(/^⚠️ .*code: недопустимые управляющие символы/);
  });

  it("a chat that blocked the bot mid-conversation is marked inactive", async () => {
    const chat = await h.link(4010, h.school.people.russian.id);
    h.tg.failChat(4010, { code: 403 });
    await chat.say("/today");
    h.tg.failChat(4010, null);
    expect(await h.testDb.db.chatLink.findFirst({ where: { chatId: 4010n } })).toMatchObject({
      active: false,
      inactiveWhy: "blocked",
    });
  });

  it("a service failure gets a short apology, no details", async () => {
    h.tg.failNext(1, { code: 400, description: "Bad Request: something odd" }, "sendMessage");
    await math.say("/today");
    const apology = h.tg.callsOf("sendMessage").at(-1)!;
    expect(String(apology.payload.text)).toMatch(/^Что-то пошло не так/);
    expect(String(apology.payload.text)).not.toMatch(/Bad Request/);
  });
});

describe("substitutes and the deputy head", () => {
  it("a substitute sees and fills the lesson they substitute", async () => {
    const s = h.school;
    await setSubstitute(h.testDb.db, s.people.deputy.actor, {
      lessonId,
      substituteId: s.people.substitute.id,
    });
    const sub = await h.link(4003, s.people.substitute.id);
    await sub.say("/today");
    expect(sub.replies().at(-1)).toMatch(/1\. 08:30 Математика, 5А \(замена\)/);
    await sub.say("/topic Повторение");
    expect(sub.replies().at(-1)).toMatch(/Тема записана/);
    await math.say("/topic Другое");
    expect(math.replies().at(-1)).toMatch(/⚠️|нет уроков/);
    await setSubstitute(h.testDb.db, s.people.deputy.actor, { lessonId, substituteId: null });
  });

  it("/control lists, per teacher, lessons past the fill deadline with what is missing", async () => {
    const s = h.school;
    await s.lesson(s.assignments.russian5, "2026-11-23", 2);
    const deputy = await h.link(4004, s.people.deputy.id);
    await deputy.say("/control");
    const text = deputy.replies().at(-1)!;
    expect(text).toMatch(/Не заполнено в срок/);
    expect(text).toMatch(
      /Морозов П\. И\. — 1\n {2}23\.11 2\. Русский язык, 5А: посещаемость, тема, домашнее задание/,
    );
    // Today's lesson is not late before the 18:00 deadline.
    expect(text).not.toMatch(/24\.11/);
    await math.say("/control");
    expect(math.replies().at(-1)).toMatch(/заместителю директора/);
  });

  it("the control read model counts today's lessons once the deadline has passed", async () => {
    const report = await lateLessons(
      h.testDb.db,
      h.school.people.deputy.actor,
      {},
      new Date("2026-11-24T18:30:00+03:00"),
    );
    const math5 = report.teachers.find((t) => t.teacher.id === h.school.people.math.id);
    expect(math5?.lessons.map((l) => l.date)).toContain("2026-11-24");
    await expect(lateLessons(h.testDb.db, h.school.people.math.actor, {})).rejects.toThrow(
      /заместитель директора/,
    );
  });
});
