import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../../bot/start.js";
import { webhookPlugin } from "../../bot/webhook.js";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { createLogger } from "../../src/logger.js";
import { type BotHarness, startBotHarness } from "./harness.js";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(() => h?.close());

const SECRET = "test-secret-token-1234567890";

describe("webhook and start-up", () => {
  it("serves POST /telegram/webhook with the secret token checked", async () => {
    // Mounted the way the main entry does: through buildApp's plugins, beside the API.
    const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" });
    const app = await buildApp({ db: h.testDb.db, config, plugins: [webhookPlugin(h.bot, SECRET)] });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address() as { port: number };
    try {
      const url = `http://127.0.0.1:${address.port}/telegram/webhook`;
      const update = {
        update_id: 1,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 3001, type: "private", first_name: "X" },
          from: { id: 3001, is_bot: false, first_name: "X" },
          text: "/start",
        },
      };
      const wrong = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "nope" },
        body: JSON.stringify(update),
      });
      expect(wrong.status).toBe(401);
      expect(h.tg.callsOf("sendMessage")).toHaveLength(0);

      // The fake Telegram server delivers updates to the webhook with the header, as Telegram does.
      h.tg.deliverTo(url, SECRET);
      h.tg.sendText({ id: 3002, first_name: "Y" }, 3002, "/start");
      await h.tg.settled();
      await h.tg.waitForCalls((c) => c.method === "sendMessage" && c.payload.chat_id === 3002);
      expect(h.tg.deliveries.at(-1)).toMatchObject({ ok: true, status: 200 });
      const reply = h.tg.callsOf("sendMessage").find((c) => c.payload.chat_id === 3002)!;
      expect(String(reply.payload.text)).toMatch(/код приглашения/);
    } finally {
      h.tg.deliverTo(null);
      await app.close();
    }
  });

  it("without BOT_TOKEN logs that the bot is off and returns a no-op", async () => {
    const lines: string[] = [];
    const logger = createLogger("info");
    const spy = {
      ...logger,
      child: () => ({ info: (msg: string) => lines.push(msg) }),
    } as unknown as typeof logger;
    const running = await startBot({ BOT_API_ROOT: "https://api.telegram.org" } as never, {
      db: h.testDb.db,
      logger: spy,
    });
    expect(lines.join(" ")).toMatch(/бот выключен/);
    await running.stop();
  });

  it("long polling: picks updates from getUpdates and answers", async () => {
    const running = await startBot({ BOT_TOKEN: h.tg.token, BOT_API_ROOT: h.tg.apiRoot } as never, {
      db: h.testDb.db,
      logger: createLogger("silent"),
    });
    try {
      h.tg.sendText({ id: 3003, first_name: "Z" }, 3003, "/start");
      const [reply] = await h.tg.waitForCalls(
        (c) => c.method === "sendMessage" && c.payload.chat_id === 3003,
        1,
        5000,
      );
      expect(String(reply!.payload.text)).toMatch(/код приглашения/);
      expect(h.tg.callsOf("setMyCommands").length).toBeGreaterThan(0);
    } finally {
      await running.stop();
    }
  });
});
