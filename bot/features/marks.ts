import { Composer, InlineKeyboard } from "grammy";
import { recordAttendance } from "../../src/journal/attendance.js";
import { DomainError } from "../../src/journal/errors.js";
import { postMarks } from "../../src/journal/marks.js";
import { assertMarkAllowed, marksRefusal, parseMarkValue } from "../../src/journal/rules/marks.js";
import { callbackPattern, cb, parseCallback } from "../callback-data.js";
import type { BotContext, Identity, MarksDraft } from "../context.js";
import { answerOutdated, nextNonce, schoolToday, teacherIdentity } from "../helpers.js";
import { chosenLesson, lessonTitle, type SheetView, sheet } from "../journal.js";
import { isAbsentSymbol, looksLikeMarks, matchPupils, parseMarksLine } from "../marks-line.js";

/**
 * Marks in one line for the current lesson: "Иванов 5, Петров 4/5, Сидорова н". Every value is
 * checked by the core's rules before the echo; nothing is written until "Подтвердить".
 */
export const marksFeature = new Composer<BotContext>();

const teacherText = marksFeature
  .on("message:text")
  .filter(
    async (ctx) =>
      !ctx.session.awaiting && !ctx.message.text.startsWith("/") && looksLikeMarks(ctx.message.text),
  );
teacherText.use(async (ctx, next) => {
  const who = await teacherIdentity(ctx);
  if (!who) return next();
  await readLine(ctx, who, ctx.message.text);
});

marksFeature.callbackQuery(callbackPattern("mk.amb"), async (ctx) => {
  const [nonce, index, pupilId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number, number];
  const draft = ctx.session.marks;
  const item = draft?.items[index];
  if (!draft || draft.nonce !== nonce || !item || !item.candidates.includes(pupilId))
    return answerOutdated(ctx);
  item.pupilId = pupilId;
  item.candidates = [];
  item.name = "";
  await ctx.answerCallbackQuery();
  const who = await teacherIdentity(ctx);
  if (!who) return;
  await ctx.editMessageReplyMarkup().catch(() => {});
  await echo(ctx, draft, await sheet(ctx, who, draft.lessonId));
});

marksFeature.callbackQuery(callbackPattern("mk.ok"), async (ctx) => {
  const [nonce] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const draft = ctx.session.marks;
  if (!draft || draft.nonce !== nonce || draft.items.some((i) => !i.pupilId)) return answerOutdated(ctx);
  const who = await teacherIdentity(ctx);
  if (!who) return answerOutdated(ctx);
  await write(ctx, who, draft);
});

marksFeature.callbackQuery(callbackPattern("mk.ed"), async (ctx) => {
  const [nonce] = parseCallback(ctx.callbackQuery.data)!.args as [number];
  const draft = ctx.session.marks;
  if (!draft || draft.nonce !== nonce) return answerOutdated(ctx);
  ctx.session.marks = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t("marks-edit"));
});

/** Reads a marks line; replies with every problem at once, or asks back, or echoes for a confirm. */
export async function readLine(ctx: BotContext, who: Identity, line: string) {
  const lesson = await chosenLesson(ctx, who, schoolToday(ctx, who));
  if (!lesson) return ctx.reply(ctx.t("no-current-lesson"));
  const view = await sheet(ctx, who, lesson.id);
  const { items, unreadable } = parseMarksLine(line);
  // A piece is echoed as far as it helps to find it, not as a 4 KB copy of what was sent.
  const shown = (u: string) => (u.length > 60 ? `${u.slice(0, 60).trimEnd()}…` : u);
  const problems: string[] = unreadable.map((u) => ctx.t("marks-unreadable", { piece: shown(u) }));
  const draftItems: MarksDraft["items"] = [];
  const refusal = marksRefusal({ grade: view.class.grade, subject: view.subject });
  // Grade 1 and subjects without marks: one reason, said once, whatever the line holds.
  if (refusal && items.some((i) => !isAbsentSymbol(i.value))) problems.push(refusal);
  for (const item of items) {
    const found = matchPupils(item.name, view.pupils);
    if (found.length === 0) problems.push(ctx.t("marks-unknown", { name: item.name, cls: view.className }));
    if (!refusal && !isAbsentSymbol(item.value)) {
      try {
        assertMarkAllowed(
          { grade: view.class.grade, subject: view.subject, form: view.controlForm },
          parseMarkValue(item.value),
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push(`${item.name} ${item.value}: ${error.message}`);
        continue;
      }
    }
    draftItems.push({
      // Only what is still to be asked about keeps the typed name; the session holds ids otherwise.
      name: found.length > 1 ? item.name : "",
      value: isAbsentSymbol(item.value) ? "н" : item.value,
      pupilId: found.length === 1 ? found[0]!.pupilId : 0,
      candidates: found.length > 1 ? found.map((p) => p.pupilId) : [],
    });
  }
  const chosen = draftItems.map((i) => i.pupilId).filter(Boolean);
  if (new Set(chosen).size !== chosen.length) problems.push(ctx.t("marks-twice"));
  if (problems.length > 0 || draftItems.length === 0) {
    ctx.session.marks = undefined;
    return ctx.reply(
      `${ctx.t("marks-problems")}\n• ${problems.join("\n• ") || ctx.t("marks-empty")}\n\n${ctx.t("marks-example")}`,
    );
  }
  const draft: MarksDraft = {
    nonce: nextNonce(ctx),
    lessonId: view.id,
    items: draftItems,
    control: view.controlForm?.isControlWork ?? false,
  };
  ctx.session.marks = draft;
  await echo(ctx, draft, view);
}

/** Asks about the first ambiguous surname, or shows the summary with Confirm / Edit. */
async function echo(ctx: BotContext, draft: MarksDraft, view: SheetView) {
  const index = draft.items.findIndex((i) => !i.pupilId);
  if (index >= 0) {
    const item = draft.items[index]!;
    const kb = new InlineKeyboard();
    for (const id of item.candidates) {
      const p = view.pupils.find((x) => x.pupilId === id);
      if (p) kb.text(`${p.lastName} ${p.firstName}`, cb("mk.amb", draft.nonce, index, id)).row();
    }
    return ctx.reply(ctx.t("marks-ambiguous", { name: item.name }), { reply_markup: kb });
  }
  const lines = draft.items.map((i) => {
    const p = view.pupils.find((x) => x.pupilId === i.pupilId);
    const who = p ? `${p.lastName} ${p.firstName}` : i.name;
    return i.value === "н" ? `${who} — ${ctx.t("marks-absent")}` : `${who} — ${i.value}`;
  });
  const form = view.controlForm
    ? `\n${ctx.t("marks-form", { form: view.controlForm.name, weight: view.controlForm.weight })}`
    : "";
  const kb = new InlineKeyboard()
    .text(ctx.t("btn-confirm"), cb("mk.ok", draft.nonce))
    .text(ctx.t("btn-edit"), cb("mk.ed", draft.nonce));
  const sent = await ctx.reply(
    `${ctx.t("marks-echo", { lesson: lessonTitle(ctx, view) })}${form}\n${lines.join("\n")}`,
    {
      reply_markup: kb,
    },
  );
  draft.messageId = sent.message_id;
}

async function write(ctx: BotContext, who: Identity, draft: MarksDraft) {
  const marks = draft.items
    .filter((i) => i.value !== "н")
    .map((i) => ({ pupilId: i.pupilId, value: i.value }));
  const absent = draft.items.filter((i) => i.value === "н").map((i) => i.pupilId);
  // Marks and absences in one transaction: a refused mark leaves no absence behind.
  if (marks.length > 0) {
    await postMarks(ctx.deps.db, who.actor, { lessonId: draft.lessonId, marks, absent });
  } else if (absent.length > 0) {
    // Only absences: everyone else keeps what is recorded for them.
    const view = await sheet(ctx, who, draft.lessonId);
    const entries = view.pupils
      .filter((p) => p.attendance && !absent.includes(p.pupilId))
      .map((p) => ({ pupilId: p.pupilId, kind: p.attendance!.kind as "ABSENT" | "LATE" }));
    for (const pupilId of absent) entries.push({ pupilId, kind: "ABSENT" });
    await recordAttendance(ctx.deps.db, who.actor, { lessonId: draft.lessonId, entries });
  }
  ctx.session.marks = undefined;
  await ctx.answerCallbackQuery({ text: ctx.t("marks-saved-short") });
  await ctx.editMessageText(ctx.t("marks-saved", { marks: marks.length, absent: absent.length }));
  if (draft.control) await ctx.reply(withoutMarks(ctx, await sheet(ctx, who, draft.lessonId)));
}

/** A control work: every pupil present gets a mark (002 §5.7); who is still without one. */
export function withoutMarks(ctx: BotContext, view: SheetView): string {
  const missing = view.pupils
    .filter((p) => !p.mark && p.attendance?.kind !== "ABSENT")
    .map((p) => `${p.lastName} ${p.firstName}`);
  return missing.length === 0
    ? ctx.t("control-all-marked")
    : ctx.t("control-missing", { list: missing.join(", ") });
}
