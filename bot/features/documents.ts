import { Composer, InlineKeyboard, InputFile } from "grammy";
import { findPeriod } from "../../src/journal/diary.js";
import { dynamicsChart } from "../../src/reports/dynamics.js";
import { renderReport } from "../../src/reports/index.js";
import { callbackPattern, cb, parseCallback } from "../callback-data.js";
import { childById } from "../children.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireDeputy, requireGuardian } from "../helpers.js";

/**
 * Documents and pictures through the chat (issue 14): the deputy head's control report as a PDF
 * from /control, a guardian's subject dynamics chart as a photo from the diary. Access is the
 * read models' (renderReport, dynamicsChart), the same as over HTTP.
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
