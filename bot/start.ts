import type { FastifyPluginAsync } from "fastify";
import type { Redis } from "ioredis";
import type { Config } from "../src/config.js";
import type { Db } from "../src/db/client.js";
import type { Logger } from "../src/logger.js";
import { createBot } from "./bot.js";
import { setCommands } from "./commands.js";
import { WEBHOOK_PATH, webhookPlugin } from "./webhook.js";

export interface RunningBot {
  /** The webhook route for buildApp's `plugins` (webhook mode only). */
  plugin?: FastifyPluginAsync;
  stop(): Promise<void>;
}

type BotConfig = Pick<Config, "BOT_TOKEN" | "BOT_API_ROOT" | "BOT_WEBHOOK_URL" | "BOT_WEBHOOK_SECRET">;

/**
 * Starts the bot the way the config asks: a webhook when BOT_WEBHOOK_URL is set (the route is
 * returned for the HTTP server), long polling otherwise. Without BOT_TOKEN it does nothing.
 */
export async function startBot(
  config: BotConfig,
  deps: { db: Db; redis?: Redis; logger: Logger },
): Promise<RunningBot> {
  const log = deps.logger.child({ role: "bot" });
  if (!config.BOT_TOKEN) {
    log.info("бот выключен: BOT_TOKEN не задан");
    return { stop: async () => {} };
  }
  const bot = createBot({ token: config.BOT_TOKEN, apiRoot: config.BOT_API_ROOT, ...deps, logger: log });
  await bot.init();
  await setCommands(bot).catch((e: unknown) => log.warn({ err: String(e) }, "setMyCommands failed"));
  if (config.BOT_WEBHOOK_URL && config.BOT_WEBHOOK_SECRET) {
    const url = new URL(WEBHOOK_PATH, config.BOT_WEBHOOK_URL).toString();
    await bot.api.setWebhook(url, { secret_token: config.BOT_WEBHOOK_SECRET, allowed_updates: ALLOWED });
    log.info({ url }, "бот: webhook");
    return { plugin: webhookPlugin(bot, config.BOT_WEBHOOK_SECRET), stop: async () => {} };
  }
  await bot.api.deleteWebhook();
  const done = bot.start({ allowed_updates: ALLOWED, onStart: () => log.info("бот: long polling") });
  done.catch((e: unknown) => log.error({ err: String(e) }, "polling stopped"));
  return {
    stop: async () => {
      await bot.stop();
    },
  };
}

const ALLOWED = ["message", "callback_query", "my_chat_member"] as const;
