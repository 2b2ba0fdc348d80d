import { type BotError, GrammyError, HttpError } from "grammy";
import { DomainError } from "../src/journal/errors.js";
import { deactivateChat } from "../src/journal/invites.js";
import type { BotContext } from "./context.js";

/**
 * The error boundary. A DomainError is the user's mistake or a rule the core refused: its Russian
 * message tells them what to do. Anything else is ours: a short apology to the user, details to
 * the log only (without personal data: the update's text is never logged).
 */
export async function replyWithError(ctx: BotContext, error: unknown): Promise<void> {
  // The user blocked the bot while we were answering: stop treating the chat as reachable.
  if (error instanceof GrammyError && error.error_code === 403 && ctx.chat) {
    await deactivateChat(ctx.deps.db, { chatId: ctx.chat.id, why: "blocked" }).catch(() => {});
    ctx.forgetIdentity();
    ctx.log.info("chat blocked the bot; link deactivated");
    return;
  }
  const domain = error instanceof DomainError;
  if (!domain) {
    ctx.log.error(
      {
        err:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
        telegram: error instanceof GrammyError ? error.description : undefined,
        network: error instanceof HttpError,
      },
      "update failed",
    );
  } else {
    ctx.log.info({ code: error.code }, "refused by the journal");
  }
  const text = domain ? `⚠️ ${error.message}` : safeT(ctx, "error-internal");
  try {
    if (ctx.callbackQuery) {
      // A press too old to be answered gets `false` (see outgoing.ts): then the chat is told.
      const shown = await ctx.answerCallbackQuery({ text: text.slice(0, 190), show_alert: true });
      if (ctx.chat && (!shown || (domain && text.length > 190))) await ctx.reply(text);
    } else if (ctx.chat) {
      await ctx.reply(text);
    }
  } catch (sendError) {
    ctx.log.warn({ err: String(sendError) }, "could not tell the user about an error");
  }
}

function safeT(ctx: BotContext, key: string): string {
  try {
    return typeof ctx.t === "function" ? ctx.t(key) : "Что-то пошло не так. Попробуйте ещё раз чуть позже.";
  } catch {
    return "Что-то пошло не так. Попробуйте ещё раз чуть позже.";
  }
}

/** Middleware form: wraps everything after it. */
export async function errorBoundary(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  try {
    await next();
  } catch (error) {
    await replyWithError(ctx, error);
  }
}

/** Last resort for errors thrown outside the boundary (context setup, session storage). */
export function onBotError(err: BotError<BotContext>): void {
  const ctx = err.ctx;
  const log = ctx.log ?? ctx.deps?.logger;
  log?.error({ err: err.error instanceof Error ? err.error.message : String(err.error) }, "bot error");
}
