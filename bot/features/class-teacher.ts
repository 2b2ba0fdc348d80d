import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { classAbsences, setAbsenceReasons } from "../../src/journal/attendance.js";
import { classesLed, classPupils } from "../../src/journal/roster.js";
import {
  ABSENCE_REASONS,
  callbackPattern,
  cb,
  parseCallback,
  reasonCode,
  reasonOf,
} from "../callback-data.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, className, requireTeacher, schoolToday, shortDate } from "../helpers.js";
import { ackCount, send } from "../messaging.js";
import { classDocumentButtons } from "./documents.js";
import { ackKeyboard, ackText, trackAck } from "./messages.js";

/**
 * The class teacher's corner: a message to all guardians of the class or to one pupil's
 * guardians (with "Ознакомлен" and a live count), and absence reasons for the week.
 */
export const classTeacherFeature = new Composer<BotContext>();

classTeacherFeature.command("class", async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const classes = await ledToday(ctx, who);
  if (classes.length === 0) return ctx.reply(ctx.t("class-none"));
  for (const c of classes) {
    const kb = new InlineKeyboard()
      .text(ctx.t("ct-btn-all", { cls: className(c) }), cb("ctm", c.id, 0))
      .row()
      .text(ctx.t("ct-btn-pupil"), cb("ctp", c.id))
      .text(ctx.t("ct-btn-absences"), cb("cta", c.id))
      .row()
      .append(classDocumentButtons(ctx, c.id));
    await ctx.reply(ctx.t("ct-title", { cls: className(c) }), { reply_markup: kb });
  }
});

classTeacherFeature.callbackQuery(callbackPattern("ctp"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [classId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const pupils = await classPupils(ctx.deps.db, who.actor, { classId });
  const kb = new InlineKeyboard();
  pupils.forEach((p, i) => {
    kb.text(`${p.lastName} ${p.firstName}`, cb("ctm", classId, p.id));
    if (i % 2 === 1) kb.row();
  });
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("ct-choose-pupil"), { reply_markup: kb });
});

classTeacherFeature.callbackQuery(callbackPattern("ctm"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [classId, pupilId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  if (!(await ledToday(ctx, who)).some((c) => c.id === classId)) return answerOutdated(ctx);
  ctx.session.awaiting = { kind: "class-message", classId, pupilId: pupilId || null };
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t(pupilId ? "ct-ask-pupil" : "ct-ask-class"));
});

classTeacherFeature.on("message:text").filter(
  (ctx) => ctx.session.awaiting?.kind === "class-message",
  async (ctx) => {
    const awaiting = ctx.session.awaiting;
    if (awaiting?.kind !== "class-message") return;
    const who = await requireTeacher(ctx);
    if (!who) return;
    const messageId = await send(ctx, who.actor, {
      kind: awaiting.pupilId ? "DIRECT" : "CLASS",
      classId: awaiting.classId,
      ...(awaiting.pupilId ? { pupilId: awaiting.pupilId } : {}),
      body: ctx.message.text,
      needsAck: true,
    });
    ctx.session.awaiting = undefined;
    const count = await ackCount(ctx, who.actor, messageId);
    const shown = await ctx.reply(`${ctx.t("ct-sent")}\n${ackText(ctx, count)}`, {
      reply_markup: ackKeyboard(ctx, messageId),
    });
    await trackAck(ctx, who.actor, messageId, ctx.chat.id, shown.message_id);
  },
);

classTeacherFeature.callbackQuery(callbackPattern("cta"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [classId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  await ctx.answerCallbackQuery();
  await showAbsences(ctx, who, classId);
});

classTeacherFeature.callbackQuery(callbackPattern("rs"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [attendanceId, code] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const reason = reasonOf(code);
  if (!reason) return answerOutdated(ctx);
  await setAbsenceReasons(ctx.deps.db, who.actor, { items: [{ attendanceId, reason }] });
  await ctx.answerCallbackQuery({ text: ctx.t("rs-saved", { reason: ctx.t(`reason-${reason}`) }) });
  await ctx.editMessageReplyMarkup();
});

const MAX_ABSENCES = 10;

async function showAbsences(ctx: BotContext, who: Identity, classId: number) {
  const today = schoolToday(ctx, who);
  const from = DateTime.fromISO(today).startOf("week").toISODate()!;
  const rows = await classAbsences(ctx.deps.db, who.actor, { classId, from, to: today });
  const absent = rows.filter((r) => r.kind === "ABSENT");
  if (absent.length === 0)
    return ctx.reply(ctx.t("rs-none", { from: shortDate(from), to: shortDate(today) }));
  const lines = [ctx.t("rs-title", { from: shortDate(from), to: shortDate(today) })];
  for (const r of absent) {
    const reason = r.reason ? ctx.t(`reason-${r.reason}`) : ctx.t("rs-unknown");
    lines.push(
      `${shortDate(r.date)} ${r.lessonNumber}. ${r.subject.name} — ${r.pupil.lastName} ${r.pupil.firstName}: ${reason}`,
    );
  }
  await ctx.reply(lines.join("\n"));
  // One small message per absence without a reason, with the three reasons as buttons.
  for (const r of absent.filter((a) => !a.reason).slice(0, MAX_ABSENCES)) {
    const kb = new InlineKeyboard();
    for (const reason of ABSENCE_REASONS)
      kb.text(ctx.t(`reason-${reason}`), cb("rs", r.attendanceId, reasonCode(reason)));
    await ctx.reply(`${shortDate(r.date)} ${r.subject.name}: ${r.pupil.lastName} ${r.pupil.firstName}`, {
      reply_markup: kb,
    });
  }
}

/** Classes this person leads today (administration: none here; they use the API). */
const ledToday = (ctx: BotContext, who: Identity) =>
  classesLed(ctx.deps.db, who.actor, { date: schoolToday(ctx, who) });
