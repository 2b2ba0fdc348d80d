import { InlineKeyboard } from "grammy";
import { type ChildInfo, childrenWithClasses } from "../src/journal/invites.js";
import { cb, PURPOSE, type Purpose } from "./callback-data.js";
import type { BotContext, Identity } from "./context.js";
import { isGuardianActor } from "./helpers.js";

/**
 * The children a chat may ask about: those of every guardian linked in it. A parent with
 * children in two schools has one person per school, both linked in the same chat; each child
 * carries the person (`who`) whose rights the core checks for it.
 */
export interface ChatChild extends ChildInfo {
  who: Identity;
  /** The school's name when the chat's children are in several schools, else null. */
  school: string | null;
}

export async function childrenOfChat(ctx: BotContext): Promise<ChatChild[]> {
  const guardians = (await ctx.identities()).filter(isGuardianActor);
  const lists = await Promise.all(
    guardians.map(async (who) =>
      (await childrenWithClasses(ctx.deps.db, who.actor.schoolId, who.actor.personId)).map((c) => ({
        ...c,
        who,
      })),
    ),
  );
  const several = new Set(guardians.map((g) => g.actor.schoolId)).size > 1;
  const seen = new Set<number>();
  return lists
    .flat()
    .filter((c) => !seen.has(c.id) && seen.add(c.id))
    .map((c) => ({ ...c, school: several ? c.who.schoolName : null }));
}

/**
 * The child an action is about. One child: that one. Several (in one school or several): the
 * last one chosen when `remembered` is allowed, else the guardian is asked with buttons and null
 * is returned.
 */
export async function pickChild(
  ctx: BotContext,
  purpose: Purpose,
  remembered = true,
): Promise<ChatChild | null> {
  const children = await childrenOfChat(ctx);
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

/** "Пётр Петров, 5А" (with the school when the children are in several). */
export const childLabel = (c: ChatChild) =>
  `${c.firstName} ${c.lastName}${c.className ? `, ${c.className}` : ""}${c.school ? ` (${c.school})` : ""}`;

export async function askChild(ctx: BotContext, children: ChatChild[], purpose: Purpose) {
  const kb = new InlineKeyboard();
  for (const c of children) {
    const mark = c.id === ctx.session.childId ? "★ " : "";
    kb.text(`${mark}${childLabel(c)}`, cb("ch", PURPOSE[purpose], c.id)).row();
  }
  await ctx.reply(ctx.t("choose-child"), { reply_markup: kb });
}

/** A child of this chat's guardians by id (from a button), or null when the button is not theirs. */
export async function childById(ctx: BotContext, pupilId: number): Promise<ChatChild | null> {
  return (await childrenOfChat(ctx)).find((c) => c.id === pupilId) ?? null;
}
