import { Composer } from "grammy";
import { DomainError } from "../../src/journal/errors.js";
import { deactivateChat, redeemInvite, unlinkChat } from "../../src/journal/invites.js";
import type { BotContext } from "../context.js";
import { replyWithError } from "../errors.js";
import { mainMenu, politeName } from "../helpers.js";

/** Linking a chat to a person by a one-time code, unlinking, and noticing a blocked bot. */
export const startFeature = new Composer<BotContext>();

const TRIES = 5;
const WINDOW_MS = 10 * 60 * 1000;

startFeature.command("start", async (ctx) => {
  const code = ctx.match.trim();
  if (code) return link(ctx, code);
  const all = await ctx.identities();
  if (all.length === 0) return ctx.reply(ctx.t("start-unlinked"));
  await ctx.reply(ctx.t("start-linked", { name: politeName(all[0]!.person) }), {
    reply_markup: mainMenu(ctx, all),
  });
});

startFeature.command(["stop", "unlink"], async (ctx) => {
  if (!(await ctx.identity())) return ctx.reply(ctx.t("not-linked"));
  await unlinkChat(ctx.deps.db, { chatId: ctx.chat.id });
  ctx.forgetIdentity();
  ctx.session = {};
  await ctx.reply(ctx.t("unlinked"), { reply_markup: { remove_keyboard: true } });
});

startFeature.on("my_chat_member", async (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status;
  if (status === "kicked" || status === "left") {
    await deactivateChat(ctx.deps.db, { chatId: ctx.chat.id, why: "blocked" });
    ctx.forgetIdentity();
    ctx.log.info("chat blocked the bot; link deactivated");
  }
});

async function link(ctx: BotContext, code: string) {
  const now = ctx.now().getTime();
  const recent = (ctx.session.wrongCodes ?? []).filter((t) => now - t < WINDOW_MS);
  ctx.session.wrongCodes = recent;
  if (recent.length >= TRIES) {
    const minutes = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 60000));
    return ctx.reply(ctx.t("code-slowed", { minutes }));
  }
  let result: Awaited<ReturnType<typeof redeemInvite>>;
  try {
    result = await redeemInvite(ctx.deps.db, { code, chatId: ctx.chat!.id, chatType: ctx.chat!.type });
  } catch (error) {
    // Answered here rather than by the boundary, so that the session keeps the count. A refusal
    // of the chat (a group) is not a wrong code.
    if (!(error instanceof DomainError && error.details?.reason === "group"))
      ctx.session.wrongCodes = [...recent, now];
    return replyWithError(ctx, error);
  }
  ctx.session.wrongCodes = [];
  ctx.forgetIdentity();
  const all = await ctx.identities();
  const children = result.children.map(
    (c) => `${c.firstName} ${c.lastName}${c.className ? ` (${c.className})` : ""}`,
  );
  const text =
    children.length > 0
      ? ctx.t("linked-guardian", { name: politeName(result.person), children: children.join(", ") })
      : ctx.t("linked-staff", { name: politeName(result.person) });
  await ctx.reply(text, all.length > 0 ? { reply_markup: mainMenu(ctx, all) } : {});
}
