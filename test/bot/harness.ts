import { randomBytes } from "node:crypto";
import type { Bot } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import { createBot } from "../../bot/bot.js";
import type { BotContext } from "../../bot/context.js";
import { hashInviteCode } from "../../src/journal/invites.js";
import { createLogger } from "../../src/logger.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { type FakeTelegram, type FakeUser, startFakeTelegram } from "../support/fake-telegram.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

/**
 * A real grammY bot against the fake Telegram server (every outgoing call is real HTTP) and a
 * fresh PostgreSQL database with the fixture school. Updates go in through bot.handleUpdate so a
 * test awaits each one; replies are read back from what the fake recorded.
 */
export interface BotHarness {
  tg: FakeTelegram;
  testDb: TestDb;
  school: SchoolFixture;
  bot: Bot<BotContext>;
  /** A chat as one user sees it; in a group (negative id) `fromId` is the member who writes. */
  user(chatId: number, name?: string, fromId?: number): ChatUser;
  /** Inserts a valid invite code for a person (as the invites service stores it: a hash). */
  invite(personId: number, opts?: { expiresInMs?: number; used?: boolean }): Promise<string>;
  /** Links a chat to a person straight away (a chat link row, as redeemInvite leaves it). */
  link(chatId: number, personId: number): Promise<ChatUser>;
  close(): Promise<void>;
}

export interface ChatUser {
  chatId: number;
  say(text: string): Promise<void>;
  /** Presses the button whose label matches (regexp or substring) on the latest bot message that has it. */
  press(label: string | RegExp, message?: Message): Promise<void>;
  pressData(data: string, message: Message): Promise<void>;
  /** Like press, but the press is handled too late to be answered ("query is too old"). */
  pressLate(label: string | RegExp, message?: Message): Promise<void>;
  /** Texts the bot sent or edited into this chat since the last call (newest last). */
  replies(): string[];
  /** The last bot message in this chat (current state after edits). */
  last(): Message;
  /** Messages of this chat with their current text and buttons. */
  messages(): Message[];
  alerts(): string[];
}

export const buttonsOf = (m: Message | undefined) =>
  ((m?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => ({ text: b.text, data: "callback_data" in b ? b.callback_data : "" }));

export async function startBotHarness(): Promise<BotHarness> {
  const tg = await startFakeTelegram();
  const testDb = await createTestDb();
  const school = await buildSchool(testDb.db);
  const bot = createBot({
    token: tg.token,
    apiRoot: tg.apiRoot,
    db: testDb.db,
    logger: createLogger(process.env.BOT_TEST_LOG ?? "silent"),
    botInfo: tg.botInfo,
  });
  await bot.init();
  const seen = new Map<number, number>();

  const user = (chatId: number, name = "Пользователь", fromId = chatId): ChatUser => {
    const from: FakeUser = { id: fromId, first_name: name, language_code: "ru" };
    const messages = () => tg.sentMessages(chatId).sort((a, b) => a.message_id - b.message_id);
    const findButton = (label: string | RegExp, message?: Message): [string, Message] => {
      const match = (t: string) => (typeof label === "string" ? t.includes(label) : label.test(t));
      const candidates = message ? [message] : messages().reverse();
      for (const m of candidates) {
        const b = buttonsOf(m).find((x) => match(x.text));
        if (b) return [b.data, m];
      }
      throw new Error(
        `no button ${String(label)} in chat ${chatId}: ${JSON.stringify(messages().map((m) => buttonsOf(m).map((b) => b.text)))}`,
      );
    };
    const self: ChatUser = {
      chatId,
      say: async (text) => {
        await bot.handleUpdate(tg.sendText(from, chatId, text));
      },
      pressData: async (data, message) => {
        await bot.handleUpdate(tg.pressButton(from, message, data));
      },
      press: async (label, message) => {
        const [data, m] = findButton(label, message);
        return self.pressData(data, m);
      },
      pressLate: async (label, message) => {
        const [data, m] = findButton(label, message);
        const update = tg.pressButton(from, m, data);
        tg.expireCallbackQueries();
        await bot.handleUpdate(update);
      },
      replies: () => {
        const from = seen.get(chatId) ?? 0;
        const calls = tg.calls.filter(
          (c) =>
            (c.method === "sendMessage" || c.method === "editMessageText") &&
            Number(c.payload.chat_id) === chatId,
        );
        seen.set(chatId, tg.calls.length > 0 ? calls.length : 0);
        return calls.slice(from).map((c) => String(c.payload.text));
      },
      last: () => messages().at(-1)!,
      messages,
      alerts: () =>
        tg.calls
          .filter((c) => c.method === "answerCallbackQuery" && c.payload.text)
          .map((c) => String(c.payload.text)),
    };
    return self;
  };

  return {
    tg,
    testDb,
    school,
    bot,
    user,
    invite: async (personId, opts = {}) => {
      const code = randomBytes(6)
        .toString("hex")
        .toUpperCase()
        .replace(/[01IO]/g, "7")
        .slice(0, 8);
      await testDb.db.inviteCode.create({
        data: {
          schoolId: school.school.id,
          personId,
          codeHash: hashInviteCode(code),
          expiresAt: new Date(Date.now() + (opts.expiresInMs ?? 86_400_000)),
          usedAt: opts.used ? new Date() : null,
        },
      });
      return code;
    },
    link: async (chatId, personId) => {
      await testDb.db.chatLink.create({ data: { chatId: BigInt(chatId), personId } });
      return user(chatId);
    },
    close: async () => {
      await tg.stop();
      await testDb.drop();
    },
  };
}
