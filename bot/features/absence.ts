import { hears } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { reportAbsence } from "../../src/journal/attendance.js";
import {
  ABSENCE_REASONS,
  callbackPattern,
  cb,
  parseCallback,
  reasonCode,
  reasonOf,
} from "../callback-data.js";
import { type ChatChild, childById, pickChild } from "../children.js";
import type { BotContext } from "../context.js";
import { answerOutdated, requireGuardian, schoolToday, shortDate } from "../helpers.js";

/** "Ребёнок не придёт": today or days ahead, a reason, then the core tells the class teacher. */
export const absenceFeature = new Composer<BotContext>();

absenceFeature.command("absent", (ctx) => start(ctx));
absenceFeature.filter(hears("menu-absence"), (ctx) => start(ctx));

async function start(ctx: BotContext) {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const child = await pickChild(ctx, "absence", false);
  if (child) await askDays(ctx, child);
}

/** After choosing a child for this purpose (see diary.ts, which routes "ch" presses). */
export async function askDays(ctx: BotContext, child: ChatChild) {
  ctx.session.childId = child.id;
  const kb = new InlineKeyboard()
    .text(ctx.t("abs-today"), cb("ab.d", child.id, 0, 1))
    .text(ctx.t("abs-tomorrow"), cb("ab.d", child.id, 1, 1))
    .row()
    .text(ctx.t("abs-two-days"), cb("ab.d", child.id, 0, 2))
    .text(ctx.t("abs-week"), cb("ab.d", child.id, 0, 5));
  await ctx.reply(ctx.t("abs-when", { child: child.firstName }), { reply_markup: kb });
}

absenceFeature.callbackQuery(callbackPattern("ab.d"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const [pupilId, offset, days] = parseCallback(ctx.callbackQuery.data)!.args as [number, number, number];
  const child = await childById(ctx, pupilId);
  if (!child || days < 1 || days > 14) return answerOutdated(ctx);
  const today = schoolToday(ctx, child.who);
  const from = DateTime.fromISO(today).plus({ days: offset });
  const to = from.plus({ days: days - 1 });
  ctx.session.absence = { pupilId, from: from.toISODate()!, to: to.toISODate()! };
  const kb = new InlineKeyboard();
  for (const r of ABSENCE_REASONS) kb.text(ctx.t(`reason-${r}`), cb("ab.r", reasonCode(r)));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(
    ctx.t("abs-why", {
      child: child.firstName,
      from: shortDate(from.toISODate()!),
      to: shortDate(to.toISODate()!),
    }),
    { reply_markup: kb },
  );
});

absenceFeature.callbackQuery(callbackPattern("ab.r"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const reason = reasonOf(parseCallback(ctx.callbackQuery.data)!.args[0]!);
  const pending = ctx.session.absence;
  const child = pending && (await childById(ctx, pending.pupilId));
  if (!reason || !pending || !child) return answerOutdated(ctx);
  await reportAbsence(ctx.deps.db, child.who.actor, {
    pupilId: pending.pupilId,
    fromDate: pending.from,
    toDate: pending.to,
    reason,
  });
  ctx.session.absence = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(
    ctx.t("abs-done", {
      from: shortDate(pending.from),
      to: shortDate(pending.to),
      reason: ctx.t(`reason-${reason}`),
    }),
  );
});
