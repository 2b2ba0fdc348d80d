/**
 * `npm run demo` — a short school day in the Telegram bot, played against a fake Telegram server
 * on the demo school: a teacher links by code, marks attendance, posts marks, a topic and
 * homework, writes to the class's parents; a parent links, reads the diary, reports an absence
 * and acknowledges the message. Alerts go through the real pipeline (outbox → relay → BullMQ →
 * worker → Telegram). The conversation is printed as a transcript.
 *
 * The day is today from 09:00 school time; on a day without lessons (weekend, holiday) the nearest
 * school day before it (`DEMO_TODAY=YYYY-MM-DD` pretends today is another date).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { InlineKeyboardMarkup } from "grammy/types";
import { parseCallback } from "../bot/callback-data.js";
import { startBot } from "../bot/start.js";
import { DEMO_CODES, DEMO_TIME_ZONE, seedDemo } from "../prisma/seed/demo.js";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { ensureDatabase, migrate } from "../src/db/migrate.js";
import { startRelay } from "../src/events/relay.js";
import { actorForChat, hashInviteCode } from "../src/journal/invites.js";
import { lessonSheet } from "../src/journal/lessons.js";
import { schoolToday } from "../src/journal/rules/calendar.js";
import { createLogger } from "../src/logger.js";
import { type RecordedCall, startFakeTelegram } from "../test/support/fake-telegram.js";
import { telegramChannel } from "../worker/channels/telegram.js";
import { startWorker } from "../worker/index.js";
import { demoDay, morningOf, moveClock } from "./demo-clock.js";

const TEACHER_CHAT = 1001;
const PARENT_CHAT = 2002;
const teacherUser = { id: TEACHER_CHAT, first_name: "Учитель", language_code: "ru" };
const parentUser = { id: PARENT_CHAT, first_name: "Родитель", language_code: "ru" };

// A fresh clone has no .env yet: the documented local defaults serve.
const config = loadConfig(process.env, existsSync(".env") ? ".env" : ".env.example");
if (config.production) {
  console.error("NODE_ENV=production: демо не запускается на рабочем сервере (публичные логины и пароль).");
  process.exit(1);
}
// The demo plays in its own database, so a developer's data is never touched.
const demoUrl = (() => {
  const u = new URL(config.DATABASE_URL);
  u.pathname = `${u.pathname.replace(/\/$/, "")}_demo`;
  return u.toString();
})();
const logger = createLogger(process.env.DEMO_LOG_LEVEL ?? "silent", "demo");

console.log("Подготовка: база демо-школы, фальшивый сервер Telegram, бот, конвейер уведомлений…");
const realToday = process.env.DEMO_TODAY ?? schoolToday(DEMO_TIME_ZONE);
const day = demoDay(realToday);
if (day !== realToday)
  console.log(`Сегодня (${realToday}) уроков нет: играем ближайший учебный день ${day}.`);
// Everything from here on (seed, bot, services, the worker's business clock) lives on that day.
const clock = moveClock(morningOf(day, DEMO_TIME_ZONE));
await ensureDatabase(demoUrl);
await migrate(demoUrl);
const seeded = await seedDemo(demoUrl, { reset: true, now: clock() });
if (seeded.status !== "seeded") throw new Error("демо-школа не создана");
const db = createDb(demoUrl, { max: 5 });
const tg = await startFakeTelegram({ username: "zhurnal_demo_bot" });
const prefix = `demo-${randomBytes(3).toString("hex")}`;
// The pipeline's own sends are remembered so the transcript can tell alerts from bot replies.
const alertIds = new Set<number>();
const telegram = telegramChannel({
  token: tg.token,
  apiRoot: tg.apiRoot,
  globalRate: config.TELEGRAM_GLOBAL_RATE,
});
const worker = await startWorker({
  config: { ...config, BOT_TOKEN: tg.token, BOT_API_ROOT: tg.apiRoot },
  db,
  logger,
  options: {
    prefix,
    adapters: [
      {
        ...telegram,
        async send(address, message) {
          const id = await telegram.send(address, message);
          alertIds.add(Number(id));
          return id;
        },
      },
    ],
    // Short windows so the day's alerts arrive within seconds: marks of a lesson still merge
    // into one message, an absence still waits for a correction.
    coalesceMs: 2000,
    graceMs: 4000,
    schedulers: false,
    clock,
    sweepMs: 1000,
  },
});
const relay = await startRelay({
  config: { ...config, DATABASE_URL: demoUrl },
  db,
  logger,
  prefix,
  pollMs: 200,
});
const bot = await startBot(
  { ...config, BOT_TOKEN: tg.token, BOT_API_ROOT: tg.apiRoot, BOT_WEBHOOK_URL: undefined },
  { db, logger },
);

// ---------------------------------------------------------------------------------------------
// Transcript

let printed = 0;
let teacherActions = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const who = (chat: number) => (chat === TEACHER_CHAT ? "учителю" : "родителю");

function buttons(markup: unknown): string {
  const rows = (markup as InlineKeyboardMarkup | undefined)?.inline_keyboard?.filter((r) => r.length > 0);
  if (!rows?.length) return "";
  return `\n      ${rows.map((r) => r.map((b) => `[${b.text}]`).join(" ")).join("\n      ")}`;
}

const isAlert = (call: RecordedCall) =>
  call.response.ok && alertIds.has((call.response.result as { message_id: number }).message_id);

function show(call: RecordedCall): string | null {
  if (call.status !== 200) return null;
  const p = call.payload;
  const indent = (t: unknown) => String(t).replace(/\n/g, "\n      ");
  if (call.method === "sendMessage") {
    const label = isAlert(call)
      ? `🔔 Уведомление ${who(Number(p.chat_id))}`
      : `🤖 Бот → ${who(Number(p.chat_id))}`;
    return `  ${label}: ${indent(p.text)}${buttons(p.reply_markup)}`;
  }
  if (call.method === "editMessageText")
    return `  🤖 Бот (правит сообщение ${who(Number(p.chat_id))}): ${indent(p.text)}${buttons(p.reply_markup)}`;
  if (call.method === "editMessageReplyMarkup")
    return `  🤖 Бот (кнопки):${buttons(p.reply_markup) || " убраны"}`;
  if (call.method === "answerCallbackQuery" && p.text) return `  🤖 Бот (всплывающее): ${p.text}`;
  return null;
}

/** Waits until the bot has taken every update and the fake has been quiet for a moment. */
async function settle(quietMs = 300) {
  let seen = -1;
  for (let i = 0; i < 100; i++) {
    if (tg.pendingUpdates().length === 0 && tg.calls.length === seen) return;
    seen = tg.calls.length;
    await sleep(quietMs);
  }
}

function flush() {
  for (const call of tg.calls.slice(printed)) {
    const line = show(call);
    if (line) console.log(line);
  }
  printed = tg.calls.length;
}

const lastBotMessage = (chat: number) =>
  tg
    .sentMessages(chat)
    .sort((a, b) => a.message_id - b.message_id)
    .at(-1)!;

async function say(chat: number, text: string) {
  console.log(`\n${chat === TEACHER_CHAT ? "👩‍🏫 Учитель" : "👪 Родитель"}: ${text}`);
  if (chat === TEACHER_CHAT) teacherActions++;
  tg.sendText(chat === TEACHER_CHAT ? teacherUser : parentUser, chat, text);
  await settle();
  flush();
}

async function press(chat: number, label: string | RegExp) {
  const match = (t: string) => (typeof label === "string" ? t.includes(label) : label.test(t));
  const messages = tg.sentMessages(chat).sort((a, b) => b.message_id - a.message_id);
  for (const m of messages) {
    const button = (m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard
      .flat()
      .find((b) => match(b.text) && "callback_data" in b);
    if (button && "callback_data" in button) {
      console.log(`\n${chat === TEACHER_CHAT ? "👩‍🏫 Учитель" : "👪 Родитель"} нажимает [${button.text}]`);
      if (chat === TEACHER_CHAT) teacherActions++;
      tg.pressButton(chat === TEACHER_CHAT ? teacherUser : parentUser, m, button.callback_data);
      await settle();
      flush();
      return;
    }
  }
  throw new Error(`нет кнопки ${String(label)}`);
}

/** Waits (up to 20 s) for the pipeline's alert to a chat whose text matches, printing what came. */
async function awaitAlert(chat: number, text: RegExp, required: boolean) {
  const came = () =>
    tg.calls.some(
      (c) =>
        c.method === "sendMessage" &&
        Number(c.payload.chat_id) === chat &&
        isAlert(c) &&
        text.test(String(c.payload.text)),
    );
  for (let i = 0; i < 200 && !came(); i++) await sleep(100);
  flush();
  if (!came()) {
    if (required) throw new Error(`уведомление ${who(chat)} не пришло: ${text}`);
    console.log(`  (уведомлений ${who(chat)} нет)`);
  }
}

// ---------------------------------------------------------------------------------------------
// The day

try {
  console.log(`\n=== Школьный день: ${seeded.today}, демо-школа, учеников: ${seeded.pupils} ===`);
  await say(TEACHER_CHAT, `/start ${DEMO_CODES.teacher}`);
  await say(PARENT_CHAT, `/start ${DEMO_CODES.guardian}`);
  await say(TEACHER_CHAT, "/today");
  await say(TEACHER_CHAT, "/att");

  // At this hour the current lesson may be another class: the 5А lesson is two taps away.
  if (!/5А/.test(lastBotMessage(TEACHER_CHAT).text ?? "")) {
    await press(TEACHER_CHAT, "Другой урок");
    await press(TEACHER_CHAT, "5А");
  }
  // The class list of that lesson, to tap two pupils and write marks for three.
  const teacher = (await actorForChat(db, TEACHER_CHAT))!;
  const firstButton = (lastBotMessage(TEACHER_CHAT).reply_markup as InlineKeyboardMarkup)
    .inline_keyboard[0]![0]!;
  const lessonId = parseCallback("callback_data" in firstButton ? firstButton.callback_data : "")!.args[0]!;
  const sheet = await lessonSheet(db, teacher.actor, { lessonId });
  const invite = await db.inviteCode.findUniqueOrThrow({
    where: { codeHash: hashInviteCode(DEMO_CODES.guardian) },
  });
  const children = await db.guardianLink.findMany({
    where: { guardianId: invite.personId },
    select: { pupilId: true },
  });
  const ours = sheet.pupils.find((p) => children.some((c) => c.pupilId === p.pupilId));
  const others = sheet.pupils.filter((p) => p !== ours);
  const absent = others[0]!;
  const late = others[1]!;
  await press(TEACHER_CHAT, `${absent.lastName} ${absent.firstName[0]}.`);
  await press(TEACHER_CHAT, `${late.lastName} ${late.firstName[0]}.`);
  await press(TEACHER_CHAT, `${late.lastName} ${late.firstName[0]}.`);
  await press(TEACHER_CHAT, "Сохранить");

  const marked = [ours ?? others[2]!, others[2]!, others[3]!].filter((p, i, a) => a.indexOf(p) === i);
  const line = marked.map((p, i) => `${p.lastName} ${["5", "4", "3"][i]}`).join(", ");
  await say(TEACHER_CHAT, line);
  await press(TEACHER_CHAT, "Подтвердить");
  await say(TEACHER_CHAT, "/topic Сложение и вычитание дробей");
  if (sheet.homeworkAllowed) await say(TEACHER_CHAT, "/hw §12, № 3, 5, 7");

  // Alerts of the lesson reach the parent through the pipeline (marks and homework of the lesson
  // merged into one message by the coalescing window).
  console.log("\n— уведомления родителю идут через конвейер (outbox → BullMQ → Telegram) —");
  await awaitAlert(PARENT_CHAT, /./, false);
  await settle(1000);
  flush();
  await say(PARENT_CHAT, "/diary");
  if (ours) await press(PARENT_CHAT, new RegExp(ours.firstName));
  await say(PARENT_CHAT, "🚫 Ребёнок не придёт");
  await press(PARENT_CHAT, /./);
  await press(PARENT_CHAT, "Завтра");
  await press(PARENT_CHAT, "болезнь");

  await say(TEACHER_CHAT, "/class");
  await press(TEACHER_CHAT, "Всем родителям");
  await say(TEACHER_CHAT, "Уважаемые родители! В четверг в 18:00 родительское собрание, каб. 204.");
  // The alert of the class message carries «Ознакомлен»: one tap, and the teacher's count moves.
  await awaitAlert(PARENT_CHAT, /Сообщение от/, true);
  await press(PARENT_CHAT, "Ознакомлен");

  // Alerts of the day still on their way through the pipeline.
  console.log("\n— ждём уведомления родителям от конвейера —");
  for (let i = 0; i < 40; i++) {
    await sleep(250);
    const fresh = tg.calls.slice(printed).some((c) => c.method === "sendMessage");
    if (fresh) flush();
    if (i > 12 && !fresh) break;
  }
  flush();

  const toGuardians = tg.calls.filter(
    (c) => c.method === "sendMessage" && c.status === 200 && Number(c.payload.chat_id) === PARENT_CHAT,
  ).length;
  console.log(`\ndemo ok: ${teacherActions} teacher actions, ${toGuardians} messages to guardians`);
} finally {
  await bot.stop();
  await relay.stop();
  await worker.stop();
  await tg.stop();
  await db.$disconnect();
}
process.exit(0);
