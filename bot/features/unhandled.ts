import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { answerOutdated, isTeacherActor } from "../helpers.js";

/** Whatever no feature took: a short hint with an example; an unknown button is outdated. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", (ctx) => answerOutdated(ctx));

unhandledFeature.on("message", async (ctx) => {
  const text = ctx.message.text ?? "";
  const all = await ctx.identities();
  if (all.length === 0) return ctx.reply(ctx.t("not-linked"));
  const key = text.startsWith("/") ? "unknown-command" : "unknown-text";
  await ctx.reply(
    ctx.t(key, { examples: ctx.t(all.some(isTeacherActor) ? "examples-teacher" : "examples-guardian") }),
  );
});
