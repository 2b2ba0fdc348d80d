import { Composer, InlineKeyboard } from "grammy";
import { postMarks } from "../../src/journal/marks.js";
import { recentMarksByAuthor } from "../../src/journal/marks-read.js";
import { formatMark } from "../../src/journal/rules/marks.js";
import { isoOf } from "../../src/journal/validate.js";
import { callbackPattern, cb, parseCallback } from "../callback-data.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireTeacher, shortDate } from "../helpers.js";

/**
 * Corrections: the teacher picks one of the marks they gave and types the new value. Inside the
 * lock window the core changes it (with a history row); after it, the core's refusal explains
 * who can correct and for which reasons.
 */
export const correctionsFeature = new Composer<BotContext>();

correctionsFeature.command(["fix", "correct"], async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const marks = await recentMarks(ctx, who);
  if (marks.length === 0) return ctx.reply(ctx.t("fix-none"));
  const kb = new InlineKeyboard();
  for (const m of marks) {
    kb.text(
      `${shortDate(isoOf(m.lesson.date))} ${m.pupil.lastName} ${m.pupil.firstName[0]}. — ${formatMark(m)} (${m.lesson.subject.name})`,
      cb("cor", m.id),
    ).row();
  }
  await ctx.reply(ctx.t("fix-choose"), { reply_markup: kb });
});

correctionsFeature.callbackQuery(callbackPattern("cor"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [markId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const mark = (await recentMarks(ctx, who)).find((m) => m.id === markId);
  if (!mark) return answerOutdated(ctx);
  ctx.session.awaiting = { kind: "correction", markId };
  await ctx.answerCallbackQuery();
  await ctx.reply(
    ctx.t("fix-ask", { pupil: `${mark.pupil.lastName} ${mark.pupil.firstName}`, value: formatMark(mark) }),
  );
});

correctionsFeature.on("message:text").filter(
  (ctx) => ctx.session.awaiting?.kind === "correction",
  async (ctx) => {
    const awaiting = ctx.session.awaiting;
    if (awaiting?.kind !== "correction") return;
    ctx.session.awaiting = undefined;
    const who = await requireTeacher(ctx);
    if (!who) return;
    const mark = (await recentMarks(ctx, who)).find((m) => m.id === awaiting.markId);
    if (!mark) return ctx.reply(ctx.t("outdated"));
    await postMarks(ctx.deps.db, who.actor, {
      lessonId: mark.lessonId,
      controlFormId: mark.controlFormId ?? undefined,
      marks: [{ pupilId: mark.pupilId, value: ctx.message.text.trim() }],
    });
    await ctx.reply(
      ctx.t("fix-done", {
        pupil: `${mark.pupil.lastName} ${mark.pupil.firstName}`,
        value: ctx.message.text.trim(),
      }),
    );
  },
);

/** The marks this teacher gave lately (a read-only list to choose from). */
const recentMarks = (ctx: BotContext, who: Identity) =>
  recentMarksByAuthor(ctx.deps.db, who.actor, { limit: 10 });
