/**
 * Notification pipeline benchmark: outbox → relay → BullMQ → fan-out → Telegram (the project's
 * fake Bot API server with Telegram's limits enforced: 30 msg/s global, 1 msg/s per chat).
 *
 * A: an idle system, single events one after another: commit → fake-server receipt latency.
 *    The coalescing window is set to 0 for this run (worker option `coalesceMs: 0`): with the
 *    production default of 60 s every alert would deliberately wait a minute to merge with others.
 * B: one class message to 2,000 guardians: sustained send rate against TELEGRAM_GLOBAL_RATE.
 *
 * The bench school switches quiet hours off (start = end) so the figures do not depend on the
 * hour the bench runs at. Last line: one JSON object with the figures.
 */
import { randomBytes } from "node:crypto";
import { createDb } from "../src/db/client.js";
import { emit } from "../src/events/outbox.js";
import { startRelay } from "../src/events/relay.js";
import { createLogger } from "../src/logger.js";
import { createTestDb } from "../test/support/db.js";
import { startFakeTelegram } from "../test/support/fake-telegram.js";
import { buildSchool } from "../test/support/school.js";
import { startWorker } from "../worker/index.js";

const RATE = Number(process.env.TELEGRAM_GLOBAL_RATE ?? 25);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 2000);
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/zhurnal";

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const log = (s: string) => process.stderr.write(`${s}\n`);

async function main() {
  const t = await createTestDb();
  const tg = await startFakeTelegram({
    limits: { globalPerSecond: 30, perChatPerSecond: 1, groupPerMinute: 20 },
  });
  const prefix = `bench-notify-${randomBytes(3).toString("hex")}`;
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
  const s = await buildSchool(t.db);
  await t.db.school.update({
    where: { id: s.school.id },
    data: { quietHoursStart: "00:00", quietHoursEnd: "00:00" },
  });

  log(`creating ${SINGLE + BURST} guardians with linked chats…`);
  const ids: number[] = [];
  const batch = 500;
  for (let i = 0; i < SINGLE + BURST; i += batch) {
    const n = Math.min(batch, SINGLE + BURST - i);
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
  await t.db.chatLink.createMany({
    data: ids.map((personId, i) => ({ personId, chatId: BigInt(100_000 + i) })),
  });

  // The pipeline's own pool, sized like a worker process's rather than a test file's.
  const db = createDb(t.url, { max: 20 });
  const relay = await startRelay({
    config: { DATABASE_URL: t.url, REDIS_URL: redisUrl },
    db,
    logger,
    prefix,
  });
  const worker = await startWorker({
    config: {
      REDIS_URL: redisUrl,
      BOT_TOKEN: tg.token,
      BOT_API_ROOT: tg.apiRoot,
      SMTP_FROM: "bench@localhost",
      TELEGRAM_GLOBAL_RATE: RATE,
    },
    db,
    logger,
    options: { prefix, coalesceMs: 0, schedulers: false, telegramConcurrency: 32 },
  });

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
    await t.db.$transaction((tx) =>
      emit(tx, s.school.id, { type: "message.sent", payload: { messageId: msg.id } }),
    );
    return Date.now(); // committed
  };

  // --- A: single events on an idle system
  log(
    `A: ${SINGLE} single events, coalescing window off (worker option coalesceMs: 0; production default 60 s)…`,
  );
  const latencies: number[] = [];
  for (let i = 0; i < SINGLE; i++) {
    const chat = 100_000 + i;
    const committed = await message(`Событие ${i}.`, [ids[i]!]);
    const [call] = await tg.waitForCalls(
      (c) => c.method === "sendMessage" && c.status === 200 && Number(c.payload.chat_id) === chat,
      1,
      10_000,
    );
    latencies.push(call!.at - committed);
    await new Promise((r) => setTimeout(r, 50));
  }
  latencies.sort((a, b) => a - b);
  const p50 = pct(latencies, 50);
  const p99 = pct(latencies, 99);
  log(`A: p50 ${p50} ms, p99 ${p99} ms`);

  // --- B: one message to 2,000 guardians
  log(`B: one message to ${BURST} guardians at ${RATE} msg/s (about ${Math.round(BURST / RATE)} s)…`);
  const before429 = tg.stats.rate429;
  const burstIds = ids.slice(SINGLE);
  const burstChats = new Set(burstIds.map((_, i) => 100_000 + SINGLE + i));
  const startedAt = Date.now();
  await message("Родительское собрание в четверг в 18:00.", burstIds);
  const isBurst = (c: { method: string; status: number; payload: Record<string, unknown> }) =>
    c.method === "sendMessage" && c.status === 200 && burstChats.has(Number(c.payload.chat_id));
  let lastSeen = 0;
  let lastChange = Date.now();
  for (;;) {
    const n = tg.calls.filter(isBurst).length;
    if (n >= BURST) break;
    if (n !== lastSeen) {
      lastSeen = n;
      lastChange = Date.now();
      if (n % 250 < 25) log(`   ${n}/${BURST}`);
    }
    if (Date.now() - lastChange > 30_000) break; // stalled: report what arrived
    await new Promise((r) => setTimeout(r, 200));
  }
  const calls = tg.calls.filter(isBurst);
  const perChat = new Map<number, number>();
  for (const c of calls)
    perChat.set(Number(c.payload.chat_id), (perChat.get(Number(c.payload.chat_id)) ?? 0) + 1);
  const lost = [...burstChats].filter((c) => !perChat.has(c)).length;
  const duplicates = [...perChat.values()].reduce((a, n) => a + n - 1, 0);
  const first = calls[0]?.at ?? startedAt;
  const last = calls.at(-1)?.at ?? startedAt;
  const rate = calls.length > 1 ? (calls.length - 1) / ((last - first) / 1000) : 0;
  const burst429 = tg.stats.rate429 - before429;
  log(`B: 429 answers during the burst ${burst429}, over the whole run ${tg.stats.rate429}`);
  log(
    `B: ${calls.length} sent in ${((last - startedAt) / 1000).toFixed(1)} s from commit; ${rate.toFixed(2)} msg/s sustained`,
  );

  await relay.stop();
  await worker.stop();
  await db.$disconnect();
  await tg.stop();
  await t.drop();
  const result = {
    p50_ms: p50,
    p99_ms: p99,
    burst_msgs_per_s: Number(rate.toFixed(2)),
    limit_ratio: Number((rate / RATE).toFixed(3)),
    rate429: tg.stats.rate429,
    lost,
    duplicates,
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
