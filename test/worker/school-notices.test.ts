import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cb, parseCallback } from "../../bot/callback-data.js";
import { eventJobId } from "../../src/events/queue-names.js";
import { deliveriesOf, type Pipeline, setTime, startPipeline, textsTo, until } from "./harness.js";

// Class messages with "Ознакомлен", timetable changes and substitutions reaching guardians.
vi.setConfig({ testTimeout: 90_000 });

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline();
  const g = p.s.guardians;
  await p.link(g.ivanovaMother.id, 7101);
  await p.link(g.petrovaMother.id, 7102);
  await p.link(g.kozlovaMother.id, 7104);
});
afterAll(() => p?.stop());
beforeEach(() => setTime("2026-11-24T10:00:00+03:00"));

const settled = (outboxId: bigint, n: number) =>
  until(async () => {
    const rows = await deliveriesOf(p.t.db, outboxId);
    return rows.length >= n && rows.every((r) => !["PENDING", "HELD", "SENDING"].includes(r.status)) && rows;
  }, "deliveries settled");

/** The accepted sends to a chat, with their buttons. */
const sendsTo = (chatId: number) =>
  p.tg
    .callsOf("sendMessage")
    .filter((c) => c.status === 200 && Number(c.payload.chat_id) === chatId)
    .map((c) => ({
      text: String(c.payload.text),
      buttons: ((c.payload.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
        .flat()
        .map((b) => ({ text: b.text, data: "callback_data" in b ? b.callback_data : "" })),
    }));

async function classMessage(body: string, needsAck: boolean, acknowledged: number[] = []) {
  const { s } = p;
  const guardians = [s.guardians.ivanovaMother.id, s.guardians.petrovaMother.id];
  const msg = await p.t.db.message.create({
    data: {
      schoolId: s.school.id,
      authorId: s.people.russian.id,
      kind: "CLASS",
      classId: s.classes.class5.id,
      body,
      needsAck,
      recipients: {
        create: guardians.map((personId) => ({
          personId,
          acknowledgedAt: acknowledged.includes(personId) ? new Date() : null,
        })),
      },
    },
  });
  const id = await p.event({ type: "message.sent", payload: { messageId: msg.id } });
  return { msg, id };
}

describe("a class message waiting for acknowledgement", () => {
  it("carries the bot's «Ознакомлен» button for each guardian who has not acknowledged", async () => {
    const { msg, id } = await classMessage("Собрание в четверг в 18:00.", true, [
      p.s.guardians.petrovaMother.id,
    ]);
    await settled(id, 2);
    const mother = sendsTo(7101).find((m) => m.text.includes("Собрание в четверг"))!;
    expect(mother.text).toMatch(/Сообщение от Морозова П\. И\.:\nСобрание в четверг в 18:00\./);
    expect(mother.buttons).toEqual([{ text: "✅ Ознакомлен", data: cb("ack", msg.id) }]);
    expect(parseCallback(mother.buttons[0]!.data)).toEqual({ kind: "ack", args: [msg.id] });
    // Already acknowledged (e.g. from the inbox before the alert went out): nothing to press.
    const petrova = sendsTo(7102).find((m) => m.text.includes("Собрание в четверг"))!;
    expect(petrova.buttons).toEqual([]);
    expect(petrova.text).not.toMatch(/подтвердите/);
  });

  it("a message that needs no acknowledgement has no button", async () => {
    const { id } = await classMessage("Фотографии с экскурсии у классного руководителя.", false);
    await settled(id, 2);
    const mother = sendsTo(7101).find((m) => m.text.includes("Фотографии"))!;
    expect(mother.buttons).toEqual([]);
  });
});

describe("timetable changes reach the guardians of the class", () => {
  it("tells the class's guardians what the changed slot looks like now, and nobody else", async () => {
    const slot = p.s.slots.find((x) => x.assignmentId === p.s.assignments.math5.id && x.weekday === 3)!;
    await p.t.db.timetableSlot.update({
      where: { id: slot.id },
      data: { startsAt: "09:00", endsAt: "09:45", room: "12" },
    });
    const id = await p.event({
      type: "timetable.changed",
      payload: { classId: p.s.classes.class5.id, from: "2026-11-25", slotIds: [slot.id] },
    });
    const rows = await settled(id, 2);
    expect(rows.map((r) => r.recipientId).sort()).toEqual(
      [p.s.guardians.ivanovaMother.id, p.s.guardians.petrovaMother.id].sort(),
    );
    const expected =
      "Изменение расписания 5А с 25.11: математика — ср, 1-й урок 09:00–09:45, каб. 12. " +
      "Расписание на неделю — /timetable в боте.";
    expect(textsTo(p.tg, 7101)).toContain(expected);
    expect(textsTo(p.tg, 7102)).toContain(expected);
    expect(textsTo(p.tg, 7104).filter((t) => t.includes("расписания"))).toEqual([]);
  });

  it("an ended slot is told as cancelled for those days", async () => {
    const slot = p.s.slots.find((x) => x.assignmentId === p.s.assignments.russian5.id && x.weekday === 4)!;
    await p.t.db.timetableSlot.update({ where: { id: slot.id }, data: { validTo: new Date("2026-11-25") } });
    const id = await p.event({
      type: "timetable.changed",
      payload: { classId: p.s.classes.class5.id, from: "2026-11-26", slotIds: [slot.id] },
    });
    await settled(id, 2);
    expect(textsTo(p.tg, 7102)).toContain(
      "Изменение расписания 5А с 26.11: русский язык — чт, 2-й урок отменён. Расписание на неделю — /timetable в боте.",
    );
  });
});

describe("substitutions reach the guardians of the class", () => {
  it("tells who takes the lesson, and later that the substitution was cancelled", async () => {
    const { s } = p;
    const lesson = await s.lesson(s.assignments.math5, "2026-11-26", 1);
    await p.t.db.lesson.update({ where: { id: lesson.id }, data: { substituteId: s.people.substitute.id } });
    const on = await p.event({
      type: "lesson.substituted",
      payload: { lessonId: lesson.id, substituteId: s.people.substitute.id },
    });
    await settled(on, 2);
    const sub = await p.t.db.person.findUniqueOrThrow({ where: { id: s.people.substitute.id } });
    const initials = `${sub.lastName} ${sub.firstName[0]}.${sub.middleName ? ` ${sub.middleName[0]}.` : ""}`;
    expect(textsTo(p.tg, 7101)).toContain(`Замена: 26.11, 1-й урок «Математика» (5А) проведёт ${initials}.`);
    expect(textsTo(p.tg, 7104).filter((t) => t.startsWith("Замена"))).toEqual([]);

    await p.t.db.lesson.update({ where: { id: lesson.id }, data: { substituteId: null } });
    const off = await p.event({
      type: "lesson.substituted",
      payload: { lessonId: lesson.id, substituteId: null },
    });
    await settled(off, 2);
    expect(textsTo(p.tg, 7102).filter((t) => t.startsWith("Замена отменена: 26.11, 1-й урок"))).toHaveLength(
      1,
    );
  });

  it("a substitution recorded for a past lesson alerts nobody", async () => {
    const { s } = p;
    const lesson = await s.lesson(s.assignments.math5, "2026-11-20", 1);
    await p.t.db.lesson.update({ where: { id: lesson.id }, data: { substituteId: s.people.substitute.id } });
    const id = await p.event({
      type: "lesson.substituted",
      payload: { lessonId: lesson.id, substituteId: s.people.substitute.id },
    });
    // Fan-out has run once the event's job is completed.
    await until(
      async () => (await p.worker.queues.events!.getJobState(eventJobId(id))) === "completed",
      "fan-out done",
    );
    expect(await deliveriesOf(p.t.db, id)).toEqual([]);
  });
});
