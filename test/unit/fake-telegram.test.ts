import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Api, Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from "grammy";
import type { Message } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegram, type FakeUser, startFakeTelegram } from "../support/fake-telegram.js";

const alice: FakeUser = { id: 501, first_name: "Alice", username: "alice", language_code: "ru" };

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()?.();
});

async function fake(opts?: Parameters<typeof startFakeTelegram>[0]): Promise<FakeTelegram> {
  const tg = await startFakeTelegram(opts);
  running.push(tg.stop);
  return tg;
}

const apiFor = (tg: FakeTelegram) => new Api(tg.token, { apiRoot: tg.apiRoot });

function botFor(tg: FakeTelegram): Bot {
  return new Bot(tg.token, { botInfo: tg.botInfo, client: { apiRoot: tg.apiRoot } });
}

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GrammyError)) throw new Error(`expected GrammyError, got ${String(err)}`);
  return err;
}

/** A school-journal-ish bot: /start shows a button, the button edits the message. */
function journalBot(tg: FakeTelegram): Bot {
  const bot = botFor(tg);
  bot.command("start", (ctx) =>
    ctx.reply("Выберите класс", { reply_markup: new InlineKeyboard().text("5А", "class:5A") }),
  );
  bot.callbackQuery(/^class:(.+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(`Класс ${ctx.match[1]}`);
  });
  return bot;
}

describe("fake Telegram: basic calls", () => {
  it("answers getMe and records sendMessage with a realistic Message", async () => {
    const tg = await fake({ username: "school_bot" });
    const api = apiFor(tg);

    const me = await api.getMe();
    expect(me).toMatchObject({ is_bot: true, username: "school_bot", id: tg.botInfo.id });

    const keyboard = new InlineKeyboard().text("OK", "ok");
    const first = await api.sendMessage(alice.id, "Привет", { reply_markup: keyboard });
    const second = await api.sendMessage(-42, "В группу");
    expect(first).toMatchObject({
      chat: { id: alice.id, type: "private" },
      text: "Привет",
      from: { is_bot: true },
    });
    expect(first.reply_markup).toEqual({ inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] });
    expect(second.message_id).toBeGreaterThan(first.message_id);
    expect(second.chat.type).toBe("group");

    const [call] = tg.callsOf("sendMessage");
    expect(call).toMatchObject({
      method: "sendMessage",
      token: tg.token,
      payload: { chat_id: alice.id, text: "Привет" },
    });
    expect(call?.response).toEqual({ ok: true, result: first });
    expect(typeof call?.at).toBe("number");
    expect(tg.stats.accepted).toBe(2);

    await expect(api.setMyCommands([{ command: "start", description: "Начать" }])).resolves.toBe(true);
    // Unknown methods succeed; form bodies are coerced only where Telegram would (ids, not free text).
    const res = await fetch(`${tg.apiRoot}/bot${tg.token}/someFutureMethod`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "chat_id=5&text=42",
    });
    expect(await res.json()).toEqual({ ok: true, result: true });
    expect(tg.callsOf("someFutureMethod")[0]?.payload).toEqual({ chat_id: 5, text: "42" });

    tg.clear();
    expect(tg.calls).toHaveLength(0);
  });

  it("edits and deletes like Telegram, including its common errors", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    const sent = await api.sendMessage(alice.id, "<b>5А</b> &amp; 5Б", {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("x", "x"),
    });
    expect(sent.text).toBe("5А & 5Б");

    const edited = await api.editMessageText(alice.id, sent.message_id, "Готово");
    expect(edited).toMatchObject({ message_id: sent.message_id, text: "Готово" });
    expect(edited !== true && edited.reply_markup).toBeFalsy();
    expect(tg.sentMessages(alice.id)[0]?.text).toBe("Готово");

    expect((await grammyError(api.editMessageText(alice.id, sent.message_id, "Готово"))).description).toMatch(
      /message is not modified/,
    );
    expect(
      (await grammyError(api.sendMessage(alice.id, "Иванов <Петя>", { parse_mode: "HTML" }))).description,
    ).toMatch(/can't parse entities/);
    await expect(
      api.editMessageReplyMarkupInline("inline-1", { reply_markup: new InlineKeyboard() }),
    ).resolves.toBe(true);
    await expect(api.deleteMessage(alice.id, sent.message_id)).resolves.toBe(true);
    expect((await grammyError(api.deleteMessage(alice.id, sent.message_id))).description).toMatch(
      /not found/,
    );
  });

  it("waitForCalls resolves on time and rejects with what was recorded", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    const waiting = tg.waitForCalls("sendMessage", 2, 1000);
    await api.sendMessage(1, "a");
    await api.sendMessage(2, "b");
    expect(await waiting).toHaveLength(2);

    await expect(tg.waitForCalls((c) => c.payload.chat_id === 3, 1, 50)).rejects.toThrow(
      /expected 1 call\(s\) matching predicate within 50 ms, got 0\. Recorded 2: sendMessage chat=1 -> 200/,
    );
  });
});

describe("fake Telegram: updates", () => {
  it("long polling delivers an injected command and a button press to bot.start()", async () => {
    const tg = await fake();
    const bot = journalBot(tg);
    const started = new Promise<void>((resolve) => {
      void bot.start({ onStart: () => resolve() });
    });
    running.push(() => bot.stop());
    await started;

    const update = tg.sendText(alice, alice.id, "/start");
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    const [reply] = await tg.waitForCalls("sendMessage");
    const sent = reply?.response.ok ? (reply.response.result as Message) : undefined;
    expect(sent?.text).toBe("Выберите класс");

    expect(() => tg.pressButton(alice, sent!, "class:nope")).toThrow(/no button with data/);
    tg.pressButton(alice, sent!, "class:5A");
    await tg.waitForCalls("editMessageText");
    expect(tg.callsOf("answerCallbackQuery")[0]?.status).toBe(200);
    expect(tg.sentMessages(alice.id)[0]?.text).toBe("Класс 5A");

    await bot.stop();
    expect(tg.pendingUpdates()).toHaveLength(0);
  });

  it("holds getUpdates until an update arrives and releases held polls on stop()", async () => {
    const tg = await fake();
    const api = apiFor(tg);

    const t0 = Date.now();
    const poll = api.getUpdates({ timeout: 5 });
    setTimeout(() => tg.myChatMember(alice, alice.id, "kicked"), 50);
    const [update] = await poll;
    expect(update?.my_chat_member?.new_chat_member.status).toBe("kicked");
    expect(Date.now() - t0).toBeLessThan(1000);
    // The user blocked the bot, so sends to them now fail like on Telegram.
    expect((await grammyError(api.sendMessage(alice.id, "hi"))).error_code).toBe(403);

    const short = Date.now();
    await expect(api.getUpdates({ offset: (update?.update_id ?? 0) + 1, timeout: 1 })).resolves.toEqual([]);
    expect(Date.now() - short).toBeGreaterThanOrEqual(900);

    const held = api.getUpdates({ timeout: 30 });
    await new Promise((r) => setTimeout(r, 100)); // let the poll reach the server and be held
    const stopAt = Date.now();
    await tg.stop();
    await expect(held).resolves.toEqual([]);
    expect(Date.now() - stopAt).toBeLessThan(500);
  });

  it("delivers updates to a webhook with the secret header", async () => {
    const tg = await fake();
    const bot = journalBot(tg);
    const seenSecrets: Array<string | undefined> = [];
    const handle = webhookCallback(bot, "http", { secretToken: "s3cret" });
    const server: Server = createServer((req, res) => {
      seenSecrets.push(req.headers["x-telegram-bot-api-secret-token"] as string | undefined);
      void handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    running.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    tg.deliverTo(url, "s3cret");
    const update = tg.sendText(alice, alice.id, "/start");
    await tg.settled();
    expect(seenSecrets).toEqual(["s3cret"]);
    expect(tg.deliveries).toMatchObject([{ update: { update_id: update.update_id }, status: 200, ok: true }]);
    expect(tg.callsOf("sendMessage")).toHaveLength(1);
    // getUpdates is refused while a webhook is set, as on Telegram.
    expect((await grammyError(apiFor(tg).getUpdates())).error_code).toBe(409);

    tg.deliverTo(url, "wrong");
    tg.sendText(alice, alice.id, "/start");
    await tg.settled();
    expect(tg.deliveries[1]).toMatchObject({ status: 401, ok: false });
  });
});

describe("fake Telegram: faults and limits", () => {
  it("failNext 429 surfaces retry_after on the GrammyError", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    tg.failNext(1, { code: 429, retryAfter: 7 });
    const err = await grammyError(api.sendMessage(alice.id, "hi"));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(7);
    expect(err.description).toBe("Too Many Requests: retry after 7");
    expect(tg.calls[0]?.status).toBe(429);
    await expect(api.sendMessage(alice.id, "hi")).resolves.toMatchObject({ text: "hi" });
    expect(tg.stats).toMatchObject({ rate429: 1, accepted: 1 });
  });

  it("403 uses Telegram's description; failChat and 5xx are counted", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    tg.failNext(1, { code: 403 });
    expect((await grammyError(api.sendMessage(alice.id, "hi"))).description).toBe(
      "Forbidden: bot was blocked by the user",
    );
    tg.failChat(-100, { code: 400, description: "Bad Request: chat not found" });
    expect((await grammyError(api.sendMessage(-100, "hi"))).description).toBe("Bad Request: chat not found");
    await api.sendMessage(-101, "other chat is fine");
    tg.failNext(1, { code: 502 }, "sendMessage");
    expect((await grammyError(api.sendMessage(-101, "hi"))).error_code).toBe(502);
    expect(tg.stats).toMatchObject({ forbidden403: 1, badRequest400: 1, error5xx: 1, accepted: 1 });
  });

  it("refuses a text over 4,096 characters as Telegram does, for sends and edits", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    await expect(api.sendMessage(alice.id, "я".repeat(4096))).resolves.toMatchObject({ message_id: 1 });
    expect((await grammyError(api.sendMessage(alice.id, "я".repeat(4097)))).description).toBe(
      "Bad Request: message is too long",
    );
    expect((await grammyError(api.editMessageText(alice.id, 1, "ю".repeat(4097)))).description).toBe(
      "Bad Request: message is too long",
    );
  });

  it("answers 'query is too old' once button presses have expired", async () => {
    const tg = await fake();
    const bot = journalBot(tg);
    await bot.init();
    await bot.handleUpdate(tg.sendText(alice, alice.id, "/start"));
    const [menu] = tg.sentMessages(alice.id);
    const press = tg.pressButton(alice, menu!, "class:5A");
    tg.expireCallbackQueries();
    await expect(bot.handleUpdate(press)).rejects.toThrow(/query is too old/);
  });

  it("migrates a group to a supergroup with both service messages and refuses the old id", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    const [inOld, inNew] = tg.migrateGroup(alice, -4242, -1001234567890);
    expect(inOld.message).toMatchObject({
      chat: { id: -4242, type: "group" },
      migrate_to_chat_id: -1001234567890,
    });
    expect(inNew.message).toMatchObject({
      chat: { id: -1001234567890, type: "supergroup" },
      migrate_from_chat_id: -4242,
    });
    const err = await grammyError(api.sendMessage(-4242, "hi"));
    expect(err.description).toMatch(/upgraded to a supergroup/);
    expect(err.parameters.migrate_to_chat_id).toBe(-1001234567890);
    await expect(api.sendMessage(-1001234567890, "hi")).resolves.toMatchObject({
      chat: { type: "supergroup" },
    });
  });

  it("failRate is repeatable with a seed", async () => {
    async function pattern(seed: number): Promise<string> {
      const tg = await fake();
      tg.failRate(0.3, { code: 500 }, seed);
      const api = apiFor(tg);
      let out = "";
      for (let i = 0; i < 30; i++) {
        out += await api.sendMessage(i + 1, "x").then(
          () => ".",
          () => "F",
        );
      }
      await tg.stop();
      return out;
    }
    const a = await pattern(42);
    expect(await pattern(42)).toBe(a);
    expect(a).toMatch(/F/);
    expect(a).toMatch(/\./);
    expect(await pattern(7)).not.toBe(a);
  });

  it("limits answer 429 when exceeded and accept paced sends", async () => {
    let now = 1_000_000;
    const tg = await fake({ limits: { globalPerSecond: 5, groupPerMinute: 2 }, now: () => now });
    const api = apiFor(tg);

    await api.sendMessage(alice.id, "1");
    const err = await grammyError(api.sendMessage(alice.id, "2"));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBeGreaterThanOrEqual(1);
    now += 1000;
    await expect(api.sendMessage(alice.id, "paced")).resolves.toMatchObject({ text: "paced" });

    await api.sendMessage(-7, "g1");
    await api.sendMessage(-7, "g2");
    const group = await grammyError(api.sendMessage(-7, "g3"));
    expect(group.parameters.retry_after).toBe(60);

    now += 1000;
    for (let chat = 1; chat <= 5; chat++) await api.sendMessage(chat, "burst");
    expect((await grammyError(api.sendMessage(6, "burst"))).error_code).toBe(429);
    expect(tg.stats).toMatchObject({ rate429: 3, accepted: 9 });
  });

  it("limits are not hit by a bot paced in real time", async () => {
    const tg = await fake({ limits: {} });
    const api = apiFor(tg);
    await api.sendMessage(alice.id, "first");
    await new Promise((r) => setTimeout(r, 1010));
    await expect(api.sendMessage(alice.id, "one second later")).resolves.toBeTruthy();
    expect(tg.stats).toMatchObject({ rate429: 0, accepted: 2 });
  });
});

describe("fake Telegram: uploads", () => {
  it("records multipart sendPhoto with its caption and file", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    const photo = new InputFile(Buffer.from("not really a jpeg"), "grades.jpg");
    const msg = await api.sendPhoto(-1001234567890, photo, {
      caption: "Оценки за неделю",
      reply_markup: new InlineKeyboard().text("Подробнее", "more"),
    });
    expect(msg).toMatchObject({ caption: "Оценки за неделю", chat: { type: "supergroup" } });
    expect(msg.photo?.length).toBeGreaterThan(0);

    const [call] = tg.callsOf("sendPhoto");
    expect(call?.payload).toMatchObject({
      chat_id: -1001234567890,
      caption: "Оценки за неделю",
      photo: { upload: true, filename: "grades.jpg", size: 17 },
      reply_markup: { inline_keyboard: [[{ text: "Подробнее", callback_data: "more" }]] },
    });

    const doc = await api.sendDocument(alice.id, new InputFile(new Uint8Array(3000), "report.pdf"));
    expect(doc.document).toMatchObject({ file_name: "report.pdf", file_size: 3000 });
  });
});
