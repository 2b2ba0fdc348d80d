import type { FastifyPluginAsync } from "fastify";
import { type Bot, webhookCallback } from "grammy";
import type { BotContext } from "./context.js";

export const WEBHOOK_PATH = "/telegram/webhook";

/**
 * POST /telegram/webhook for the Fastify app (mounted through buildApp's `plugins`). grammY
 * checks Telegram's X-Telegram-Bot-Api-Secret-Token header against `secretToken` and answers
 * 401 to anyone else.
 */
export function webhookPlugin(bot: Bot<BotContext>, secretToken: string): FastifyPluginAsync {
  const handle = webhookCallback(bot, "fastify", {
    secretToken,
    onTimeout: "return",
    timeoutMilliseconds: 9_000,
  });
  return async (app) => {
    app.post(WEBHOOK_PATH, { schema: { hide: true } }, handle);
  };
}
