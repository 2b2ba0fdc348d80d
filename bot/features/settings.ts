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
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireIdentity } from "../helpers.js";

/** Alert kinds, instant or daily digest and its time, quiet hours, language, unlinking. */
export const settingsFeature = new Composer<BotContext>();

settingsFeature.command("settings", (ctx) => show(ctx));
settingsFeature.filter(hears("menu-settings"), (ctx) => show(ctx));

const KINDS = ["marks", "homework", "absences", "messages"] as const;

settingsFeature.callbackQuery(callbackPattern("set"), async (ctx) => {
  const who = await ctx.identity();
  const setting = settingOf(parseCallback(ctx.callbackQuery.data)!.args[0]!);
  if (!who || !setting) return answerOutdated(ctx);
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
    await ctx.editMessageText(text(ctx, saved), { reply_markup: keyboard(ctx, saved) });
  } else if (setting === "digest") {
    ctx.session.awaiting = { kind: "digest-time" };
    await ctx.reply(ctx.t("set-digest-ask"));
  } else if (setting === "quiet") {
    ctx.session.awaiting = { kind: "quiet-hours" };
    await ctx.reply(ctx.t("set-quiet-ask"));
  } else if (setting === "unlink") {
    await unlinkChat(ctx.deps.db, { chatId: ctx.chat!.id });
    ctx.forgetIdentity();
    ctx.session = {};
    await ctx.editMessageText(ctx.t("unlinked"));
  }
});

settingsFeature.on("message:text").filter(
  (ctx) => ctx.session.awaiting?.kind === "digest-time" || ctx.session.awaiting?.kind === "quiet-hours",
  async (ctx) => {
    const kind = ctx.session.awaiting?.kind;
    const who = await requireIdentity(ctx);
    if (!who) return;
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
    await show(ctx, ctx.t("set-saved"));
  },
);

async function show(ctx: BotContext, prefix?: string) {
  const who = await requireIdentity(ctx);
  if (!who) return;
  const prefs = await getPreferences(ctx.deps.db, who.actor);
  await ctx.reply(prefix ? `${prefix}\n\n${text(ctx, prefs)}` : text(ctx, prefs), {
    reply_markup: keyboard(ctx, prefs),
  });
}

async function save(ctx: BotContext, who: Identity, change: Record<string, unknown>) {
  const prefs = await updatePreferences(ctx.deps.db, who.actor, change);
  await ctx.editMessageText(text(ctx, prefs), { reply_markup: keyboard(ctx, prefs) });
}

const onOff = (v: boolean) => (v ? "✅" : "❌");

function text(ctx: BotContext, p: Preferences): string {
  return [
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

function keyboard(ctx: BotContext, p: Preferences) {
  const kb = new InlineKeyboard();
  const btn = (label: string, s: SettingCode) => kb.text(label, cb("set", settingCode(s)));
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
