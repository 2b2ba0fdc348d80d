import { Composer } from "grammy";
import { moveChat } from "../src/journal/invites.js";
import type { BotContext } from "./context.js";

/**
 * Groups (issue 11 item 7). The bot's answers name children, marks and absences, so in a group
 * it links nobody (the core refuses a code there, see assertPrivateChat) and answers no command
 * with personal data: every command gets a pointer to the private chat, except /start with a code
 * (the core's refusal says the code is still valid) and /stop (an old group link can be removed).
 * Buttons pressed in a group do nothing; ordinary group talk is not for the bot.
 *
 * A group that becomes a supergroup gets a new id: its links move there, so nothing stays tied
 * to an id Telegram no longer accepts.
 */
export const groupsFeature = new Composer<BotContext>();

async function migrate(ctx: BotContext, from: number, to: number) {
  const { moved } = await moveChat(ctx.deps.db, { from, to });
  ctx.forgetIdentity();
  if (moved > 0) ctx.log.info({ from, to, moved }, "chat migrated; links moved");
}

// Telegram reports a migration in both chats; moving is idempotent.
groupsFeature.on("message:migrate_to_chat_id", (ctx) =>
  migrate(ctx, ctx.chat.id, ctx.message.migrate_to_chat_id),
);
groupsFeature.on("message:migrate_from_chat_id", (ctx) =>
  migrate(ctx, ctx.message.migrate_from_chat_id, ctx.chat.id),
);

groupsFeature.use(async (ctx, next) => {
  const type = ctx.chat?.type;
  // The bot removed from a group still deactivates its links (start.ts).
  if (!type || type === "private" || ctx.myChatMember) return next();
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: ctx.t("group-button"), show_alert: true });
    return;
  }
  const text = ctx.message?.text ?? "";
  const [, command = "", arg = ""] = /^\/(\w+)(?:@\w+)?\s*(.*)$/s.exec(text) ?? [];
  if (!command) return;
  if (command === "stop" || command === "unlink" || (command === "start" && arg.trim())) return next();
  await ctx.reply(ctx.t("group-private-only", { bot: ctx.me.username }));
});
