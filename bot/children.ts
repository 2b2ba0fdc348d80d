import { InlineKeyboard } from "grammy";
import { type ChildInfo, childrenWithClasses } from "../src/journal/invites.js";
import { cb, PURPOSE, type Purpose } from "./callback-data.js";
import type { BotContext, Identity } from "./context.js";

export type { ChildInfo };

export const childrenOfGuardian = (ctx: BotContext, who: Identity) =>
  childrenWithClasses(ctx.deps.db, who.actor.schoolId, who.actor.personId);

/**
 * The child an action is about. One child: that one. Several: the last one chosen when
 * `remembered` is allowed, else the guardian is asked with buttons and null is returned.
 */
export async function pickChild(
  ctx: BotContext,
  who: Identity,
  purpose: Purpose,
  remembered = true,
): Promise<ChildInfo | null> {
  const children = await childrenOfGuardian(ctx, who);
  if (children.length === 0) {
    await ctx.reply(ctx.t("no-children"));
    return null;
  }
  if (children.length === 1) return children[0]!;
  const last = children.find((c) => c.id === ctx.session.childId);
  if (remembered && last) return last;
  await askChild(ctx, children, purpose);
  return null;
}

export async function askChild(ctx: BotContext, children: ChildInfo[], purpose: Purpose) {
  const kb = new InlineKeyboard();
  for (const c of children) {
    const mark = c.id === ctx.session.childId ? "★ " : "";
    kb.text(
      `${mark}${c.firstName} ${c.lastName}${c.className ? `, ${c.className}` : ""}`,
      cb("ch", PURPOSE[purpose], c.id),
    ).row();
  }
  await ctx.reply(ctx.t("choose-child"), { reply_markup: kb });
}

/** A child of this guardian by id (from a button), or null when the button is not theirs. */
export async function childById(ctx: BotContext, who: Identity, pupilId: number) {
  return (await childrenOfGuardian(ctx, who)).find((c) => c.id === pupilId) ?? null;
}
