import { Composer, InlineKeyboard } from "grammy";
import { updateLesson } from "../../src/journal/lessons.js";
import { listControlForms } from "../../src/journal/roster.js";
import { callbackPattern, cb, PURPOSE, parseCallback } from "../callback-data.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireTeacher, schoolToday } from "../helpers.js";
import { chosenLesson, type LessonView, lessonTitle, type SheetView, sheet } from "../journal.js";
import { withoutMarks } from "./marks.js";
import { missingText } from "./today.js";

/** Topic, homework and the form of control of the current (or chosen) lesson. */
export const lessonInfoFeature = new Composer<BotContext>();

lessonInfoFeature.command("topic", (ctx) => setText(ctx, "topic", ctx.match));
lessonInfoFeature.command(["hw", "homework"], (ctx) => setText(ctx, "homework", ctx.match));
lessonInfoFeature.command("kr", async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const lesson = await chosenLesson(ctx, who, schoolToday(ctx, who));
  if (!lesson) return ctx.reply(ctx.t("no-current-lesson"));
  await showForms(ctx, who, await sheet(ctx, who, lesson.id));
});

lessonInfoFeature.callbackQuery(callbackPattern("forms"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [lessonId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  await ctx.answerCallbackQuery();
  await showForms(ctx, who, await sheet(ctx, who, lessonId));
});

lessonInfoFeature.callbackQuery(callbackPattern("hw.none"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [lessonId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  await updateLesson(ctx.deps.db, who.actor, { lessonId, homeworkNone: true });
  await ctx.answerCallbackQuery({ text: ctx.t("hw-none-saved") });
  await ctx.reply(ctx.t("hw-none-saved"));
});

lessonInfoFeature.callbackQuery(callbackPattern("kr"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [lessonId, formId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const forms = await controlForms(ctx, who);
  const form = forms.find((f) => f.id === formId);
  if (!form) return answerOutdated(ctx);
  await updateLesson(ctx.deps.db, who.actor, { lessonId, controlFormId: formId });
  await ctx.answerCallbackQuery();
  const view = await sheet(ctx, who, lessonId);
  const lines = [ctx.t("kr-set", { form: form.name, weight: form.weight })];
  if (form.isControlWork) lines.push(withoutMarks(ctx, view));
  await ctx.editMessageText(lines.join("\n"));
});

async function setText(ctx: BotContext, field: "topic" | "homework", raw: string) {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const value = raw.trim();
  if (!value) return ctx.reply(ctx.t(field === "topic" ? "topic-usage" : "hw-usage"));
  const lesson = await chosenLesson(ctx, who, schoolToday(ctx, who));
  if (!lesson) return ctx.reply(ctx.t("no-current-lesson"));
  await updateLesson(ctx.deps.db, who.actor, { lessonId: lesson.id, [field]: value });
  await ctx.reply(
    ctx.t(field === "topic" ? "topic-saved" : "hw-saved", { lesson: lessonTitle(ctx, lesson) }),
  );
}

/** The card of one lesson: what is filled and the actions. */
export async function showLessonCard(ctx: BotContext, view: SheetView, missing: LessonView["missing"]) {
  const lines = [
    lessonTitle(ctx, view),
    `${ctx.t("card-topic")}: ${view.topic ?? "—"}`,
    `${ctx.t("card-homework")}: ${view.homeworkNone ? ctx.t("hw-none") : (view.homework ?? "—")}`,
    `${ctx.t("card-form")}: ${view.controlForm ? `${view.controlForm.name} ×${view.controlForm.weight}` : "—"}`,
    missingText(ctx, { missing }),
    "",
    ctx.t("card-hint"),
  ];
  const kb = new InlineKeyboard()
    .text(ctx.t("btn-attendance"), cb("pick", PURPOSE.attendance, view.id))
    .text(ctx.t("btn-form"), cb("forms", view.id))
    .row();
  if (view.class.grade !== 1) kb.text(ctx.t("btn-hw-none"), cb("hw.none", view.id));
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
}

async function showForms(ctx: BotContext, who: Identity, view: SheetView) {
  const forms = await controlForms(ctx, who);
  const kb = new InlineKeyboard();
  for (const f of forms) kb.text(`${f.name} ×${f.weight}`, cb("kr", view.id, f.id)).row();
  const current = view.controlForm
    ? ctx.t("kr-current", { form: view.controlForm.name, weight: view.controlForm.weight })
    : ctx.t("kr-none");
  const extra = view.controlForm?.isControlWork ? `\n${withoutMarks(ctx, view)}` : "";
  await ctx.reply(`${lessonTitle(ctx, view)}\n${current}${extra}\n${ctx.t("kr-choose")}`, {
    reply_markup: kb,
  });
}

/** The school's forms of control, lightest first (the core's read model). */
const controlForms = (ctx: BotContext, who: Identity) => listControlForms(ctx.deps.db, who.actor);
