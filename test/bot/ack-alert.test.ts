import { randomBytes } from "node:crypto";
import type { Message } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cb } from "../../bot/callback-data.js";
import { type Relay, startRelay } from "../../src/events/relay.js";
import { type RunningWorker, startWorker } from "../../worker/index.js";
import { FAST, logger, until, workerConfig } from "../worker/harness.js";
import { type BotHarness, buttonsOf, type ChatUser, startBotHarness } from "./harness.js";

// The whole loop: the bot sends a class message, the pipeline alerts the guardian with the
// bot's «Ознакомлен» button, one tap acknowledges and the teacher's live count follows.
vi.setConfig({ testTimeout: 90_000 });

let h: BotHarness;
let relay: Relay;
let worker: RunningWorker;
let teacher: ChatUser;
let mother: ChatUser;

beforeAll(async () => {
  // A school-day noon that moves on at real speed: queues and pacing keep real durations.
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(new Date("2026-11-24T12:00:00+03:00"));
  h = await startBotHarness();
  const prefix = `t-ack-${randomBytes(4).toString("hex")}`;
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const db = h.testDb.db;
  relay = await startRelay({
    config: { DATABASE_URL: h.testDb.url, REDIS_URL: redisUrl },
    db,
    logger,
    prefix,
  });
  worker = await startWorker({
    config: workerConfig(h.tg, redisUrl),
    db,
    logger,
    options: { ...FAST, prefix, clock: () => new Date() },
  });
  teacher = await h.link(9201, h.school.people.russian.id);
  mother = await h.link(9202, h.school.guardians.ivanovaMother.id);
  await h.link(9203, h.school.guardians.petrovaMother.id);
});
afterAll(async () => {
  await relay?.stop();
  await worker?.stop();
  await h?.close();
  vi.useRealTimers();
});

const alertIn = (chatId: number, body: string) =>
  until(
    () => h.tg.sentMessages(chatId).find((m: Message) => m.text?.includes(body) && buttonsOf(m).length > 0),
    "the alert with its button",
  );

describe("«Ознакомлен» on the alert of a class message", () => {
  it("one tap on the alert acknowledges and updates the class teacher's count", async () => {
    await teacher.say("/class");
    await teacher.press("Всем родителям 5А");
    await teacher.say("В пятницу уроки сокращены до 35 минут.");
    const status = teacher.last();
    expect(status.text).toMatch(/Ознакомлены: 0 · ещё нет: 2 · не подключены: 1/);
    const message = await h.testDb.db.message.findFirstOrThrow({ where: { kind: "CLASS" } });

    const alert = await alertIn(mother.chatId, "В пятницу уроки сокращены");
    expect(alert.text).toMatch(/^Сообщение от Морозова П\. И\.:\nВ пятницу уроки сокращены до 35 минут\./);
    expect(buttonsOf(alert)).toEqual([{ text: "✅ Ознакомлен", data: cb("ack", message.id) }]);

    await mother.press("Ознакомлен", alert);
    expect(mother.alerts().at(-1)).toMatch(/ознакомлен/i);
    const row = await h.testDb.db.messageRecipient.findFirstOrThrow({
      where: { messageId: message.id, personId: h.school.guardians.ivanovaMother.id },
    });
    expect(row.acknowledgedAt).not.toBeNull();
    // The alert's button is gone (a reply stays possible); the teacher's count was edited in place.
    const after = mother.messages().find((m) => m.message_id === alert.message_id)!;
    expect(buttonsOf(after).map((b) => b.text)).toEqual(["↩️ Ответить"]);
    const updated = teacher.messages().find((m) => m.message_id === status.message_id)!;
    expect(updated.text).toMatch(/Ознакомлены: 1 · ещё нет: 1 · не подключены: 1/);
    const pending = await h.testDb.db.messageRecipient.count({
      where: { messageId: message.id, acknowledgedAt: null },
    });
    expect(pending).toBe(2);
  });
});
