import type { Actor } from "../src/journal/actor.js";
import {
  acknowledge as ackMessage,
  ackStatus,
  inbox,
  markRead,
  sendMessage,
} from "../src/journal/messages.js";
import type { BotContext, Identity } from "./context.js";

/**
 * The bot's access to the core's messages service: sending, acknowledging, the acknowledgement
 * count and the inbox, in the shapes the features format.
 */
export interface AckCount {
  acknowledged: number;
  pending: number;
  notLinked: number;
}

export async function send(ctx: BotContext, actor: Actor, input: Record<string, unknown>): Promise<number> {
  return (await sendMessage(ctx.deps.db, actor, input)).id;
}

export const acknowledge = (ctx: BotContext, actor: Actor, messageId: number) =>
  ackMessage(ctx.deps.db, actor, { messageId });

export async function ackCount(ctx: BotContext, actor: Actor, messageId: number): Promise<AckCount> {
  const r = await ackStatus(ctx.deps.db, actor, { messageId });
  return { acknowledged: r.acknowledged.length, pending: r.pending.length, notLinked: r.notLinked.length };
}

export async function inboxOf(ctx: BotContext, actor: Actor, limit = 5) {
  const rows = await inbox(ctx.deps.db, actor, { limit });
  return rows.map((m) => ({
    id: m.id,
    body: m.body,
    author: [m.author.lastName, m.author.firstName, m.author.middleName].filter(Boolean).join(" "),
    needsAck: m.needsAck,
    acknowledged: m.acknowledgedAt !== null,
    pupil: m.pupil ? `${m.pupil.firstName} ${m.pupil.lastName}` : null,
    replyToId: m.replyToId,
  }));
}

/** The bot showed the message to its recipient: it counts as read. */
export const markShown = (ctx: BotContext, actor: Actor, messageId: number) =>
  markRead(ctx.deps.db, actor, { messageId });

/**
 * Which of the chat's people a message concerns (its recipient, else its author): the one who
 * acknowledges it, replies to it or sees its count. Falls back to the most recently linked one;
 * the core checks the rights either way.
 */
export async function identityForMessage(ctx: BotContext, messageId: number): Promise<Identity | null> {
  const all = await ctx.identities();
  if (all.length <= 1) return all[0] ?? null;
  const ids = all.map((w) => w.actor.personId);
  const row = await ctx.deps.db.message.findUnique({
    where: { id: messageId },
    select: { authorId: true, recipients: { where: { personId: { in: ids } }, select: { personId: true } } },
  });
  const personId = row?.recipients[0]?.personId ?? row?.authorId;
  return all.find((w) => w.actor.personId === personId) ?? all[0]!;
}
