import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hashInviteCode } from "../../src/journal/invites.js";
import { type BotHarness, startBotHarness } from "./harness.js";

/**
 * Group chats (issue 11 item 7): nobody is linked in a group, the code typed there stays valid,
 * no command answers with personal data, and a group turned supergroup keeps its links.
 */
const NOW = new Date("2026-11-24T15:00:00+03:00");
let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** Every text the bot sent or edited into a chat so far. */
const everything = (chatId: number) =>
  h.tg.calls
    .filter((c) => Number(c.payload.chat_id) === chatId && /^(send|edit)/.test(c.method))
    .map((c) => String(c.payload.text ?? ""));

describe("linking in a group", () => {
  it.each([
    ["a guardian's code in a group", -5101, () => h.school.guardians.ivanovaMother.id],
    ["a teacher's code in a supergroup", -1005102000000, () => h.school.people.math.id],
  ])("refuses %s in Russian, links nothing and leaves the code valid", async (_name, chatId, person) => {
    const group = h.user(chatId, "Мама", 5100);
    const code = await h.invite(person());
    await group.say(`/start ${code}`);
    expect(group.replies()).toEqual([
      expect.stringMatching(/^⚠️ В группах бот не подключается.*Код не использован/),
    ]);
    expect(await h.testDb.db.chatLink.count({ where: { chatId: BigInt(chatId) } })).toBe(0);
    // Nobody's name was posted to the group.
    expect(everything(chatId).join("\n")).not.toMatch(/Иван|Мария|Анна|Елена/);
    const invite = await h.testDb.db.inviteCode.findUniqueOrThrow({
      where: { codeHash: hashInviteCode(code) },
    });
    expect(invite.usedAt).toBeNull();
    // The same code then works in the private chat.
    const own = h.user(5100 + Math.abs(chatId % 7), "Мама");
    await own.say(`/start ${code}`);
    expect(own.replies()[0]).toMatch(/Здравствуйте/);
  });

  it("does not count group refusals as wrong codes", async () => {
    const group = h.user(-5103, "Папа", 5103);
    for (let i = 0; i < 6; i++)
      await group.say(`/start ${await h.invite(h.school.guardians.sidorovFather.id)}`);
    expect(group.replies().every((r) => /В группах бот не подключается/.test(r))).toBe(true);
  });
});

describe("a group linked before this rule (old data)", () => {
  const chatId = -5201;

  it("answers no command with personal data and ignores group talk", async () => {
    await h.link(chatId, h.school.guardians.ivanovaMother.id);
    const group = h.user(chatId, "Кто-то", 5201);
    for (const command of [
      "/start",
      "/diary",
      "/timetable",
      "/periods",
      "/inbox",
      "/settings",
      "/absent",
      "/write",
      "/today",
    ]) {
      await group.say(command);
    }
    const replies = group.replies();
    expect(replies).toHaveLength(9);
    for (const r of replies) expect(r).toMatch(/В группах бот не показывает.*@zhurnal_test_bot/);
    await group.say("Иванов 5, Петров 4");
    await group.say("когда собрание?");
    expect(group.replies()).toEqual([]);
    expect(everything(chatId).join("\n")).not.toMatch(/Иван|Мария|Елена/);
  });

  it("moves the link when the group becomes a supergroup, and /stop still unlinks", async () => {
    const supergroup = -1005201000000;
    const [inOld, inNew] = h.tg.migrateGroup({ id: 5201, first_name: "Кто-то" }, chatId, supergroup);
    await h.bot.handleUpdate(inOld);
    await h.bot.handleUpdate(inNew);
    expect(await h.testDb.db.chatLink.count({ where: { chatId: BigInt(chatId) } })).toBe(0);
    expect(
      await h.testDb.db.chatLink.findFirstOrThrow({ where: { chatId: BigInt(supergroup) } }),
    ).toMatchObject({
      personId: h.school.guardians.ivanovaMother.id,
      active: true,
    });
    // The bot said nothing about it in either chat.
    expect(everything(chatId)).toHaveLength(9);
    expect(everything(supergroup)).toEqual([]);
    const group = h.user(supergroup, "Кто-то", 5201);
    await group.say("/stop");
    expect(group.replies().at(-1)).toMatch(/Чат отключён/);
    expect(
      await h.testDb.db.chatLink.findFirstOrThrow({ where: { chatId: BigInt(supergroup) } }),
    ).toMatchObject({
      active: false,
      inactiveWhy: "unlinked",
    });
  });

  it("a migration into a chat the person is already linked in keeps one active row", async () => {
    const person = h.school.guardians.kozlovaMother.id;
    const [from, to] = [-5301, -1005301000000];
    await h.link(from, person);
    await h.testDb.db.chatLink.create({ data: { chatId: BigInt(to), personId: person, active: false } });
    const [inOld, inNew] = h.tg.migrateGroup({ id: 5301, first_name: "К" }, from, to);
    await h.bot.handleUpdate(inNew);
    await h.bot.handleUpdate(inOld);
    const rows = await h.testDb.db.chatLink.findMany({ where: { personId: person } });
    expect(rows.map((r) => [Number(r.chatId), r.active])).toEqual([[to, true]]);
  });

  it("does nothing for a button pressed in a group", async () => {
    const chat = -5401;
    await h.link(chat, h.school.guardians.petrovaMother.id);
    // An alert with «Ознакомлен» sent to the group before the rule.
    const sent = await h.bot.api.sendMessage(chat, "Сообщение", {
      reply_markup: { inline_keyboard: [[{ text: "✅ Ознакомлен", callback_data: "v1:ack:1" }]] },
    });
    await h.bot.handleUpdate(h.tg.pressButton({ id: 5401, first_name: "Чужой" }, sent, "v1:ack:1"));
    expect(h.user(chat).alerts().at(-1)).toMatch(/только в личном чате/);
    expect(await h.testDb.db.messageRecipient.count({ where: { acknowledgedAt: { not: null } } })).toBe(0);
  });
});
