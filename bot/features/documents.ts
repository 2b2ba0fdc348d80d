import { Composer, InlineKeyboard, InputFile } from "grammy";
import { DateTime } from "luxon";
import { issueClassInvites } from "../../src/journal/class-invites.js";
import { findPeriod } from "../../src/journal/diary.js";
import { ddmm } from "../../src/reports/document.js";
import { dynamicsChart } from "../../src/reports/dynamics.js";
import { renderReport } from "../../src/reports/index.js";
import { callbackPattern, cb, parseCallback } from "../callback-data.js";
import { childById } from "../children.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireDeputy, requireGuardian, requireTeacher, schoolToday } from "../helpers.js";

/**
 * Documents and pictures through the chat (issue 14): the deputy head's control report as a PDF
 * from /control, the class teacher's week of absences and invitation slips as PDFs from /class,
 * a guardian's subject dynamics chart as a photo from the diary. Access is the core's
 * (renderReport, issueClassInvites, dynamicsChart), the same as over HTTP.
 */
export const documentsFeature = new Composer<BotContext>();

/** The «📄 PDF» button under /control, for the current period. */
export async function controlPdfButton(ctx: BotContext, who: Identity): Promise<InlineKeyboard | undefined> {
  const period = await findPeriod(ctx.deps.db, who.actor, undefined);
  return period ? new InlineKeyboard().text(ctx.t("btn-pdf"), cb("ctl.pdf", period.id)) : undefined;
}

/** The «📈 График» button under a subject's marks. */
export const chartButton = (ctx: BotContext, pupilId: number, subjectId: number, periodId: number) =>
  new InlineKeyboard().text(ctx.t("btn-chart"), cb("chart", pupilId, subjectId, periodId));

documentsFeature.callbackQuery(callbackPattern("ctl.pdf"), async (ctx) => {
  const who = await requireDeputy(ctx);
  if (!who) return;
  const [periodId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  await ctx.answerCallbackQuery();
  await ctx.replyWithChatAction("upload_document");
  const json = await renderReport(ctx.deps.db, who.actor, "control", { periodId }, "json");
  const period = (JSON.parse(json.body.toString("utf8")) as { period: { name: string } }).period.name;
  const pdf = await renderReport(ctx.deps.db, who.actor, "control", { periodId }, "pdf");
  await ctx.replyWithDocument(new InputFile(pdf.body, `Контроль ведения журнала, ${period}.pdf`), {
    caption: ctx.t("control-pdf-caption", { period }),
  });
});

documentsFeature.callbackQuery(callbackPattern("chart"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const [pupilId, subjectId, periodId] = parseCallback(ctx.callbackQuery.data)!.args as [
    number,
    number,
    number,
  ];
  const child = await childById(ctx, pupilId);
  if (!child) return answerOutdated(ctx);
  await ctx.answerCallbackQuery();
  await ctx.replyWithChatAction("upload_photo");
  // As the child's school's person: one chat may follow children in several schools.
  const chart = await dynamicsChart(ctx.deps.db, child.who.actor, { pupilId, subjectId, periodId });
  await ctx.replyWithPhoto(new InputFile(chart.png, "chart.png"), { caption: chart.caption });
});

/** The class teacher's two documents under /class. */
export const classDocumentButtons = (ctx: BotContext, classId: number) =>
  new InlineKeyboard()
    .text(ctx.t("btn-absences-pdf"), cb("abs.pdf", classId))
    .text(ctx.t("btn-slips-pdf"), cb("slips.pdf", classId));

documentsFeature.callbackQuery(callbackPattern("abs.pdf"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [classId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  await ctx.answerCallbackQuery();
  await ctx.replyWithChatAction("upload_document");
  const to = schoolToday(ctx, who);
  const from = DateTime.fromISO(to).startOf("week").toISODate()!;
  const pdf = await renderReport(ctx.deps.db, who.actor, "absences", { classId, from, to }, "pdf");
  await ctx.replyWithDocument(new InputFile(pdf.body, `Пропуски за неделю, ${ddmm(from)}–${ddmm(to)}.pdf`), {
    caption: ctx.t("absences-pdf-caption"),
  });
});

documentsFeature.callbackQuery(callbackPattern("slips.pdf"), async (ctx) => {
  const who = await requireTeacher(ctx);
  if (!who) return;
  const [classId] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  await ctx.answerCallbackQuery();
  const result = await issueClassInvites(ctx.deps.db, who.actor, { classId });
  if (result.invites.length === 0) return ctx.reply(ctx.t("slips-none"));
  await ctx.replyWithChatAction("upload_document");
  const school = await ctx.deps.db.school.findUniqueOrThrow({
    where: { id: who.actor.schoolId },
    select: { name: true, timeZone: true },
  });
  const { inviteSlipsPdf } = await import("../../src/reports/invite-slips.js");
  const pdf = await inviteSlipsPdf(result.invites, {
    schoolName: school.name,
    className: result.class.name,
    botUsername: ctx.me.username ?? null,
    expiresAt: result.expiresAt,
    timeZone: school.timeZone,
  });
  await ctx.replyWithDocument(new InputFile(pdf, `Приглашения родителям ${result.class.name}.pdf`), {
    caption: ctx.t("slips-pdf-caption", { count: result.invites.length }),
  });
});
