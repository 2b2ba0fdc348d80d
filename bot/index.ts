export { type BotContext, type BotDeps, createBot } from "./bot.js";
export { CALLBACK_VERSION, cb, parseCallback } from "./callback-data.js";
export { type RunningBot, startBot } from "./start.js";
export { WEBHOOK_PATH, webhookPlugin } from "./webhook.js";
