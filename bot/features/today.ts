import { hears } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { callbackPattern, cb, PURPOSE, parseCallback, purposeOf } from "../callback-data.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireTeacher, schoolToday, shortDate } from "../helpers.js";
import { type LessonView, lessonTitle, sheet, todayLessons } from "../journal.js";
import { showAttendance } from "./attendance.js";
import { showLessonCard } from "./lesson-info.js";

/** /today: the teacher's lessons with what is still missing; choosing a lesson for an action. */
export const todayFeature = new Composer<BotContext>();

todayFeature.command("today", (ctx) => showToday(ctx, ctx.match));
todayFeature.filter(hears("menu-today"), (ctx) => showToday(ctx));

todayFeature.callbackQuery(callbackPattern("lessons"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [purpose] = parseCallback(ctx.callbackQuery.data)!.args;
  await ctx.answerCallbackQuery();
  await showLessonList(ctx, who, purposeOf(purpose!) ?? "attendance");
});

todayFeature.callbackQuery(callbackPattern("pick"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [purposeCode, lessonId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const today = schoolToday(ctx, who);
  // The core decides whether this lesson is the teacher's to fill (own or substituted).
  const view = await sheet(ctx, who, lessonId);
  const lesson = (await todayLessons(ctx, who, view.date)).find((l) => l.id === lessonId);
  if (!lesson) return answerOutdated(ctx);
  ctx.session.lesson = { id: lessonId, day: today, date: view.date };
  await ctx.answerCallbackQuery();
  const purpose = purposeOf(purposeCode);
  if (purpose === "attendance") return showAttendance(ctx, who, lessonId);
  await showLessonCard(ctx, view, lesson.missing);
});

const MISSING_KEYS: Record<string, string> = {
  attendance: "missing-attendance",
  topic: "missing-topic",
  homework: "missing-homework",
  control_marks: "missing-control-marks",
};

export const missingText = (ctx: BotContext, l: Pick<LessonView, "missing">) =>
  l.missing.length === 0
    ? ctx.t("lesson-complete")
    : ctx.t("lesson-missing", { what: l.missing.map((m) => ctx.t(MISSING_KEYS[m] ?? m)).join(", ") });

async function showToday(ctx: BotContext, arg = "") {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const today = schoolToday(ctx, who);
  const date = dayFromArg(today, arg);
  if (!date) return ctx.reply(ctx.t("today-usage"));
  const lessons = await todayLessons(ctx, who, date);
  if (lessons.length === 0)
    return ctx.reply(ctx.t(date === today ? "today-empty" : "day-empty", { date: shortDate(date) }));
  const lines = lessons.map((l) => `${lessonTitle(ctx, l)}\n   ${missingText(ctx, l)}`);
  const kb = new InlineKeyboard();
  for (const l of lessons) kb.text(lessonTitle(ctx, l), cb("pick", PURPOSE.card, l.id)).row();
  const title = date === today ? ctx.t("today-title") : ctx.t("day-title", { date: shortDate(date) });
  await ctx.reply(`${title}\n\n${lines.join("\n")}\n\n${ctx.t("today-hint")}`, { reply_markup: kb });
}

/** "" → today; "вчера" / "yesterday"; "23.11" → that day of the current school year. */
export function dayFromArg(today: string, arg: string): string | null {
  const a = arg.trim().toLowerCase();
  if (!a || a === "сегодня" || a === "today") return today;
  const t = DateTime.fromISO(today);
  if (a === "вчера" || a === "yesterday") return t.minus({ days: 1 }).toISODate();
  const m = /^(\d{1,2})\.(\d{1,2})$/.exec(a);
  if (!m) return null;
  let d = DateTime.fromObject({ year: t.year, month: Number(m[2]), day: Number(m[1]) });
  if (!d.isValid) return null;
  // A school year runs September to August: 23.05 in November means the coming May.
  if (d.diff(t, "months").months > 6) d = d.minus({ years: 1 });
  if (d.diff(t, "months").months < -6) d = d.plus({ years: 1 });
  return d.toISODate();
}

export async function showLessonList(ctx: BotContext, who: Identity, purpose: keyof typeof PURPOSE) {
  const lessons = await todayLessons(ctx, who, schoolToday(ctx, who));
  if (lessons.length === 0) return ctx.reply(ctx.t("today-empty"));
  const kb = new InlineKeyboard();
  for (const l of lessons) kb.text(lessonTitle(ctx, l), cb("pick", PURPOSE[purpose], l.id)).row();
  await ctx.reply(ctx.t("choose-lesson"), { reply_markup: kb });
}
