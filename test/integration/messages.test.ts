import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { acknowledge, ackStatus, inbox, markRead, sendMessage, thread } from "../../src/journal/messages.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "Гимназия № 3");
});
afterAll(async () => {
  vi.useRealTimers();
  await t.drop();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T12:00:00+03:00"));
});

const recipientsOf = async (messageId: number) =>
  (await t.db.messageRecipient.findMany({ where: { messageId }, select: { personId: true } }))
    .map((r) => r.personId)
    .sort();
const sorted = (...ids: number[]) => [...ids].sort();

describe("class announcements", () => {
  it("the class teacher writes to every guardian of the class; the event and audit go with it", async () => {
    const m = await sendMessage(t.db, s.people.russian.actor, {
      kind: "CLASS",
      classId: s.classes.class5.id,
      body: "Родительское собрание в четверг в 18:00.",
      needsAck: true,
    });
    expect(await recipientsOf(m.id)).toEqual(
      sorted(s.guardians.ivanovaMother.id, s.guardians.petrovaMother.id, s.guardians.sidorovFather.id),
    );
    const event = await t.db.outbox.findFirstOrThrow({ where: { type: "message.sent" } });
    expect(event.payload).toEqual({ messageId: m.id });
    const row = await t.db.auditLog.findFirstOrThrow({
      where: { action: "message.send", entityId: String(m.id) },
    });
    expect(JSON.stringify(row.after)).not.toContain("собрание");
  });
  it.each([
    ["a subject teacher", () => s.people.math.actor, "forbidden"],
    ["a guardian", () => s.guardians.petrovaMother.actor, "forbidden"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ])("%s → %s", async (_n, actor, expected) => {
    const r = await sendMessage(t.db, actor(), {
      kind: "CLASS",
      classId: s.classes.class5.id,
      body: "Экскурсия",
    }).then(
      () => "ok",
      (e: { code: string }) => e.code,
    );
    expect(r).toBe(expected);
  });
});

describe("remarks and praise to one pupil's guardians (002 §10.5)", () => {
  it("a teacher of the pupil writes to that pupil's guardians only", async () => {
    const m = await sendMessage(t.db, s.people.math.actor, {
      kind: "PRAISE",
      pupilId: s.pupils.petrov.id,
      body: "Отличная контрольная!",
    });
    expect(await recipientsOf(m.id)).toEqual([s.guardians.petrovaMother.id]);
    expect(m).toMatchObject({ kind: "PRAISE", pupilId: s.pupils.petrov.id, classId: s.classes.class5.id });
  });
  it("refuses a teacher who does not teach the pupil, and a pupil without guardians", async () => {
    await expect(
      sendMessage(t.db, s.people.primary.actor, {
        kind: "REMARK",
        pupilId: s.pupils.petrov.id,
        body: "Опоздал",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      sendMessage(t.db, s.people.math.actor, {
        kind: "REMARK",
        pupilId: s.pupils.smirnov.id,
        body: "Опоздал",
      }),
    ).rejects.toMatchObject({ code: "validation", message: expect.stringContaining("привязать родителя") });
    await expect(
      sendMessage(t.db, s.people.math.actor, { kind: "REMARK", body: "Опоздал" }),
    ).rejects.toMatchObject({
      code: "validation",
    });
  });
});

describe("guardians write to their child's teachers; replies thread", () => {
  it("a guardian writes to a subject teacher of their child, who replies", async () => {
    const q = await sendMessage(t.db, s.guardians.petrovaMother.actor, {
      kind: "DIRECT",
      recipientIds: [s.people.math.id],
      body: "Можно пересдать контрольную?",
    });
    expect(q.pupilId).toBe(s.pupils.petrov.id);
    const a = await sendMessage(t.db, s.people.math.actor, {
      kind: "DIRECT",
      replyToId: q.id,
      body: "Да, в пятницу.",
    });
    expect(await recipientsOf(a.id)).toEqual([s.guardians.petrovaMother.id]);
    const conv = await thread(t.db, s.guardians.petrovaMother.actor, { messageId: a.id });
    expect(conv.map((m) => m.body)).toEqual(["Можно пересдать контрольную?", "Да, в пятницу."]);
    await expect(thread(t.db, s.guardians.sidorovFather.actor, { messageId: q.id })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      sendMessage(t.db, s.guardians.sidorovFather.actor, { kind: "DIRECT", replyToId: q.id, body: "И мне" }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
  it("refuses a teacher who does not teach the child, and school-only flags", async () => {
    await expect(
      sendMessage(t.db, s.guardians.petrovaMother.actor, {
        kind: "DIRECT",
        recipientIds: [s.people.primary.id],
        body: "Вопрос",
      }),
    ).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("классному руководителю"),
    });
    await expect(
      sendMessage(t.db, s.guardians.petrovaMother.actor, {
        kind: "DIRECT",
        recipientIds: [s.people.russian.id],
        body: "Вопрос",
        urgent: true,
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(
      sendMessage(t.db, s.guardians.petrovaMother.actor, {
        kind: "REMARK",
        pupilId: s.pupils.petrov.id,
        body: "Вопрос",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
  it("a guardian's reply to a class announcement goes to the class teacher only", async () => {
    const ann = await sendMessage(t.db, s.people.russian.actor, {
      kind: "CLASS",
      classId: s.classes.class5.id,
      body: "Сдаём на подарки",
    });
    const reply = await sendMessage(t.db, s.guardians.ivanovaMother.actor, {
      kind: "DIRECT",
      replyToId: ann.id,
      body: "Сдадим двоих",
    });
    expect(await recipientsOf(reply.id)).toEqual([s.people.russian.id]);
    const forOther = await thread(t.db, s.guardians.petrovaMother.actor, { messageId: ann.id });
    expect(forOther.map((m) => m.body)).toEqual(["Сдаём на подарки"]);
    const forTeacher = await thread(t.db, s.people.russian.actor, { messageId: reply.id });
    expect(forTeacher.map((m) => m.body)).toEqual(["Сдаём на подарки", "Сдадим двоих"]);
  });
});

describe("school announcements", () => {
  it("the director reaches staff and guardians; a teacher may not", async () => {
    const m = await sendMessage(t.db, s.people.director.actor, {
      kind: "SCHOOL",
      body: "Школа закрыта 1 декабря",
      urgent: true,
    });
    const ids = await recipientsOf(m.id);
    expect(ids).toContain(s.guardians.kozlovaMother.id);
    expect(ids).toContain(s.people.math.id);
    expect(ids).not.toContain(s.people.director.id);
    expect(ids).not.toContain(other.people.math.id);
    expect(ids).not.toContain(s.pupils.ivanov.id);
    await expect(
      sendMessage(t.db, s.people.russian.actor, { kind: "SCHOOL", body: "Всем" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("acknowledgement (002 §4.3.10)", () => {
  it("recipients acknowledge; the author sees who did, who has not, who is not in Telegram", async () => {
    const m = await sendMessage(t.db, s.people.russian.actor, {
      kind: "CLASS",
      classId: s.classes.class5.id,
      body: "Подпишите согласие на экскурсию",
      needsAck: true,
    });
    await t.db.chatLink.create({ data: { personId: s.guardians.petrovaMother.id, chatId: 777n } });
    await t.db.chatLink.create({
      data: { personId: s.guardians.sidorovFather.id, chatId: 778n, active: false, inactiveWhy: "blocked" },
    });
    await acknowledge(t.db, s.guardians.ivanovaMother.actor, { messageId: m.id });
    await acknowledge(t.db, s.guardians.ivanovaMother.actor, { messageId: m.id });
    expect(await t.db.outbox.count({ where: { type: "message.acknowledged" } })).toBe(1);

    const st = await ackStatus(t.db, s.people.russian.actor, { messageId: m.id });
    expect(st.acknowledged.map((p) => p.lastName)).toEqual(["Иванова"]);
    expect(st.acknowledged[0]?.children.map((c) => c.firstName).sort()).toEqual(["Иван", "Мария"]);
    expect(st.pending.map((p) => p.lastName)).toEqual(["Петрова"]);
    expect(st.notLinked.map((p) => p.lastName)).toEqual(["Сидоров"]);

    expect((await ackStatus(t.db, s.people.director.actor, { messageId: m.id })).acknowledged).toHaveLength(
      1,
    );
    await expect(ackStatus(t.db, s.people.math.actor, { messageId: m.id })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      acknowledge(t.db, s.guardians.kozlovaMother.actor, { messageId: m.id }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(ackStatus(t.db, other.people.admin.actor, { messageId: m.id })).rejects.toMatchObject({
      code: "not_found",
    });
  });
  it("a message that does not ask for it cannot be acknowledged", async () => {
    const m = await sendMessage(t.db, s.people.primary.actor, {
      kind: "CLASS",
      classId: s.classes.class1.id,
      body: "Завтра физкультура",
    });
    await expect(
      acknowledge(t.db, s.guardians.kozlovaMother.actor, { messageId: m.id }),
    ).rejects.toMatchObject({
      code: "validation",
    });
  });
});

describe("inbox", () => {
  it("lists the actor's messages newest first; markRead clears unread", async () => {
    vi.setSystemTime(new Date("2026-11-24T15:00:00+03:00"));
    await sendMessage(t.db, s.people.math.actor, {
      kind: "REMARK",
      pupilId: s.pupils.petrov.id,
      body: "Забыл тетрадь",
    });
    const box = await inbox(t.db, s.guardians.petrovaMother.actor, { limit: 50 });
    expect(box[0]?.body).toBe("Забыл тетрадь");
    expect(box[0]?.author.lastName).toBe("Кузнецова");
    const unread = await inbox(t.db, s.guardians.petrovaMother.actor, { unreadOnly: true });
    await markRead(t.db, s.guardians.petrovaMother.actor, { messageId: box[0]!.id });
    expect(await inbox(t.db, s.guardians.petrovaMother.actor, { unreadOnly: true })).toHaveLength(
      unread.length - 1,
    );
    expect(await inbox(t.db, other.guardians.petrovaMother.actor)).toEqual([]);
  });
});
