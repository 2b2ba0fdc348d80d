/**
 * Notification pipeline benchmark of the product's DEFAULT configuration: outbox → relay → BullMQ
 * → fan-out → Telegram (the project's fake Bot API with Telegram's limits enforced: 30 msg/s
 * global, 1 msg/s per chat). The worker gets no option but a key prefix and the schedulers off;
 * TELEGRAM_GLOBAL_RATE is config's default. The one change, as the issue asks: the school's
 * absence grace is set to 0, so absence alerts are measured like the others.
 *
 * A: single events on an idle system (a mark, an absence, a message in turn), commit →
 *    first arrival at the fake server: p50 / p99.
 * L: a lesson in a class of 25 (attendance saved, corrected, marks in two saves, homework), all
 *    within seconds: messages per guardian per lesson (edits of the message sent do not count).
 * B: one class announcement to 2,000 guardians: seconds from commit to the last arrival.
 *
 * The bench school switches quiet hours off (start = end) so the figures do not depend on the
 * hour the bench runs at. Last line: one JSON object with the figures.
 */
import { randomBytes } from "node:crypto";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { emit } from "../src/events/outbox.js";
import { startRelay } from "../src/events/relay.js";
import type { DomainEvent } from "../src/events/types.js";
import { createLogger } from "../src/logger.js";
import { createTestDb } from "../test/support/db.js";
import { startFakeTelegram } from "../test/support/fake-telegram.js";
import { buildSchool } from "../test/support/school.js";
import { startWorker } from "../worker/index.js";

const SINGLE = Number(process.env.BENCH_SINGLE ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 2000);
const CLASS_SIZE = 25;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/zhurnal";

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const log = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const t = await createTestDb();
  const tg = await startFakeTelegram({
    limits: { globalPerSecond: 30, perChatPerSecond: 1, groupPerMinute: 20 },
  });
  // The product's defaults, as a deployment gets them from an environment without overrides.
  const defaults = loadConfig({
    DATABASE_URL: t.url,
    REDIS_URL: redisUrl,
    JWT_SECRET: "bench-secret-bench-secret-bench-secret",
    BOT_TOKEN: tg.token,
    BOT_API_ROOT: tg.apiRoot,
  } as NodeJS.ProcessEnv);
  const prefix = `bench-notify-${randomBytes(3).toString("hex")}`;
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
  const s = await buildSchool(t.db);
  await t.db.school.update({
    where: { id: s.school.id },
    data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", absenceGraceMinutes: 0 },
  });

  const total = SINGLE + CLASS_SIZE + BURST;
  log(`creating ${total} guardians with linked chats…`);
  const ids: number[] = [];
  for (let i = 0; i < total; i += 500) {
    const n = Math.min(500, total - i);
    const rows = await t.db.person.createManyAndReturn({
      data: Array.from({ length: n }, (_, k) => ({
        schoolId: s.school.id,
        lastName: "Родитель",
        firstName: `N${i + k}`,
      })),
      select: { id: true },
    });
    ids.push(...rows.map((r) => r.id));
  }
  const chatOf = (i: number) => 100_000 + i;
  await t.db.chatLink.createMany({
    data: ids.map((personId, i) => ({ personId, chatId: BigInt(chatOf(i)) })),
  });

  // Pupils: one per single-event guardian and one per lesson guardian, all in 5А.
  const pupilCount = SINGLE + CLASS_SIZE;
  const pupils = await t.db.person.createManyAndReturn({
    data: Array.from({ length: pupilCount }, (_, k) => ({
      schoolId: s.school.id,
      lastName: "Ученик",
      firstName: `П${k}`,
    })),
    select: { id: true },
  });
  await t.db.enrolment.createMany({
    data: pupils.map((p) => ({ pupilId: p.id, classId: s.classes.class5.id, joinedOn: s.year.startDate })),
  });
  await t.db.guardianLink.createMany({
    data: pupils.map((p, i) => ({ guardianId: ids[i]!, pupilId: p.id })),
  });

  const db = createDb(t.url, { max: 20 });
  const relay = await startRelay({
    config: { DATABASE_URL: t.url, REDIS_URL: redisUrl },
    db,
    logger,
    prefix,
  });
  const worker = await startWorker({
    config: defaults,
    db,
    logger,
    options: { prefix, schedulers: false },
  });

  const commit = async (event: DomainEvent) => {
    await t.db.$transaction((tx) => emit(tx, s.school.id, event));
    return Date.now();
  };
  const message = async (body: string, recipients: number[]) => {
    const msg = await t.db.message.create({
      data: {
        schoolId: s.school.id,
        authorId: s.people.russian.id,
        kind: "CLASS",
        body,
        recipients: { createMany: { data: recipients.map((personId) => ({ personId })) } },
      },
    });
    return commit({ type: "message.sent", payload: { messageId: msg.id } });
  };
  const accepted = (c: { method: string; status: number }) =>
    (c.method === "sendMessage" || c.method === "editMessageText") && c.status === 200;

  // --- A: single events on an idle system, each kind in turn
  log(`A: ${SINGLE} single events (mark, absence, message), default configuration…`);
  const latencies: number[] = [];
  const lessonsA = [];
  for (const k of [1, 2, 3]) lessonsA.push(await s.lesson(s.assignments.math5, "2026-11-24", k));
  let n = 0;
  for (let i = 0; i < SINGLE; i++) {
    const chat = chatOf(i);
    const pupilId = pupils[i]!.id;
    const lesson = lessonsA[i % lessonsA.length]!;
    let committed: number;
    switch (i % 3) {
      case 0: {
        const mark = await t.db.mark.create({
          data: { lessonId: lesson.id, pupilId, value: "5", authorId: s.people.math.id },
        });
        committed = await commit({
          type: "mark.posted",
          payload: { lessonId: lesson.id, markIds: [mark.id] },
        });
        break;
      }
      case 1:
        await t.db.attendance.create({
          data: { lessonId: lesson.id, pupilId, kind: "ABSENT", markedById: s.people.math.id },
        });
        committed = await commit({
          type: "attendance.recorded",
          payload: { lessonId: lesson.id, pupilIds: [pupilId] },
        });
        break;
      default:
        committed = await message(`Событие ${i}.`, [ids[i]!]);
    }
    const [call] = await tg.waitForCalls(
      (c) => accepted(c) && Number(c.payload.chat_id) === chat && c.at >= committed,
      1,
      30_000,
    );
    latencies.push(call!.at - committed);
    n++;
    // Past the merge window of this guardian's chat is not needed: every guardian is timed once.
    await sleep(50);
  }
  latencies.sort((a, b) => a - b);
  const p50 = pct(latencies, 50);
  const p99 = pct(latencies, 99);
  log(`A: ${n} events, p50 ${p50} ms, p99 ${p99} ms`);
  const beforeL = new Map<number, number>();
  for (let i = SINGLE; i < SINGLE + CLASS_SIZE; i++)
    beforeL.set(
      chatOf(i),
      tg.callsOf("sendMessage").filter((c) => c.status === 200 && Number(c.payload.chat_id) === chatOf(i))
        .length,
    );

  // --- L: a lesson's alerts within seconds
  log(`L: a lesson in a class of ${CLASS_SIZE}: attendance, a correction, marks in two saves, homework…`);
  const lessonPupils = pupils.slice(SINGLE, SINGLE + CLASS_SIZE).map((p) => p.id);
  const lesson = await s.lesson(s.assignments.russian5, "2026-11-25", 3);
  const absent = lessonPupils.filter((_, k) => k % 5 === 0);
  await t.db.attendance.createMany({
    data: absent.map((pupilId) => ({
      lessonId: lesson.id,
      pupilId,
      kind: "ABSENT" as const,
      markedById: s.people.russian.id,
    })),
  });
  await commit({ type: "attendance.recorded", payload: { lessonId: lesson.id, pupilIds: absent } });
  await sleep(1500);
  // One of them came late after all.
  await t.db.attendance.update({
    where: { lessonId_pupilId: { lessonId: lesson.id, pupilId: absent[0]! } },
    data: { kind: "LATE" },
  });
  await commit({ type: "attendance.recorded", payload: { lessonId: lesson.id, pupilIds: [absent[0]!] } });
  for (const half of [lessonPupils.slice(0, 12), lessonPupils.slice(12)]) {
    await sleep(2000);
    const marks = await t.db.mark.createManyAndReturn({
      data: half.map((pupilId, k) => ({
        lessonId: lesson.id,
        pupilId,
        value: String(3 + (k % 3)),
        authorId: s.people.russian.id,
      })),
      select: { id: true },
    });
    await commit({ type: "mark.posted", payload: { lessonId: lesson.id, markIds: marks.map((m) => m.id) } });
  }
  await sleep(2000);
  await t.db.lesson.update({ where: { id: lesson.id }, data: { homework: "Упр. 112, выучить правило." } });
  await commit({ type: "homework.set", payload: { lessonId: lesson.id } });
  await sleep(8000);
  const perGuardian = [...beforeL].map(
    ([chat, before]) =>
      tg.callsOf("sendMessage").filter((c) => c.status === 200 && Number(c.payload.chat_id) === chat).length -
      before,
  );
  const msgsPerLesson = perGuardian.reduce((a, b) => a + b, 0) / perGuardian.length;
  const maxPerLesson = Math.max(...perGuardian);
  log(`L: messages per guardian ${msgsPerLesson.toFixed(2)} on average, at most ${maxPerLesson}`);

  // --- B: one announcement to 2,000 guardians
  log(
    `B: one class announcement to ${BURST} guardians at TELEGRAM_GLOBAL_RATE=${defaults.TELEGRAM_GLOBAL_RATE}…`,
  );
  const before429 = tg.stats.rate429;
  const burstIds = ids.slice(SINGLE + CLASS_SIZE);
  const burstChats = new Set(burstIds.map((_, i) => chatOf(SINGLE + CLASS_SIZE + i)));
  const startedAt = await message("Родительское собрание в четверг в 18:00.", burstIds);
  const isBurst = (c: { method: string; status: number; payload: Record<string, unknown> }) =>
    c.method === "sendMessage" && c.status === 200 && burstChats.has(Number(c.payload.chat_id));
  let lastSeen = 0;
  let lastChange = Date.now();
  for (;;) {
    const got = tg.calls.filter(isBurst).length;
    if (got >= BURST) break;
    if (got !== lastSeen) {
      if (Math.floor(got / 250) !== Math.floor(lastSeen / 250)) log(`   ${got}/${BURST}`);
      lastSeen = got;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > 30_000) break; // stalled: report what arrived
    await sleep(200);
  }
  const calls = tg.calls.filter(isBurst);
  const perChat = new Map<number, number>();
  for (const c of calls)
    perChat.set(Number(c.payload.chat_id), (perChat.get(Number(c.payload.chat_id)) ?? 0) + 1);
  const lost = [...burstChats].filter((c) => !perChat.has(c)).length;
  const duplicates = [...perChat.values()].reduce((a, k) => a + k - 1, 0);
  const last = calls.at(-1)?.at ?? startedAt;
  const broadcastS = (last - startedAt) / 1000;
  log(
    `B: ${calls.length} sent in ${broadcastS.toFixed(1)} s from commit; 429 during it ${tg.stats.rate429 - before429}`,
  );

  await relay.stop();
  await worker.stop();
  await db.$disconnect();
  await tg.stop();
  await t.drop();
  console.log(
    JSON.stringify({
      p50_ms: p50,
      p99_ms: p99,
      msgs_per_guardian_per_lesson: Number(msgsPerLesson.toFixed(2)),
      broadcast_2000_s: Number(broadcastS.toFixed(1)),
      rate429: tg.stats.rate429,
      lost,
      duplicates,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
