import { autoRetry } from "@grammyjs/auto-retry";
import { Bot } from "grammy";
import { botUpdates } from "../src/metrics.js";
import { parseCallback } from "./callback-data.js";
import type { BotContext, BotDeps } from "./context.js";
import { errorBoundary, onBotError } from "./errors.js";
import { absenceFeature } from "./features/absence.js";
import { attendanceFeature } from "./features/attendance.js";
import { classTeacherFeature } from "./features/class-teacher.js";
import { controlFeature } from "./features/control.js";
import { correctionsFeature } from "./features/corrections.js";
import { diaryFeature } from "./features/diary.js";
import { documentsFeature } from "./features/documents.js";
import { lessonInfoFeature } from "./features/lesson-info.js";
import { marksFeature } from "./features/marks.js";
import { messagesFeature } from "./features/messages.js";
import { settingsFeature } from "./features/settings.js";
import { startFeature } from "./features/start.js";
import { todayFeature } from "./features/today.js";
import { unhandledFeature } from "./features/unhandled.js";
import { groupsFeature } from "./groups.js";
import { answerOutdated } from "./helpers.js";
import { createI18n } from "./i18n.js";
import { identityCache } from "./identity.js";
import { outgoing } from "./outgoing.js";
import { createStorage } from "./session.js";

export type { BotContext, BotDeps } from "./context.js";

/**
 * The bot, wired in the order an update travels: context → error boundary → session → i18n →
 * one Composer per feature → the hint for anything unhandled.
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    botInfo: deps.botInfo,
    client: { apiRoot: deps.apiRoot },
  });
  // Telegram's 429 with retry_after and 5xx on replies: wait and retry instead of failing the update.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10 }));
  // Installed last, so it wraps the retries: long texts split, cosmetic calls never fatal.
  bot.api.config.use(outgoing({ log: deps.logger, limit: deps.textLimit }));
  const { middleware: sessions, trackers } = createStorage(deps);
  const identities = identityCache(deps.db);

  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.trackers = trackers;
    // Ids only: names and texts are personal data and stay out of the logs.
    ctx.log = deps.logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id });
    ctx.now = deps.now ?? (() => new Date());
    ctx.identities = () => (ctx.chat ? identities.get(ctx.chat.id) : Promise.resolve([]));
    ctx.identity = async () => (await ctx.identities())[0] ?? null;
    ctx.forgetIdentity = () => {
      if (ctx.chat) identities.forget(ctx.chat.id);
    };
    await next();
  });
  bot.use(errorBoundary);
  // Inside the error boundary, so an update that failed is counted as an error.
  bot.use(async (ctx, next) => {
    const kind = Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
    try {
      await next();
      botUpdates.inc({ messenger: "telegram", kind, result: "ok" });
    } catch (error) {
      botUpdates.inc({ messenger: "telegram", kind, result: "error" });
      throw error;
    }
  });
  bot.use(sessions);
  bot.use(createI18n());
  // A command ends any question the bot was waiting an answer to.
  bot.on("message:text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) ctx.session.awaiting = undefined;
    await next();
  });

  // Groups and supergroups: no personal data, no linking; migrations move links.
  bot.use(groupsFeature);

  // A button whose data is not one we make (an older layout, a forged id past int4) is answered
  // as outdated here, so every feature's `parseCallback(…)!` holds.
  bot.on("callback_query:data", async (ctx, next) => {
    if (parseCallback(ctx.callbackQuery.data)) return next();
    await answerOutdated(ctx);
  });

  bot.use(startFeature);
  bot.use(settingsFeature);
  bot.use(todayFeature);
  bot.use(attendanceFeature);
  bot.use(marksFeature);
  bot.use(lessonInfoFeature);
  bot.use(correctionsFeature);
  bot.use(classTeacherFeature);
  bot.use(controlFeature);
  bot.use(diaryFeature);
  bot.use(documentsFeature);
  bot.use(absenceFeature);
  bot.use(messagesFeature);
  bot.use(unhandledFeature);

  bot.catch(onBotError);
  return bot;
}
