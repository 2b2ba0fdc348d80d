import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotHarness, startBotHarness } from "./harness.js";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h?.close());

describe("linking a chat by an invite code", () => {
  it("links a guardian by /start <code> and greets them with the children's names", async () => {
    const mother = h.user(5001);
    const code = await h.invite(h.school.guardians.ivanovaMother.id);
    await mother.say(`/start ${code}`);
    const [greeting] = mother.replies();
    expect(greeting).toMatch(/Здравствуйте, Елена Викторовна/);
    expect(greeting).toMatch(/Иван Иванов/);
    expect(greeting).toMatch(/Мария Иванова/);
    const link = await h.testDb.db.chatLink.findFirst({ where: { chatId: 5001n } });
    expect(link).toMatchObject({ personId: h.school.guardians.ivanovaMother.id, active: true });
  });

  it("refuses a used code and an expired code with the reason, and links nothing", async () => {
    const chat = h.user(5002);
    const used = await h.invite(h.school.guardians.petrovaMother.id, { used: true });
    await chat.say(`/start ${used}`);
    const expired = await h.invite(h.school.guardians.petrovaMother.id, { expiresInMs: -1000 });
    await chat.say(`/start ${expired}`);
    const [a, b] = chat.replies();
    expect(a).toMatch(/⚠️/);
    expect(a).toMatch(/использован/i);
    expect(b).toMatch(/срок|истёк|истек/i);
    expect(await h.testDb.db.chatLink.count({ where: { chatId: 5002n } })).toBe(0);
  });

  it("slows a chat down after 5 wrong codes in 10 minutes, even for a right code", async () => {
    const chat = h.user(5003);
    for (let i = 0; i < 5; i++) await chat.say(`/start WRONG${i}XYZ`);
    const good = await h.invite(h.school.guardians.sidorovFather.id);
    await chat.say(`/start ${good}`);
    const replies = chat.replies();
    expect(replies).toHaveLength(6);
    expect(replies[5]).toMatch(/Слишком много неверных кодов/);
    expect(await h.testDb.db.chatLink.count({ where: { chatId: 5003n } })).toBe(0);
    // Another chat is not slowed by this one.
    const other = h.user(5004);
    await other.say(`/start ${good}`);
    expect(other.replies()[0]).toMatch(/Андрей Николаевич/);
  });

  it("links staff with a deep link code and shows the teacher's menu", async () => {
    const teacher = h.user(5005);
    const code = await h.invite(h.school.people.math.id);
    await teacher.say(`/start ${code}`);
    expect(teacher.replies()[0]).toMatch(/Анна Сергеевна.*\/today/s);
    const sent = h.tg.callsOf("sendMessage").at(-1)!;
    expect(JSON.stringify(sent.payload.reply_markup)).toContain("Сегодня");
  });

  it("unlinks by /stop and marks the link inactive when the user blocks the bot", async () => {
    const teacher = h.user(5005);
    await teacher.say("/stop");
    expect(teacher.replies().at(-1)).toMatch(/Чат отключён/);
    expect(await h.testDb.db.chatLink.findFirst({ where: { chatId: 5005n } })).toMatchObject({
      active: false,
    });
    await teacher.say("/today");
    expect(teacher.replies().at(-1)).toMatch(/не подключён/);

    const code = await h.invite(h.school.people.math.id);
    await teacher.say(`/start ${code}`);
    expect(await h.testDb.db.chatLink.findFirst({ where: { chatId: 5005n } })).toMatchObject({
      active: true,
    });

    await h.bot.handleUpdate(h.tg.myChatMember({ id: 5005, first_name: "T" }, 5005, "kicked"));
    expect(await h.testDb.db.chatLink.findFirst({ where: { chatId: 5005n } })).toMatchObject({
      active: false,
      inactiveWhy: "blocked",
    });
  });
});
