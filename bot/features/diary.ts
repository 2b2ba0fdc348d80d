import { hears } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { childSubjects, diary, subjectMarks } from "../../src/journal/diary.js";
import { pupilPeriodMarks } from "../../src/journal/periods.js";
import { formatAverage } from "../../src/journal/rules/averages.js";
import { formatMark } from "../../src/journal/rules/marks.js";
import { callbackPattern, cb, PURPOSE, parseCallback, purposeOf } from "../callback-data.js";
import { askChild, type ChatChild, childById, childrenOfChat, pickChild } from "../children.js";
import type { BotContext, Identity } from "../context.js";
import { answerOutdated, requireGuardian, schoolToday, shortDate } from "../helpers.js";
import { askDays } from "./absence.js";
import { chartButton } from "./documents.js";
import { askTeacher } from "./messages.js";

/** The guardian's diary: today, this week, a subject's marks with the average, timetable, period marks. */
export const diaryFeature = new Composer<BotContext>();

diaryFeature.command("diary", (ctx) => open(ctx, "diary"));
diaryFeature.filter(hears("menu-diary"), (ctx) => open(ctx, "diary"));
diaryFeature.command("timetable", (ctx) => open(ctx, "timetable"));
diaryFeature.filter(hears("menu-timetable"), (ctx) => open(ctx, "timetable"));
diaryFeature.command("marks", (ctx) => open(ctx, "marksOfChild"));
diaryFeature.command("periods", (ctx) => open(ctx, "periods"));

/** A child was chosen: go on with what it was chosen for. */
diaryFeature.callbackQuery(callbackPattern("ch"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const [purposeCode, pupilId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const child = await childById(ctx, pupilId);
  const purpose = purposeOf(purposeCode);
  if (!child || !purpose) return answerOutdated(ctx);
  ctx.session.childId = child.id;
  await ctx.answerCallbackQuery();
  await proceed(ctx, child.who, child, purpose);
});

diaryFeature.callbackQuery(callbackPattern("chs"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const purpose = purposeOf(parseCallback(ctx.callbackQuery.data)!.args[0]!);
  if (!purpose) return answerOutdated(ctx);
  await ctx.answerCallbackQuery();
  await askChild(ctx, await childrenOfChat(ctx), purpose);
});

diaryFeature.callbackQuery(callbackPattern("dy"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const [pupilId, week] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const child = await childById(ctx, pupilId);
  if (!child) return answerOutdated(ctx);
  await ctx.answerCallbackQuery();
  await showDiary(ctx, child.who, child, week === 1 ? "week" : "day");
});

diaryFeature.callbackQuery(callbackPattern("sm"), async (ctx) => {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const [pupilId, subjectId] = parseCallback(ctx.callbackQuery.data)!.args as [number, number];
  const child = await childById(ctx, pupilId);
  if (!child) return answerOutdated(ctx);
  await ctx.answerCallbackQuery();
  await showSubject(ctx, child.who, child, subjectId);
});

async function open(ctx: BotContext, purpose: "diary" | "timetable" | "marksOfChild" | "periods") {
  const who = await requireGuardian(ctx);
  if (!who) return;
  const child = await pickChild(ctx, purpose);
  if (child) await proceed(ctx, child.who, child, purpose);
}

async function proceed(ctx: BotContext, who: Identity, child: ChatChild, purpose: keyof typeof PURPOSE) {
  if (purpose === "absence") return askDays(ctx, child);
  if (purpose === "write") return askTeacher(ctx, who, child);
  if (purpose === "timetable") return showDiary(ctx, who, child, "timetable");
  if (purpose === "marksOfChild") return showSubjects(ctx, who, child);
  if (purpose === "periods") return showPeriods(ctx, who, child);
  return showDiary(ctx, who, child, "day");
}

/** What diary() gives for one lesson (see src/journal/diary.ts). */
interface DiaryLesson {
  lessonNumber: number;
  startsAt: string;
  subject: { id: number; name: string };
  topic: string | null;
  homework: string | null;
  homeworkNone: boolean;
  substituted: boolean;
  marks: { value: string; value2: string | null; weight: number; controlForm: { name: string } | null }[];
  attendance: { kind: "ABSENT" | "LATE"; reason: string | null } | null;
}

async function week(ctx: BotContext, who: Identity) {
  const today = schoolToday(ctx, who);
  const monday = DateTime.fromISO(today).startOf("week");
  return { today, from: monday.toISODate()!, to: monday.plus({ days: 6 }).toISODate()! };
}

async function showDiary(
  ctx: BotContext,
  who: Identity,
  child: ChatChild,
  mode: "day" | "week" | "timetable",
) {
  const { today, from, to } = await week(ctx, who);
  const range = mode === "day" ? { from: today, to: today } : { from, to };
  const days = (await diary(ctx.deps.db, who.actor, { pupilId: child.id, ...range })) as {
    date: string;
    lessons: DiaryLesson[];
  }[];
  const header =
    mode === "day"
      ? ctx.t("diary-today", { child: child.firstName, date: shortDate(today) })
      : ctx.t(mode === "week" ? "diary-week" : "timetable-week", {
          child: child.firstName,
          from: shortDate(from),
          to: shortDate(to),
        });
  const lines = [header];
  if (days.length === 0) lines.push(ctx.t("diary-empty"));
  for (const day of days) {
    if (mode !== "day") lines.push("", `📅 ${weekday(ctx, day.date)} ${shortDate(day.date)}`);
    for (const l of day.lessons)
      lines.push(mode === "timetable" ? timetableLine(ctx, l) : lessonLine(ctx, l));
  }
  const kb = new InlineKeyboard()
    .text(ctx.t("btn-today"), cb("dy", child.id, 0))
    .text(ctx.t("btn-week"), cb("dy", child.id, 1))
    .row()
    .text(ctx.t("btn-subjects"), cb("ch", PURPOSE.marksOfChild, child.id))
    .text(ctx.t("btn-periods"), cb("ch", PURPOSE.periods, child.id));
  if ((await childrenOfChat(ctx)).length > 1)
    kb.row().text(ctx.t("btn-other-child"), cb("chs", PURPOSE.diary));
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
}

const weekday = (ctx: BotContext, iso: string) => ctx.t(`wd-${DateTime.fromISO(iso).weekday}`);

function lessonLine(ctx: BotContext, l: DiaryLesson): string {
  const parts = [`${l.lessonNumber}. ${l.subject.name}`];
  if (l.attendance)
    parts.push(l.attendance.kind === "ABSENT" ? `🚫 ${ctx.t("diary-absent")}` : `⏰ ${ctx.t("diary-late")}`);
  for (const m of l.marks) {
    parts.push(
      `⭐ ${formatMark(m)}${m.controlForm ? ` (${m.controlForm.name}${m.weight > 1 ? ` ×${m.weight}` : ""})` : ""}`,
    );
  }
  const lines = [parts.join(" · ")];
  if (l.topic) lines.push(`   ${ctx.t("card-topic")}: ${l.topic}`);
  if (l.homework || l.homeworkNone)
    lines.push(`   ${ctx.t("card-homework")}: ${l.homeworkNone ? ctx.t("hw-none") : l.homework}`);
  return lines.join("\n");
}

const timetableLine = (ctx: BotContext, l: DiaryLesson) =>
  `${l.lessonNumber}. ${l.startsAt} ${l.subject.name}${l.substituted ? ` (${ctx.t("substitution")})` : ""}`;

/** Subjects of the child's class, to open one's marks (a read-only list). */
async function showSubjects(ctx: BotContext, who: Identity, child: ChatChild) {
  if (!child.classId) return ctx.reply(ctx.t("diary-empty"));
  const subjects = await childSubjects(ctx.deps.db, who.actor, {
    pupilId: child.id,
    date: schoolToday(ctx, who),
  });
  const kb = new InlineKeyboard();
  subjects.forEach((s, i) => {
    kb.text(s.name, cb("sm", child.id, s.id));
    if (i % 2 === 1) kb.row();
  });
  await ctx.reply(ctx.t("choose-subject", { child: child.firstName }), { reply_markup: kb });
}

async function showSubject(ctx: BotContext, who: Identity, child: ChatChild, subjectId: number) {
  const r = await subjectMarks(ctx.deps.db, who.actor, { pupilId: child.id, subjectId });
  const lines = [
    ctx.t("subject-title", { child: child.firstName, subject: r.subject.name, period: r.period?.name ?? "" }),
  ];
  if (r.marks.length === 0) {
    lines.push(ctx.t("subject-no-marks"));
  } else {
    lines.push(
      r.marks
        .map(
          (m) =>
            `${shortDate(m.date)}: ${formatMark(m)}${m.weight > 1 ? ` (${m.formName} ×${m.weight})` : ""}`,
        )
        .join("\n"),
    );
    lines.push("", `${ctx.t("subject-average")}: ${r.explanation}`);
    const lifts = r.lift.filter((l) => l.mark);
    for (const l of lifts) {
      lines.push(
        ctx.t("subject-lift", {
          mark: l.mark!.mark,
          forms: l.forms.join(", ") || ctx.t("subject-weight", { weight: l.weight }),
          target: l.mark!.target,
          average: formatAverage(l.mark!.average),
        }),
      );
    }
    if (lifts.length === 0 && r.average !== null) lines.push(ctx.t("subject-no-lift"));
  }
  const reply_markup =
    r.marks.length > 0 && r.period ? chartButton(ctx, child.id, subjectId, r.period.id) : undefined;
  await ctx.reply(lines.join("\n"), { reply_markup });
}

/** Period marks once the school has published them (002 §8.2). */
async function showPeriods(ctx: BotContext, who: Identity, child: ChatChild) {
  const rows = await pupilPeriodMarks(ctx.deps.db, who.actor, { pupilId: child.id });
  if (rows.length === 0) return ctx.reply(ctx.t("periods-none", { child: child.firstName }));
  const lines = [ctx.t("periods-title", { child: child.firstName })];
  let last = "";
  for (const r of rows) {
    if (r.period.name !== last) lines.push("", `📘 ${r.period.name}`);
    last = r.period.name;
    lines.push(`${r.subject.name}: ${r.value}`);
  }
  await ctx.reply(lines.join("\n"));
}
