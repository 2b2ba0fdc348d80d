/**
 * `npm run bench:bot` — teacher flows through bot.handleUpdate against the fake Telegram server
 * (real HTTP for every outgoing call; the server runs in its own thread, as Telegram is another
 * machine in production) and real PostgreSQL: attendance taps and save, a marks
 * line and its confirm. Many teachers at once, each chat's updates in order, as Telegram
 * delivers them. Last line: {"updates_per_s":…, "p99_ms":…}.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { InlineKeyboardMarkup, Message, Update } from "grammy/types";
import { Redis } from "ioredis";
import { createBot } from "../bot/bot.js";
import { createDb } from "../src/db/client.js";
import { schoolToday } from "../src/journal/rules/calendar.js";
import { createLogger } from "../src/logger.js";
import { createTestDb } from "../test/support/db.js";
import { buildSchool } from "../test/support/school.js";
import { startFakeTelegramThread } from "./fake-telegram-thread.js";

const { values } = parseArgs({
  options: {
    teachers: { type: "string", default: "24" },
    rounds: { type: "string", default: "6" },
    redis: { type: "boolean", default: true },
    pool: { type: "string", default: "20" },
  },
});
const TEACHERS = Number(values.teachers);
const ROUNDS = Number(values.rounds);

const testDb = await createTestDb();
const tg = await startFakeTelegramThread();
const redis = values.redis ? new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379") : undefined;
try {
  // The pool the bot's process would have; the test helper's default of 5 is for test files.
  const db = createDb(testDb.url, { max: Number(values.pool) });
  const school = await buildSchool(db);
  const today = schoolToday(school.school.timeZone);
  // Each teacher has a lesson in 5А today, so every chat has a current lesson of its own.
  const chats: number[] = [];
  for (let i = 0; i < TEACHERS; i++) {
    const t = await db.person.create({
      data: {
        schoolId: school.school.id,
        lastName: `Учитель${i}`,
        firstName: "Бенч",
        roles: { create: [{ role: "TEACHER" }] },
      },
    });
    const a = await db.teachingAssignment.create({
      data: {
        yearId: school.year.id,
        teacherId: t.id,
        subjectId: school.subjects.math.id,
        classId: school.classes.class5.id,
      },
    });
    await db.lesson.create({
      data: {
        assignmentId: a.id,
        classId: a.classId,
        subjectId: a.subjectId,
        teacherId: t.id,
        date: new Date(`${today}T00:00:00Z`),
        lessonNumber: 1,
        startsAt: "08:30",
        endsAt: "09:15",
      },
    });
    const chatId = 100_000 + i;
    await db.chatLink.create({ data: { chatId: BigInt(chatId), personId: t.id } });
    chats.push(chatId);
  }

  const bot = createBot({
    token: tg.token,
    apiRoot: tg.apiRoot,
    db,
    redis,
    redisPrefix: `bench-${process.pid}-${Date.now()}:`,
    logger: createLogger("silent"),
    botInfo: tg.botInfo,
  });
  await bot.init();

  const latencies: number[] = [];
  const timed = async (injected: Promise<Update>) => {
    const update = await injected;
    const started = performance.now();
    await bot.handleUpdate(update);
    latencies.push(performance.now() - started);
  };
  const button = (m: Message, label: RegExp) => {
    const b = (m.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat().find((x) => label.test(x.text));
    if (!b || !("callback_data" in b)) throw new Error(`no button ${label} in ${JSON.stringify(m.text)}`);
    return b.callback_data;
  };

  const marksLines = [
    "Иванов 5, Петров 4, Сидорова 3",
    "Иванов 4, Петров 5, Смирнов 3",
    "Иванова 5, Смирнов 4",
  ];
  async function teacherDay(chatId: number) {
    const user = { id: chatId, first_name: "Учитель" };
    for (let round = 0; round < ROUNDS; round++) {
      await timed(tg.sendText(user, chatId, "/att"));
      const sheet = await tg.lastMessage(chatId);
      for (const name of [/Иванов И\./, /Петров П\./, /Петров П\./]) {
        await timed(tg.pressButton(user, sheet, button(await tg.lastMessage(chatId), name)));
      }
      await timed(tg.pressButton(user, sheet, button(await tg.lastMessage(chatId), /Сохранить/)));
      await timed(tg.sendText(user, chatId, marksLines[round % marksLines.length]!));
      const echo = await tg.lastMessage(chatId);
      await timed(tg.pressButton(user, echo, button(echo, /Подтвердить/)));
    }
  }

  // Warm-up: connections, i18n bundles, JIT.
  await teacherDay(chats[0]!);
  latencies.length = 0;
  const started = performance.now();
  const elu = performance.eventLoopUtilization();
  await Promise.all(chats.map((c) => teacherDay(c)));
  const seconds = (performance.now() - started) / 1000;
  // The bot's event loop busy time per update (the fake server's thread, PostgreSQL and Redis apart).
  const busy = performance.eventLoopUtilization(elu);
  const cpuMs = busy.active / latencies.length;
  const [load1] = (await import("node:os")).loadavg();

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const marks = await db.mark.count();
  const failed = await tg.failedCalls();
  console.log(
    `${latencies.length} updates from ${TEACHERS} teachers × ${ROUNDS} rounds in ${seconds.toFixed(2)} s; ` +
      `p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms; marks in the journal: ${marks}; ` +
      `failed Bot API calls: ${failed}; sessions: ${redis ? "Redis" : "memory"}; ` +
      `bot event loop ${cpuMs.toFixed(2)} ms/update (${Math.round(busy.utilization * 100)}% busy); machine load ${load1?.toFixed(1)} on ${(await import("node:os")).cpus().length} CPUs`,
  );
  console.log(
    JSON.stringify({
      updates_per_s: Math.round(latencies.length / seconds),
      p99_ms: Number(pct(99).toFixed(1)),
    }),
  );
  await db.$disconnect();
} finally {
  await tg.stop();
  await testDb.drop();
  redis?.disconnect();
}
