import { hears } from "@grammyjs/i18n";
import { Composer } from "grammy";
import { lateLessons } from "../../src/journal/control.js";
import { shortName } from "../../src/journal/names.js";
import type { BotContext } from "../context.js";
import { requireDeputy, shortDate } from "../helpers.js";
import { controlPdfButton } from "./documents.js";

/** /control for the deputy head: per teacher, lessons past the fill deadline and what is missing. */
export const controlFeature = new Composer<BotContext>();

controlFeature.command("control", (ctx) => show(ctx));
controlFeature.filter(hears("menu-control"), (ctx) => show(ctx));

const MAX_LINES = 40;

async function show(ctx: BotContext) {
  const who = await requireDeputy(ctx);
  if (!who) return;
  const report = await lateLessons(ctx.deps.db, who.actor, {}, ctx.now());
  const reply_markup = await controlPdfButton(ctx, who);
  if (report.teachers.length === 0) {
    return ctx.reply(ctx.t("control-clean", { from: shortDate(report.from), to: shortDate(report.to) }), {
      reply_markup,
    });
  }
  const lines = [ctx.t("control-title", { from: shortDate(report.from), to: shortDate(report.to) })];
  let shown = 0;
  for (const t of report.teachers) {
    lines.push("", `👤 ${shortName(t.teacher)} — ${t.lessons.length}`);
    for (const l of t.lessons) {
      if (shown++ >= MAX_LINES) break;
      const gaps = l.gaps.map((g) => ctx.t(`missing-${g}`)).join(", ");
      lines.push(`  ${shortDate(l.date)} ${l.lessonNumber}. ${l.subject}, ${l.className}: ${gaps}`);
    }
  }
  if (shown > MAX_LINES) lines.push("", ctx.t("control-more"));
  await ctx.reply(lines.join("\n"), { reply_markup });
}
