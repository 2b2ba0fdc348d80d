import { hears } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import type { Actor } from "../../src/journal/actor.js";
import { teachersOfPupil } from "../../src/journal/messages-read.js";
import { shortName } from "../../src/journal/names.js";
import { callbackPattern, cb, parseCallback } from "../callback-data.js";
import { type ChatChild, childById, pickChild } from "../children.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireGuardian, requireIdentity, schoolToday } from "../helpers.js";
import { ackCount, acknowledge, identityForMessage, inboxOf, markShown, send } from "../messaging.js";

/**
 * Messages: the inbox with "Ознакомлен" and "Ответить", threaded replies, a guardian writing to
 * the class teacher or a subject teacher, and the live acknowledgement count of a class message.
 */
export const messagesFeature = new Composer<BotContext>();

messagesFeature.command("inbox", (ctx) => showInbox(ctx));
messagesFeature.filter(hears("menu-inbox"), (ctx) => showInbox(ctx));
messagesFeature.command("write", (ctx) => startWrite(ctx));
messagesFeature.filter(hears("menu-write"), (ctx) => startWrite(ctx));

messagesFeature.callbackQuery(callbackPattern("ack"), async (ctx) => {
  const [messageId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const who = await identityForMessage(ctx, messageId);
  if (!who) return answerOutdated(ctx);
  await acknowledge(ctx, who.actor, messageId);
  await ctx.answerCallbackQuery({ text: ctx.t("ack-thanks") });
  // The button becomes a plain "acknowledged" mark; a reply stays possible.
  await ctx.editMessageReplyMarkup({
    reply_markup: new InlineKeyboard().text(ctx.t("btn-reply"), cb("re", messageId)),
  });
  await refreshTracker(ctx, messageId);
});

messagesFeature.callbackQuery(callbackPattern("ack.st"), async (ctx) => {
  const [messageId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const who = await identityForMessage(ctx, messageId);
  if (!who) return answerOutdated(ctx);
  await ctx.answerCallbackQuery();
  const count = await ackCount(ctx, who.actor, messageId);
  await ctx
    .editMessageText(ackText(ctx, count), { reply_markup: ackKeyboard(ctx, messageId) })
    .catch(() => {});
});

messagesFeature.callbackQuery(callbackPattern("re"), async (ctx) => {
  const [messageId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  ctx.session.awaiting = { kind: "reply", messageId };
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("reply-ask"));
});

messagesFeature.callbackQuery(callbackPattern("wr"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const [pupilId, teacherId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const child = await childById(ctx, pupilId);
  if (!child || !(await teachersOf(ctx, child.who, child)).some((t) => t.id === teacherId))
    return answerOutdated(ctx);
  ctx.session.awaiting = { kind: "write", pupilId, teacherId };
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("write-ask"));
});

messagesFeature.on("message:text").filter(
  (ctx) => ctx.session.awaiting?.kind === "reply" || ctx.session.awaiting?.kind === "write",
  async (ctx) => {
    const awaiting = ctx.session.awaiting;
    if (!(await requireIdentity(ctx)) || !awaiting) return;
    const body = ctx.message.text;
    if (awaiting.kind === "reply") {
      const who = await identityForMessage(ctx, awaiting.messageId);
      if (!who) return;
      await send(ctx, who.actor, { kind: "DIRECT", replyToId: awaiting.messageId, body });
    } else if (awaiting.kind === "write") {
      // The child decides who writes: the parent's person in the child's school.
      const who = (await childById(ctx, awaiting.pupilId))?.who;
      if (!who) {
        ctx.session.awaiting = undefined;
        return ctx.reply(ctx.t("outdated"));
      }
      await send(ctx, who.actor, {
        kind: "DIRECT",
        pupilId: awaiting.pupilId,
        recipientIds: awaiting.teacherId ? [awaiting.teacherId] : undefined,
        body,
      });
    }
    ctx.session.awaiting = undefined;
    await ctx.reply(ctx.t("message-sent"));
  },
);

/** The latest messages of every person linked in this chat (one parent, several schools). */
async function showInbox(ctx: BotContext) {
  if (!(await requireIdentity(ctx))) return;
  const items = [];
  for (const who of await ctx.identities()) {
    for (const m of await inboxOf(ctx, who.actor, 5)) items.push({ ...m, who });
  }
  if (items.length === 0) return ctx.reply(ctx.t("inbox-empty"));
  for (const { who, ...m } of items.reverse()) {
    const kb = new InlineKeyboard();
    if (m.needsAck && !m.acknowledged) kb.text(ctx.t("btn-ack"), cb("ack", m.id));
    kb.text(ctx.t("btn-reply"), cb("re", m.id));
    const about = m.pupil ? ` (${m.pupil})` : "";
    await ctx.reply(`✉️ ${m.author}${about}:\n${m.body}`, { reply_markup: kb });
    await markShown(ctx, who.actor, m.id);
  }
}

async function startWrite(ctx: BotContext) {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const child = await pickChild(ctx, "write", false);
  if (child) await askTeacher(ctx, child.who, child);
}

/** The class teacher first, then the teachers of the child's subjects, as button labels. */
async function teachersOf(ctx: BotContext, who: Identity, child: ChatChild) {
  if (!child.classId) return [];
  const teachers = await teachersOfPupil(ctx.deps.db, who.actor, {
    pupilId: child.id,
    date: schoolToday(ctx, who),
  });
  return teachers.map((t) => ({
    id: t.id,
    label: `${t.subject ?? ctx.t("class-teacher")}: ${shortName(t)}`,
  }));
}

export async function askTeacher(ctx: BotContext, who: Identity, child: ChatChild) {
  ctx.session.childId = child.id;
  const kb = new InlineKeyboard();
  for (const t of await teachersOf(ctx, who, child)) kb.text(t.label, cb("wr", child.id, t.id)).row();
  await ctx.reply(ctx.t("write-whom", { child: child.firstName }), { reply_markup: kb });
}

export const ackText = (ctx: BotContext, c: { acknowledged: number; pending: number; notLinked: number }) =>
  ctx.t("ack-count", c);
export const ackKeyboard = (ctx: BotContext, messageId: number) =>
  new InlineKeyboard().text(ctx.t("btn-refresh"), cb("ack.st", messageId));

/** Remembers which message of the author's chat shows the live count of a class message. */
export async function trackAck(
  ctx: BotContext,
  actor: Actor,
  messageId: number,
  chatId: number,
  shownIn: number,
) {
  await ctx.trackers.write(String(messageId), {
    chatId,
    messageId: shownIn,
    actor: { ...actor, roles: [...actor.roles] },
  });
}

/** After an acknowledgement: the author's count message is edited in place. */
async function refreshTracker(ctx: BotContext, messageId: number) {
  const tracker = await ctx.trackers.read(String(messageId));
  if (!tracker) return;
  const count = await ackCount(ctx, tracker.actor, messageId);
  await ctx.api
    .editMessageText(tracker.chatId, tracker.messageId, ackText(ctx, count), {
      reply_markup: ackKeyboard(ctx, messageId),
    })
    .catch((e: unknown) => ctx.log.warn({ err: String(e) }, "ack count not updated"));
}
