import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type BotHarness, buttonsOf, type ChatUser, startBotHarness } from "./harness.js";

const NOW = new Date("2026-11-24T12:00:00+03:00");

let h: BotHarness;
let teacher: ChatUser;
let mother: ChatUser;
let petrova: ChatUser;

beforeAll(async () => {
  h = await startBotHarness();
  teacher = await h.link(9001, h.school.people.russian.id);
  mother = await h.link(9002, h.school.guardians.ivanovaMother.id);
  petrova = await h.link(9003, h.school.guardians.petrovaMother.id);
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("class teacher message with acknowledgements", () => {
  it("sends to all guardians of the class and keeps a live count that updates on each press", async () => {
    await teacher.say("/class");
    await teacher.press("Всем родителям 5А");
    expect(teacher.replies().at(-1)).toMatch(/Напишите сообщение для родителей класса/);
    await teacher.say("Завтра родительское собрание в 18:00, каб. 204.");
    const status = teacher.last();
    expect(status.text).toMatch(/Сообщение отправлено/);
    expect(status.text).toMatch(/Ознакомлены: 0 · ещё нет: 2 · не подключены: 1/);
    const message = await h.testDb.db.message.findFirstOrThrow({ where: { kind: "CLASS" } });
    expect(message).toMatchObject({ needsAck: true, classId: h.school.classes.class5.id });
    expect(await h.testDb.db.outbox.count({ where: { type: "message.sent" } })).toBe(1);

    await mother.say("/inbox");
    const shown = mother.last();
    expect(shown.text).toMatch(/Морозов Павел Ильич:\nЗавтра родительское собрание/);
    await mother.press("Ознакомлен", shown);
    expect(mother.alerts().at(-1)).toMatch(/ознакомлен/);
    expect(buttonsOf(mother.last()).map((b) => b.text)).toEqual(["↩️ Ответить"]);
    // The teacher's count message was edited in place.
    const updated = teacher.messages().find((m) => m.message_id === status.message_id)!;
    expect(updated.text).toMatch(/Ознакомлены: 1 · ещё нет: 1 · не подключены: 1/);

    await petrova.say("/inbox");
    await petrova.press("Ознакомлен");
    const again = teacher.messages().find((m) => m.message_id === status.message_id)!;
    expect(again.text).toMatch(/Ознакомлены: 2 · ещё нет: 0 · не подключены: 1/);
    const acks = await h.testDb.db.messageRecipient.count({
      where: { messageId: message.id, acknowledgedAt: { not: null } },
    });
    expect(acks).toBe(2);
  });

  it("threads a guardian's reply to the class message", async () => {
    await mother.press("Ответить");
    await mother.say("Спасибо, будем.");
    expect(mother.replies().at(-1)).toMatch(/Сообщение отправлено/);
    const root = await h.testDb.db.message.findFirstOrThrow({ where: { kind: "CLASS" } });
    const reply = await h.testDb.db.message.findFirstOrThrow({ where: { replyToId: root.id } });
    expect(reply.authorId).toBe(h.school.guardians.ivanovaMother.id);
    await teacher.say("/inbox");
    expect(teacher.last().text).toMatch(/Иванова Елена Викторовна.*:\nСпасибо, будем\./s);
  });

  it("writes to one pupil's guardians only", async () => {
    await teacher.say("/class");
    await teacher.press("Родителям ученика");
    await teacher.press("Петров Пётр");
    await teacher.say("Пётр сегодня отлично отвечал.");
    expect(teacher.last().text).toMatch(/Ознакомлены: 0 · ещё нет: 1 · не подключены: 0/);
    const msg = await h.testDb.db.message.findFirstOrThrow({
      where: { pupilId: h.school.pupils.petrov.id },
      include: { recipients: true },
    });
    expect(msg.recipients.map((r) => r.personId)).toEqual([h.school.guardians.petrovaMother.id]);
  });

  it("sets absence reasons for the week", async () => {
    const s = h.school;
    const lesson = await s.lesson(s.assignments.math5, "2026-11-23", 1);
    const absence = await h.testDb.db.attendance.create({
      data: {
        lessonId: lesson.id,
        pupilId: s.pupils.smirnov.id,
        kind: "ABSENT",
        markedById: s.people.math.id,
      },
    });
    await teacher.say("/class");
    await teacher.press("Пропуски за неделю");
    expect(teacher.replies().some((r) => /Смирнов Алексей: причина не указана/.test(r))).toBe(true);
    await teacher.press("болезнь");
    const row = await h.testDb.db.attendance.findUniqueOrThrow({ where: { id: absence.id } });
    expect(row.reason).toBe("ILLNESS");
  });

  it("a teacher who leads no class is told so", async () => {
    const other = await h.link(9004, h.school.people.math.id);
    await other.say("/class");
    expect(other.replies().at(-1)).toMatch(/не классный руководитель/);
  });
});
