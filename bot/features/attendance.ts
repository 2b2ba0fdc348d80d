import { hears } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import { recordAttendance } from "../../src/journal/attendance.js";
import { callbackPattern, cb, PURPOSE, parseCallback } from "../callback-data.js";
import type { BotContext, Identity, SessionData } from "../context.js";
import { answerOutdated, requireTeacher, schoolToday } from "../helpers.js";
import { chosenLesson, lessonTitle, type SheetView, sheet } from "../journal.js";

/**
 * Attendance by taps: one message with the class list; a tap cycles present → absent → late →
 * present; "Все на месте" clears; Save writes the whole lesson through the core. The draft lives
 * in the session with the id of the message it belongs to, so a press on an older copy is refused.
 */
export const attendanceFeature = new Composer<BotContext>();

attendanceFeature.command(["att", "attendance"], (ctx) => openCurrent(ctx));
attendanceFeature.filter(hears("menu-attendance"), (ctx) => openCurrent(ctx));

attendanceFeature.callbackQuery(callbackPattern("att.t"), async (ctx) => {
  const [lessonId, pupilId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const draft = currentDraft(ctx, lessonId);
  if (!draft) return answerOutdated(ctx);
  const key = String(pupilId);
  const state = draft.marks[key];
  if (state === undefined) draft.marks[key] = "A";
  else if (state === "A") draft.marks[key] = "L";
  else delete draft.marks[key];
  await ctx.answerCallbackQuery();
  await redraw(ctx, draft);
});

attendanceFeature.callbackQuery(callbackPattern("att.all"), async (ctx) => {
  const [lessonId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const draft = currentDraft(ctx, lessonId);
  if (!draft) return answerOutdated(ctx);
  draft.marks = {};
  await ctx.answerCallbackQuery({ text: ctx.t("att-all-present") });
  await redraw(ctx, draft);
});

attendanceFeature.callbackQuery(callbackPattern("att.s"), async (ctx) => {
  const [lessonId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const draft = currentDraft(ctx, lessonId);
  if (!draft) return answerOutdated(ctx);
  const who = await requireTeacher(ctx);
  if (!who) return;
  const entries = Object.entries(draft.marks).map(([pupilId, s]) => ({
    pupilId: Number(pupilId),
    kind: s === "A" ? ("ABSENT" as const) : ("LATE" as const),
  }));
  await recordAttendance(ctx.deps.db, who.actor, { lessonId, entries });
  ctx.session.attendance = undefined;
  const absent = entries.filter((e) => e.kind === "ABSENT").length;
  const late = entries.length - absent;
  await ctx.answerCallbackQuery({ text: ctx.t("att-saved-short") });
  // The summary is made from the message itself (its title line and the buttons' names).
  const message = ctx.callbackQuery.message;
  const title = (message?.text ?? "").split("\n")[0]!.replace(/^[^:]+: /, "");
  const names = (state: "A" | "L") =>
    (message?.reply_markup?.inline_keyboard ?? [])
      .flat()
      .flatMap((b) => {
        const parsed = parseCallback("callback_data" in b ? b.callback_data : undefined);
        if (parsed?.kind !== "att.t" || draft.marks[String(parsed.args[1])] !== state) return [];
        return [b.text.replace(/^\S+ /, "").replace(/ \([^)]*\)$/, "")];
      })
      .join(", ");
  const lines = [title, ctx.t("att-saved", { absent, late })];
  if (absent) lines.push(`${ctx.t("att-absent-list")}: ${names("A")}`);
  if (late) lines.push(`${ctx.t("att-late-list")}: ${names("L")}`);
  await ctx.editMessageText(lines.join("\n"));
});

type Draft = NonNullable<SessionData["attendance"]>;

function currentDraft(ctx: BotContext, lessonId: number): Draft | null {
  const draft = ctx.session.attendance;
  const messageId = ctx.callbackQuery?.message?.message_id;
  if (!draft || draft.lessonId !== lessonId) return null;
  if (draft.messageId !== undefined && draft.messageId !== messageId) return null;
  return draft;
}

async function openCurrent(ctx: BotContext) {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const lesson = await chosenLesson(ctx, who, schoolToday(ctx, who));
  if (!lesson) return ctx.reply(ctx.t("no-current-lesson"));
  await showAttendance(ctx, who, lesson.id);
}

/** Sends the attendance message for a lesson, starting from what is saved. */
export async function showAttendance(ctx: BotContext, who: Identity, lessonId: number) {
  const view = await sheet(ctx, who, lessonId);
  const marks: Draft["marks"] = {};
  for (const p of view.pupils) {
    if (p.attendance?.kind === "ABSENT") marks[String(p.pupilId)] = "A";
    if (p.attendance?.kind === "LATE") marks[String(p.pupilId)] = "L";
  }
  const draft: Draft = { lessonId, marks };
  const sent = await ctx.reply(text(ctx, view), { reply_markup: keyboard(ctx, view, draft) });
  draft.messageId = sent.message_id;
  ctx.session.attendance = draft;
}

/**
 * A tap only changes icons: the keyboard is rebuilt from the message's own buttons, so taps cost
 * no database reads (names stay in Telegram's message, not in the session).
 */
async function redraw(ctx: BotContext, draft: Draft) {
  const current = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard ?? [];
  const rows = current.map((row) =>
    row.map((b) => {
      const data = "callback_data" in b ? b.callback_data : undefined;
      const parsed = parseCallback(data);
      if (!data || parsed?.kind !== "att.t") return b;
      const name = b.text.replace(/^\S+ /, "").replace(/ \([^)]*\)$/, "");
      return { text: pupilLabel(ctx, name, draft.marks[String(parsed.args[1])]), callback_data: data };
    }),
  );
  await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: rows } });
}

function pupilLabel(ctx: BotContext, name: string, state: "A" | "L" | undefined) {
  if (state === "A") return `❌ ${name} (${ctx.t("att-absent")})`;
  if (state === "L") return `⏰ ${name} (${ctx.t("att-late")})`;
  return `✅ ${name}`;
}

const text = (ctx: BotContext, view: SheetView) =>
  `${ctx.t("att-title")}: ${lessonTitle(ctx, view)}\n${ctx.t("att-hint")}`;

function keyboard(ctx: BotContext, view: SheetView, draft: Draft) {
  const kb = new InlineKeyboard();
  view.pupils.forEach((p, i) => {
    const label = pupilLabel(ctx, `${p.lastName} ${p.firstName[0]}.`, draft.marks[String(p.pupilId)]);
    kb.text(label, cb("att.t", view.id, p.pupilId));
    if (i % 2 === 1) kb.row();
  });
  kb.row()
    .text(ctx.t("att-btn-all"), cb("att.all", view.id))
    .text(ctx.t("att-btn-save"), cb("att.s", view.id))
    .row()
    .text(ctx.t("btn-other-lesson"), cb("lessons", PURPOSE.attendance));
  return kb;
}
