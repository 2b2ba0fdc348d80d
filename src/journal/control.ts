import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import { type Actor, isSchoolWide } from "./actor.js";
import { forbidden } from "./errors.js";
import { loadSchoolToday, schoolNow } from "./rules/calendar.js";
import { type FillGap, lessonGaps } from "./rules/fill.js";
import { dateOnly, isoDate, isoOf, parseInput } from "./validate.js";

/**
 * The deputy head's control of how the journal is kept (002 §4.5.5): lessons whose fill deadline
 * (the school's `fillDeadline` on the lesson's day) has passed without attendance, topic or
 * homework, grouped by the teacher who fills them (the substitute if one took the lesson).
 */
export type ControlGap = FillGap;

export const lateLessonsInput = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "начало не позже конца", path: ["to"] });

export const CONTROL_DEFAULT_DAYS = 14;

export async function lateLessons(db: DbOrTx, actor: Actor, input: unknown = {}, now: Date = new Date()) {
  const data = parseInput(lateLessonsInput, input ?? {});
  if (!isSchoolWide(actor)) {
    throw forbidden("Контроль заполнения журнала видят заместитель директора, директор и администратор.");
  }
  const school = await db.school.findUniqueOrThrow({
    where: { id: actor.schoolId },
    select: { fillDeadline: true },
  });
  const { timeZone, today } = await loadSchoolToday(db, actor.schoolId, now);
  const local = schoolNow(timeZone, now);
  // Today's lessons count only once the day's deadline has passed.
  const lastDay =
    local.toFormat("HH:mm") >= school.fillDeadline ? today : local.minus({ days: 1 }).toISODate()!;
  const to = data.to && data.to < lastDay ? data.to : lastDay;
  const from = data.from ?? local.minus({ days: CONTROL_DEFAULT_DAYS }).toISODate()!;
  if (from > to) return { from, to, teachers: [] };

  const lessons = await db.lesson.findMany({
    where: {
      class: { year: { schoolId: actor.schoolId } },
      date: { gte: dateOnly(from), lte: dateOnly(to) },
      OR: [
        { attendanceAt: null },
        { topic: null },
        { homework: null, homeworkNone: false, class: { grade: { not: 1 } } },
      ],
    },
    orderBy: [{ date: "asc" }, { lessonNumber: "asc" }],
    select: {
      id: true,
      date: true,
      lessonNumber: true,
      teacherId: true,
      substituteId: true,
      attendanceAt: true,
      topic: true,
      homework: true,
      homeworkNone: true,
      class: { select: { grade: true, letter: true } },
      subject: { select: { name: true } },
    },
  });
  const writerIds = [...new Set(lessons.map((l) => l.substituteId ?? l.teacherId))];
  const people = await db.person.findMany({
    where: { id: { in: writerIds } },
    select: { id: true, lastName: true, firstName: true, middleName: true },
  });
  const byId = new Map(people.map((p) => [p.id, p]));
  const groups = new Map<
    number,
    {
      lessonId: number;
      date: string;
      lessonNumber: number;
      className: string;
      subject: string;
      gaps: ControlGap[];
    }[]
  >();
  for (const l of lessons) {
    const gaps = lessonGaps(l, l.class.grade);
    if (gaps.length === 0) continue;
    const writer = l.substituteId ?? l.teacherId;
    const list = groups.get(writer) ?? [];
    list.push({
      lessonId: l.id,
      date: isoOf(l.date),
      lessonNumber: l.lessonNumber,
      className: `${l.class.grade}${l.class.letter}`,
      subject: l.subject.name,
      gaps,
    });
    groups.set(writer, list);
  }
  const collator = new Intl.Collator("ru");
  const teachers = [...groups.entries()]
    .map(([teacherId, list]) => ({ teacher: byId.get(teacherId)!, lessons: list }))
    .sort(
      (a, b) =>
        b.lessons.length - a.lessons.length || collator.compare(a.teacher.lastName, b.teacher.lastName),
    );
  return { from, to, teachers };
}
