import { hears } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import { unlinkChat } from "../../src/journal/invites.js";
import { getPreferences, type Preferences, updatePreferences } from "../../src/journal/preferences.js";
import {
  callbackPattern,
  cb,
  parseCallback,
  type SettingCode,
  settingCode,
  settingOf,
} from "../callback-data.js";
import { childrenOfChat } from "../children.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, politeName, requireIdentity } from "../helpers.js";

/** Alert kinds, instant or daily digest and its time, quiet hours, language, unlinking. */
export const settingsFeature = new Composer<BotContext>();

settingsFeature.command("settings", (ctx) => open(ctx));
settingsFeature.filter(hears("menu-settings"), (ctx) => open(ctx));

const KINDS = ["marks", "homework", "absences", "messages"] as const;

/** Settings are a person's: one linked person — theirs; several (a parent in two schools) — whose? */
async function open(ctx: BotContext) {
  if (!(await requireIdentity(ctx))) return;
  const all = await ctx.identities();
  if (all.length === 1) return show(ctx, all[0]!);
  const kb = new InlineKeyboard();
  for (const who of all) kb.text(await label(ctx, who), cb("set.o", who.actor.personId)).row();
  await ctx.reply(ctx.t("choose-settings"), { reply_markup: kb });
}

/** "Пётр, Анна, Гимназия № 3": the children (or the person's name) and the school. */
async function label(ctx: BotContext, who: Identity) {
  const names = (await childrenOfChat(ctx))
    .filter((c) => c.who.actor.personId === who.actor.personId)
    .map((c) => c.firstName);
  return ctx.t("settings-of", {
    name: names.length > 0 ? names.join(", ") : politeName(who.person),
    school: who.schoolName,
  });
}

/** One of this chat's people by id (from a button), or null when the button is not theirs. */
const personOf = async (ctx: BotContext, personId: number | undefined) =>
  (await ctx.identities()).find((w) => w.actor.personId === personId) ?? null;

settingsFeature.callbackQuery(callbackPattern("set.o"), async (ctx) => {
  const who = await personOf(ctx, parseCallback(ctx.callbackQuery.data)!.args[0]);
  if (!who) return answerOutdated(ctx);
  await ctx.answerCallbackQuery();
  await show(ctx, who);
});

settingsFeature.callbackQuery(callbackPattern("set.p"), async (ctx) => {
  const [personId, code] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const who = await personOf(ctx, personId);
  const setting = settingOf(code);
  if (!who || !setting) return answerOutdated(ctx);
  await change(ctx, who, setting);
});

// Keyboards sent before one chat could serve several people: they meant the chat's person.
settingsFeature.callbackQuery(callbackPattern("set"), async (ctx) => {
  const who = await ctx.identity();
  const setting = settingOf(parseCallback(ctx.callbackQuery.data)!.args[0]!);
  if (!who || !setting) return answerOutdated(ctx);
  await change(ctx, who, setting);
});

async function change(ctx: BotContext, who: Identity, setting: SettingCode) {
  const prefs = await getPreferences(ctx.deps.db, who.actor);
  await ctx.answerCallbackQuery();
  if ((KINDS as readonly string[]).includes(setting)) {
    const kind = setting as (typeof KINDS)[number];
    await save(ctx, who, { [kind]: !prefs[kind] });
  } else if (setting === "mode") {
    await save(ctx, who, { mode: prefs.mode === "INSTANT" ? "DIGEST" : "INSTANT" });
  } else if (setting === "lang") {
    const next = (await ctx.i18n.getLocale()) === "en" ? "ru" : "en";
    // The person's language also decides the language of the alerts the worker sends.
    const saved = await updatePreferences(ctx.deps.db, who.actor, { language: next });
    await ctx.i18n.setLocale(next);
    ctx.forgetIdentity();
    await ctx.editMessageText(await text(ctx, who, saved), { reply_markup: keyboard(ctx, who, saved) });
  } else if (setting === "digest") {
    ctx.session.awaiting = { kind: "digest-time", personId: who.actor.personId };
    await ctx.reply(ctx.t("set-digest-ask"));
  } else if (setting === "quiet") {
    ctx.session.awaiting = { kind: "quiet-hours", personId: who.actor.personId };
    await ctx.reply(ctx.t("set-quiet-ask"));
  } else if (setting === "unlink") {
    await unlinkChat(ctx.deps.db, { chatId: ctx.chat!.id });
    ctx.forgetIdentity();
    ctx.session = {};
    await ctx.editMessageText(ctx.t("unlinked"));
  }
}

settingsFeature.on("message:text").filter(
  (ctx) => ctx.session.awaiting?.kind === "digest-time" || ctx.session.awaiting?.kind === "quiet-hours",
  async (ctx) => {
    const awaiting = ctx.session.awaiting;
    if (!(await requireIdentity(ctx)) || !awaiting || !("personId" in awaiting)) return;
    const who = (await personOf(ctx, awaiting.personId)) ?? (await ctx.identity());
    if (!who) return;
    const kind = awaiting.kind;
    const input = ctx.message.text.trim().replace(/\s+/g, "");
    const time = (s: string) => (/^\d:\d\d$/.test(s) ? `0${s}` : s);
    if (kind === "digest-time") {
      await updatePreferences(ctx.deps.db, who.actor, { mode: "DIGEST", digestTime: time(input) });
    } else if (/^(нет|no|off|-)$/i.test(input)) {
      await updatePreferences(ctx.deps.db, who.actor, { quietStart: null, quietEnd: null });
    } else {
      const [start = "", end = ""] = input.split(/[-–—]/);
      await updatePreferences(ctx.deps.db, who.actor, { quietStart: time(start), quietEnd: time(end) });
    }
    // Only a value the core accepted ends the question; a wrong one leaves it open for another try.
    ctx.session.awaiting = undefined;
    await show(ctx, who, ctx.t("set-saved"));
  },
);

async function show(ctx: BotContext, who: Identity, prefix?: string) {
  const prefs = await getPreferences(ctx.deps.db, who.actor);
  const body = await text(ctx, who, prefs);
  await ctx.reply(prefix ? `${prefix}\n\n${body}` : body, { reply_markup: keyboard(ctx, who, prefs) });
}

async function save(ctx: BotContext, who: Identity, change: Record<string, unknown>) {
  const prefs = await updatePreferences(ctx.deps.db, who.actor, change);
  await ctx.editMessageText(await text(ctx, who, prefs), { reply_markup: keyboard(ctx, who, prefs) });
}

const onOff = (v: boolean) => (v ? "✅" : "❌");

/** The settings' text; whose they are comes first when the chat serves several people. */
async function text(ctx: BotContext, who: Identity, p: Preferences): Promise<string> {
  const several = (await ctx.identities()).length > 1;
  return [
    ...(several ? [await label(ctx, who)] : []),
    ctx.t("set-title"),
    ...KINDS.map((k) => `${onOff(p[k])} ${ctx.t(`set-kind-${k}`)}`),
    p.mode === "INSTANT" ? ctx.t("set-mode-instant") : ctx.t("set-mode-digest", { time: p.digestTime }),
    ctx.t(p.effectiveQuiet.fromSchool ? "set-quiet-school" : "set-quiet-own", {
      start: p.effectiveQuiet.start,
      end: p.effectiveQuiet.end,
    }),
    ctx.t("set-lang-current"),
  ].join("\n");
}

function keyboard(ctx: BotContext, who: Identity, p: Preferences) {
  const kb = new InlineKeyboard();
  const btn = (label: string, s: SettingCode) =>
    kb.text(label, cb("set.p", who.actor.personId, settingCode(s)));
  KINDS.forEach((k, i) => {
    btn(`${onOff(p[k])} ${ctx.t(`set-kind-${k}`)}`, k);
    if (i % 2 === 1) kb.row();
  });
  btn(p.mode === "INSTANT" ? ctx.t("set-btn-digest") : ctx.t("set-btn-instant"), "mode");
  btn(ctx.t("set-btn-digest-time"), "digest").row();
  btn(ctx.t("set-btn-quiet"), "quiet");
  btn(ctx.t("set-btn-lang"), "lang").row();
  btn(ctx.t("set-btn-unlink"), "unlink");
  return kb;
}
