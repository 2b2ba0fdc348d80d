import { validation } from "../errors.js";
import { isoOf } from "../validate.js";
import { schoolToday } from "./calendar.js";

/**
 * When each kind of journal entry may be written for a lesson, as one table (the one home of
 * these rules; every service — and so the API and the bot — asks it):
 *
 * | entry      | before the lesson's day | on the day | after the day | why                              |
 * |------------|-------------------------|------------|---------------|----------------------------------|
 * | mark       | refused                 | yes        | yes           | a mark is for work done (002 §4.4.2, 4.4.8) |
 * | attendance | refused                 | yes        | yes           | who was there (003 §5.2)         |
 * | topic      | refused                 | yes        | yes           | what was taught (002 §5.18); plans live in the КТП |
 * | homework   | yes                     | yes        | refused       | never for past lessons (003 §5.2)|
 *
 * Days are the school's local dates "YYYY-MM-DD" (they compare as strings). Filling late is
 * allowed and shows up in the deputy head's control instead (002 §4.5.5); marks then lock after
 * their own window (calendar.ts).
 */
export type LessonEntry = "mark" | "attendance" | "topic" | "homework";

const NOT_YET: Record<Exclude<LessonEntry, "homework">, string> = {
  mark: "Отметки ставятся в день урока или позже: этот урок ещё не прошёл.",
  attendance: "Посещаемость отмечается в день урока: этот урок ещё не прошёл.",
  topic: "Тему урока записывают в день урока или позже: этот урок ещё не прошёл (план тем — в КТП).",
};

const HOMEWORK_PAST =
  "Домашнее задание к прошедшему уроку не записывают: задайте его на сегодняшнем или следующем уроке.";

/** Why `entry` may not be written for a lesson held on `lessonDay` when it is `today`, or null. */
export function entryTimeRefusal(entry: LessonEntry, lessonDay: string, today: string): string | null {
  if (entry === "homework") return lessonDay < today ? HOMEWORK_PAST : null;
  return lessonDay > today ? NOT_YET[entry] : null;
}

/** entryTimeRefusal as a check: throws a validation error (HTTP 400) with the reason. */
export function requireEntryTime(entry: LessonEntry, lessonDay: string, today: string): void {
  const refusal = entryTimeRefusal(entry, lessonDay, today);
  if (refusal) throw validation(refusal, { entry, lessonDate: lessonDay });
}

/** requireEntryTime for a loaded lesson (its date, its school's time zone) at `now`. */
export function requireLessonEntryTime(
  entry: LessonEntry,
  lesson: { date: Date; timeZone: string },
  now: Date = new Date(),
): void {
  requireEntryTime(entry, isoOf(lesson.date), schoolToday(lesson.timeZone, now));
}
