import { Keyboard } from "grammy";
import { hasRole, isSchoolWide, isStaff } from "../src/journal/actor.js";
import { schoolToday as schoolDate } from "../src/journal/rules/calendar.js";
import type { BotContext, Identity } from "./context.js";

/** The linked person, or a hint how to link and null. */
export async function requireIdentity(ctx: BotContext): Promise<Identity | null> {
  const who = await ctx.identity();
  if (!who) await ctx.reply(ctx.t("not-linked"));
  return who;
}

export const isTeacherActor = (who: Identity) => hasRole(who.actor, "TEACHER", "DEPUTY", "ADMIN");
export const isGuardianActor = (who: Identity) => hasRole(who.actor, "GUARDIAN");

/**
 * A command for some roles only: the chat's first linked person who may use it (one chat can
 * serve a teacher's link in one school and a parent's in another); others get `refusal` (a
 * locale key) and null.
 */
async function requireActor(ctx: BotContext, allowed: (who: Identity) => boolean, refusal: string) {
  const all = await ctx.identities();
  if (all.length === 0) {
    await ctx.reply(ctx.t("not-linked"));
    return null;
  }
  const who = all.find(allowed);
  if (!who) await ctx.reply(ctx.t(refusal));
  return who ?? null;
}

/** The chat's teacher link, without answering anything (for free text that may be a marks line). */
export const teacherIdentity = async (ctx: BotContext) =>
  (await ctx.identities()).find(isTeacherActor) ?? null;

export const requireTeacher = (ctx: BotContext) => requireActor(ctx, isTeacherActor, "only-teachers");
export const requireGuardian = (ctx: BotContext) => requireActor(ctx, isGuardianActor, "only-guardians");
export const requireDeputy = (ctx: BotContext) =>
  requireActor(ctx, (who) => isSchoolWide(who.actor), "only-deputy");

/** The school's local date "YYYY-MM-DD" (the time zone comes with the identity). */
export const schoolToday = (ctx: BotContext, who: Identity): string => schoolDate(who.timeZone, ctx.now());

export function nextNonce(ctx: BotContext): number {
  ctx.session.nonce = ((ctx.session.nonce ?? 0) + 1) % 1_000_000;
  return ctx.session.nonce;
}

/** Answers a button press on a message that no longer means anything; changes nothing. */
export async function answerOutdated(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t("outdated"), show_alert: false });
}

/** The keyboard under the input field: what the people of this chat do most. */
export function mainMenu(ctx: BotContext, all: Identity[]): Keyboard {
  const kb = new Keyboard();
  if (all.some((who) => isStaff(who.actor) && isTeacherActor(who))) {
    kb.text(ctx.t("menu-today")).text(ctx.t("menu-attendance")).row();
  }
  if (all.some((who) => isSchoolWide(who.actor))) kb.text(ctx.t("menu-control")).row();
  if (all.some(isGuardianActor)) {
    kb.text(ctx.t("menu-diary")).text(ctx.t("menu-timetable")).row();
    kb.text(ctx.t("menu-absence")).text(ctx.t("menu-write")).row();
  }
  kb.text(ctx.t("menu-inbox")).text(ctx.t("menu-settings"));
  return kb.resized().persistent();
}

export const fullName = (p: { lastName: string; firstName: string }) => `${p.lastName} ${p.firstName}`;
export const politeName = (p: { firstName: string; middleName?: string | null }) =>
  p.middleName ? `${p.firstName} ${p.middleName}` : p.firstName;

/** "5 А" style class name. */
export const className = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;

/** Short date "24.11" (or with the weekday) from "YYYY-MM-DD". */
export const shortDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;
