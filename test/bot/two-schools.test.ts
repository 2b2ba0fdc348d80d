import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hashInviteCode } from "../../src/journal/invites.js";
import { updateLesson } from "../../src/journal/lessons.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { type BotHarness, buttonsOf, type ChatUser, startBotHarness } from "./harness.js";

/**
 * A parent with a child in each of two schools served by one deployment (issue 11 item 8): both
 * codes redeemed in one chat keep both links; the diary, the absence report and the settings ask
 * which child (or whose settings) and act as the right school's person.
 */
const NOW = new Date("2026-11-24T15:00:00+03:00");
let h: BotHarness;
let other: SchoolFixture;
let parent: ChatUser;

/** An invite of a person of any school (the harness's own helper is for its school). */
async function inviteIn(s: SchoolFixture, personId: number): Promise<string> {
  const code = randomBytes(4).toString("hex").toUpperCase().replace(/[01]/g, "7");
  await h.testDb.db.inviteCode.create({
    data: {
      schoolId: s.school.id,
      personId,
      codeHash: hashInviteCode(code),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return code;
}

beforeAll(async () => {
  h = await startBotHarness();
  other = await buildSchool(h.testDb.db, "Гимназия № 3");
  const mine = h.school;
  // The same mother, one person per school.
  await h.testDb.db.person.update({
    where: { id: other.guardians.sidorovFather.id },
    data: { lastName: "Петрова", firstName: "Ольга", middleName: "Ивановна" },
  });
  const a = await mine.lesson(mine.assignments.math5, "2026-11-24", 1);
  await updateLesson(h.testDb.db, mine.people.math.actor, { lessonId: a.id, topic: "Дроби в школе № 1" });
  const b = await other.lesson(other.assignments.math5, "2026-11-24", 1);
  await updateLesson(h.testDb.db, other.people.math.actor, { lessonId: b.id, topic: "Проценты в гимназии" });
  parent = h.user(8001, "Ольга");
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("two schools in one chat", () => {
  it("keeps the first school's link when the second school's code is redeemed", async () => {
    await parent.say(`/start ${await inviteIn(h.school, h.school.guardians.petrovaMother.id)}`);
    await parent.say(`/start ${await inviteIn(other, other.guardians.sidorovFather.id)}`);
    const [first, second] = parent.replies();
    expect(first).toMatch(/Пётр Петров/);
    expect(second).toMatch(/Анна Сидорова/);
    const links = await h.testDb.db.chatLink.findMany({ where: { chatId: 8001n }, orderBy: { id: "asc" } });
    expect(links.map((l) => [l.personId, l.active])).toEqual([
      [h.school.guardians.petrovaMother.id, true],
      [other.guardians.sidorovFather.id, true],
    ]);
  });

  it("asks which child for the diary, naming the schools, and shows each school's lessons", async () => {
    await parent.say("/diary");
    const ask = parent.last();
    expect(ask.text).toMatch(/Выберите ребёнка/);
    expect(buttonsOf(ask).map((b) => b.text)).toEqual([
      "Анна Сидорова, 5А (Гимназия № 3)",
      "Пётр Петров, 5А (МБОУ «Школа № 1»)",
    ]);
    await parent.press("Пётр Петров", ask);
    expect(parent.last().text).toMatch(/📖 Пётр, 24\.11[\s\S]*Тема: Дроби в школе № 1/);
    await parent.press("Другой ребёнок");
    await parent.press("Анна Сидорова");
    expect(parent.last().text).toMatch(/📖 Анна, 24\.11[\s\S]*Тема: Проценты в гимназии/);
    expect(parent.last().text).not.toMatch(/Дроби/);
  });

  it("reports an absence to the right school as that school's parent", async () => {
    await parent.say("/absent");
    await parent.press("Анна Сидорова");
    await parent.press("Завтра");
    await parent.press("болезнь");
    const notice = await h.testDb.db.absenceNotice.findFirstOrThrow();
    expect(notice).toMatchObject({
      pupilId: other.pupils.sidorova.id,
      reportedById: other.guardians.sidorovFather.id,
    });
  });

  it("asks whose settings and changes only that school's person", async () => {
    await parent.say("/settings");
    const ask = parent.last();
    expect(ask.text).toMatch(/Чьи настройки/);
    expect(buttonsOf(ask).map((b) => b.text)).toEqual(["Анна, Гимназия № 3", "Пётр, МБОУ «Школа № 1»"]);
    await parent.press("Пётр", ask);
    expect(parent.last().text).toMatch(/^Пётр, МБОУ «Школа № 1»\n/);
    await parent.press("отметки");
    expect(parent.last().text).toMatch(/❌ отметки/);
    await parent.press("Тихие часы");
    await parent.say("21:00-07:00");
    expect(parent.last().text).toMatch(/^Сохранено\.\n\nПётр, МБОУ/);
    const prefs = await h.testDb.db.notificationPreference.findMany();
    expect(prefs.map((p) => [p.personId, p.marks, p.quietStart])).toEqual([
      [h.school.guardians.petrovaMother.id, false, "21:00"],
    ]);
  });

  it("shows the messages of both schools in the inbox", async () => {
    for (const [s, guardian, body] of [
      [h.school, h.school.guardians.petrovaMother.id, "Собрание в школе № 1"],
      [other, other.guardians.sidorovFather.id, "Экскурсия гимназии"],
    ] as const) {
      await h.testDb.db.message.create({
        data: {
          schoolId: s.school.id,
          authorId: s.people.russian.id,
          kind: "DIRECT",
          body,
          needsAck: true,
          recipients: { create: [{ personId: guardian }] },
        },
      });
    }
    await parent.say("/inbox");
    const texts = parent.replies().join("\n");
    expect(texts).toMatch(/Собрание в школе № 1/);
    expect(texts).toMatch(/Экскурсия гимназии/);
    // «Ознакомлен» is recorded for the school's own person.
    const gym = parent.messages().find((m) => m.text?.includes("Экскурсия"))!;
    await parent.press("Ознакомлен", gym);
    const row = await h.testDb.db.messageRecipient.findFirstOrThrow({
      where: { personId: other.guardians.sidorovFather.id },
    });
    expect(row.acknowledgedAt).not.toBeNull();
  });

  it("serves a teacher of one school who is a parent in another from one chat", async () => {
    const chat = h.user(8002, "Анна");
    await chat.say(`/start ${await inviteIn(h.school, h.school.people.math.id)}`);
    await chat.say(`/start ${await inviteIn(other, other.guardians.petrovaMother.id)}`);
    await chat.say("/today");
    expect(chat.last().text).toMatch(/Уроки на сегодня[\s\S]*Математика, 5А/);
    await chat.say("/diary");
    expect(chat.last().text).toMatch(/📖 Пётр, 24\.11[\s\S]*Проценты в гимназии/);
    const menu = JSON.stringify(
      h.tg.callsOf("sendMessage").filter((c) => c.payload.chat_id === 8002)[1]!.payload.reply_markup,
    );
    expect(menu).toContain("Сегодня");
    expect(menu).toContain("Дневник");
  });
});
