import { currentLesson, lessonSheet, type TeacherLesson, teacherDay } from "../src/journal/lessons.js";
import type { BotContext, Identity } from "./context.js";

/**
 * The bot's access to lessons, through the core's read models (lessons.ts), with the one
 * formatting of a lesson's title every feature uses.
 */
export type LessonView = Pick<
  TeacherLesson,
  "id" | "date" | "lessonNumber" | "startsAt" | "className" | "missing"
> & { substituting: boolean; subject: { name: string } };

export type SheetView = Awaited<ReturnType<typeof lessonSheet>>;
export type SheetPupil = SheetView["pupils"][number];

export const todayLessons = (ctx: BotContext, who: Identity, date?: string) =>
  teacherDay(ctx.deps.db, who.actor, date ? { date } : {});

export const sheet = (ctx: BotContext, who: Identity, lessonId: number) =>
  lessonSheet(ctx.deps.db, who.actor, { lessonId });

/** The lesson a teacher's command is about: the one chosen today, else the current one by the clock. */
export async function chosenLesson(
  ctx: BotContext,
  who: Identity,
  today: string,
): Promise<LessonView | null> {
  const chosen = ctx.session.lesson;
  if (chosen && chosen.day === today) {
    const hit = (await todayLessons(ctx, who, chosen.date ?? today)).find((l) => l.id === chosen.id);
    if (hit) return hit;
  }
  return currentLesson(ctx.deps.db, who.actor, ctx.now(), who.timeZone);
}

export const lessonTitle = (
  ctx: BotContext,
  l: Pick<LessonView, "lessonNumber" | "startsAt" | "className" | "subject"> & { substituting?: boolean },
) =>
  ctx.t(l.substituting ? "lesson-title-sub" : "lesson-title", {
    n: l.lessonNumber,
    time: l.startsAt,
    subject: l.subject.name,
    cls: l.className,
  });
