import { randomBytes } from "node:crypto";
import type { Db } from "../../src/db/client.js";
import { emit } from "../../src/events/outbox.js";
import { type Relay, startRelay } from "../../src/events/relay.js";
import type { DomainEvent } from "../../src/events/types.js";
import { createLogger } from "../../src/logger.js";
import { type RunningWorker, startWorker, type WorkerOptions } from "../../worker/index.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

/** One test file's pipeline: its own database, BullMQ prefix, fake Telegram, relay and worker. */
export interface Pipeline {
  t: TestDb;
  s: SchoolFixture;
  tg: FakeTelegram;
  prefix: string;
  redisUrl: string;
  relay: Relay;
  worker: RunningWorker;
  event(e: DomainEvent, schoolId?: number): Promise<bigint>;
  link(personId: number, chatId: number): Promise<void>;
  /** Stops the worker and starts a new one (optionally with other options or send rate). */
  restartWorker(options?: WorkerOptions, telegramRate?: number): Promise<void>;
  stop(): Promise<void>;
}

export const logger = createLogger(process.env.NOTIFY_LOG ?? "silent");
/** The worker's "business now": starts at a school-day morning and runs at real speed. */
let offset = 0;
export const clock = () => new Date(Date.now() + offset);
export function setTime(iso: string): void {
  offset = new Date(iso).getTime() - Date.now();
}
setTime("2026-11-24T10:00:00+03:00");

export const FAST: WorkerOptions = {
  // School hours in Moscow by default: outside quiet hours whatever the machine's time.
  clock,
  coalesceMs: 200,
  graceMs: 300,
  sweepMs: 300,
  backoffBaseMs: 50,
  backoffCapMs: 400,
  attempts: 10,
  lockMs: 2000,
  schedulers: false,
};

export function workerConfig(tg: FakeTelegram, redisUrl: string, smtpUrl?: string, telegramRate = 25) {
  return {
    REDIS_URL: redisUrl,
    BOT_TOKEN: tg.token,
    BOT_API_ROOT: tg.apiRoot,
    SMTP_URL: smtpUrl,
    SMTP_FROM: "Журнал <journal@school.test>",
    TELEGRAM_GLOBAL_RATE: telegramRate,
  };
}

export async function startPipeline(
  opts: {
    worker?: WorkerOptions;
    redisUrl?: string;
    smtpUrl?: string;
    db?: TestDb;
    /** false: the test runs the worker elsewhere (a child process). */
    inProcessWorker?: boolean;
    /** A fake Telegram the test built itself (e.g. to wrap the channel adapter around it). */
    tg?: FakeTelegram;
  } = {},
): Promise<Pipeline> {
  const t = opts.db ?? (await createTestDb());
  const s = await buildSchool(t.db);
  const tg = opts.tg ?? (await startFakeTelegram());
  const prefix = `t-notify-${randomBytes(4).toString("hex")}`;
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const config = { DATABASE_URL: t.url, REDIS_URL: redisUrl };
  const relay = await startRelay({ config, db: t.db, logger, prefix, pollMs: 200 });
  const workerOptions = { ...FAST, prefix, ...opts.worker };
  let worker: RunningWorker =
    opts.inProcessWorker === false
      ? { stop: async () => {}, sweep: async () => {}, runSchedule: async () => "", queues: {} }
      : await startWorker({
          config: workerConfig(tg, redisUrl, opts.smtpUrl),
          db: t.db,
          logger,
          options: workerOptions,
        });
  const p: Pipeline = {
    t,
    s,
    tg,
    prefix,
    redisUrl,
    relay,
    worker,
    event: (e, schoolId = s.school.id) => t.db.$transaction((tx) => emit(tx, schoolId, e)),
    async link(personId, chatId) {
      await t.db.chatLink.create({ data: { personId, chatId: BigInt(chatId) } });
    },
    async restartWorker(options, telegramRate) {
      await worker.stop();
      worker = await startWorker({
        config: workerConfig(tg, redisUrl, opts.smtpUrl, telegramRate),
        db: t.db,
        logger,
        options: { ...workerOptions, ...options },
      });
      p.worker = worker;
    },
    async stop() {
      await relay.stop();
      await p.worker.stop();
      await tg.stop();
      if (!opts.db) await t.drop();
    },
  };
  return p;
}

/** Polls until `check` returns a truthy value (or throws with the last value seen). */
type Falsy = false | null | undefined | 0 | "";
export async function until<T>(
  check: () => Promise<T | Falsy> | T | Falsy,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | Falsy;
  let error: unknown;
  for (;;) {
    // A check that throws is asked again: the fault tests drop the test's own pooled connections too.
    try {
      last = await check();
      error = undefined;
    } catch (err) {
      last = undefined;
      error = err;
    }
    if (last) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${error ? String(error) : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Texts the bot sent to a chat (accepted sends only). */
export const textsTo = (tg: FakeTelegram, chatId: number) =>
  tg
    .callsOf("sendMessage")
    .filter((c) => c.status === 200 && Number(c.payload.chat_id) === chatId)
    .map((c) => String(c.payload.text));

/** Every time something reached a chat: accepted sends and edits of a message already there. */
export const arrivals = (tg: FakeTelegram, chatId: number) =>
  tg.calls.filter(
    (c) =>
      (c.method === "sendMessage" || c.method === "editMessageText") &&
      c.status === 200 &&
      Number(c.payload.chat_id) === chatId,
  );

/** What the chat shows now: the bot's messages there, after every edit, oldest first. */
export const shownIn = (tg: FakeTelegram, chatId: number) => tg.sentMessages(chatId).map((m) => m.text ?? "");

export async function deliveriesOf(db: Db, outboxId: bigint) {
  return db.delivery.findMany({ where: { outboxId }, orderBy: { id: "asc" } });
}

/** `n` guardians with linked chats `firstChat`, `firstChat + 1`, … (no wards: messages only). */
export async function guardiansWithChats(p: Pipeline, n: number, firstChat: number) {
  const people: { id: number; chat: number }[] = [];
  for (let i = 0; i < n; i++) {
    const person = await p.t.db.person.create({
      data: {
        schoolId: p.s.school.id,
        lastName: "Родитель",
        firstName: `Номер${i}`,
        roles: { create: [{ role: "GUARDIAN" }] },
      },
    });
    await p.link(person.id, firstChat + i);
    people.push({ id: person.id, chat: firstChat + i });
  }
  return people;
}

/** One message event per person, each with its own body; returns the bodies by chat. */
export async function messageEach(p: Pipeline, people: { id: number; chat: number }[], tag: string) {
  const sent = new Map<number, string>();
  for (const [i, person] of people.entries()) {
    const body = `${tag}: объявление ${i}.`;
    const msg = await p.t.db.message.create({
      data: {
        schoolId: p.s.school.id,
        authorId: p.s.people.russian.id,
        kind: "DIRECT",
        body,
        recipients: { create: [{ personId: person.id }] },
      },
    });
    await p.event({ type: "message.sent", payload: { messageId: msg.id } });
    sent.set(person.chat, body);
  }
  return sent;
}

/** For every expected (chat, body): how many times Telegram accepted it. */
export function receipts(tg: FakeTelegram, expected: Map<number, string>) {
  let missing = 0;
  let duplicates = 0;
  for (const [chat, body] of expected) {
    const n = textsTo(tg, chat).filter((t) => t.endsWith(body)).length;
    if (n === 0) missing++;
    if (n > 1) duplicates += n - 1;
  }
  return { missing, duplicates };
}

export async function allSent(p: Pipeline, chats: number[], timeoutMs = 30_000) {
  return until(
    async () =>
      (await p.t.db.delivery.count({
        where: { address: { in: chats.map(String) }, status: "SENT" },
      })) >= chats.length,
    "every delivery sent",
    timeoutMs,
  );
}
