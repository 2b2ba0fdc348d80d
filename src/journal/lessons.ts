import { z } from "zod";
import type { Db } from "../db/client.js";
import { emit } from "../events/outbox.js";
import { loadLesson, loadLessonForWrite, requireRole } from "./access.js";
import type { Actor } from "./actor.js";
import { audit } from "./audit.js";
import { notFound, validation } from "./errors.js";
import { lessonView } from "./lesson-views.js";
import { requireLessonEntryTime } from "./rules/entry-times.js";
import { id, parseInput, text } from "./validate.js";

export const updateLessonInput = z
  .object({
    lessonId: id,
    topic: text(500).nullable().optional(),
    homework: text(2000).nullable().optional(),
    /** "не задано": no homework for this lesson, said explicitly (003 §5.2). */
    homeworkNone: z.boolean().optional(),
    controlFormId: id.nullable().optional(),
    plannedTopicId: id.nullable().optional(),
  })
  .refine((v) => !(v.homeworkNone && v.homework), {
    message: "либо домашнее задание, либо «не задано»",
    path: ["homeworkNone"],
  });

/** Topic, homework, form of control and the planned topic of a lesson, by whoever writes it. */
export async function updateLesson(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(updateLessonInput, input);
  const lesson = await loadLessonForWrite(db, actor, data.lessonId);
  const homeworkTouched = data.homework !== undefined || data.homeworkNone !== undefined;
  if (homeworkTouched) {
    const setsSomething = Boolean(data.homework) || data.homeworkNone === true;
    if (lesson.class.grade === 1 && setsSomething) {
      throw validation("В 1 классе домашние задания не задаются: запишите тему урока.");
    }
    // A past lesson's homework stays as it was, whether it is written, changed or cleared (003).
    requireLessonEntryTime("homework", lesson);
  }
  // A topic says what was taught, so it is written from the lesson's day on (choosing a planned
  // topic writes it too); clearing one is always possible.
  if (data.topic || data.plannedTopicId) requireLessonEntryTime("topic", lesson);
  const [form, planned, current] = await Promise.all([
    data.controlFormId
      ? db.controlForm.findFirst({
          where: { id: data.controlFormId, schoolId: actor.schoolId },
          select: { id: true },
        })
      : null,
    data.plannedTopicId
      ? db.topicPlanItem.findFirst({
          where: { id: data.plannedTopicId, assignment: { lessons: { some: { id: lesson.id } } } },
          select: { id: true, topic: true },
        })
      : null,
    db.lesson.findUniqueOrThrow({ where: { id: lesson.id }, select: lessonView }),
  ]);
  if (data.controlFormId && !form) throw notFound("Форма контроля");
  if (data.plannedTopicId && !planned) {
    throw validation("Эта тема не из КТП этого предмета и класса: выберите тему из плана урока.");
  }

  const next: Partial<Record<keyof typeof current, unknown>> = {};
  if (data.topic !== undefined) next.topic = data.topic;
  else if (planned) next.topic = planned.topic; // choosing a planned topic writes it as the lesson's topic
  if (data.plannedTopicId !== undefined) next.plannedTopicId = data.plannedTopicId;
  if (data.controlFormId !== undefined) next.controlFormId = data.controlFormId;
  if (data.homework !== undefined) {
    next.homework = data.homework;
    if (data.homework) next.homeworkNone = false;
  }
  if (data.homeworkNone !== undefined) {
    next.homeworkNone = data.homeworkNone;
    if (data.homeworkNone) next.homework = null;
  }
  const fields = Object.keys(next).filter(
    (k) => next[k as keyof typeof next] !== current[k as keyof typeof current],
  ) as (keyof typeof current)[];
  if (fields.length === 0) return current;

  const change = Object.fromEntries(fields.map((f) => [f, next[f]]));
  return db.$transaction(async (tx) => {
    const updated = await tx.lesson.update({ where: { id: lesson.id }, data: change, select: lessonView });
    await audit(tx, actor, {
      action: "lesson.update",
      entity: "Lesson",
      entityId: lesson.id,
      before: Object.fromEntries(fields.map((f) => [f, current[f]])),
      after: change,
    });
    const homework = fields.filter((f) => f === "homework" || f === "homeworkNone");
    const other = fields.filter((f) => f !== "homework" && f !== "homeworkNone");
    if (homework.length)
      await emit(tx, actor.schoolId, { type: "homework.set", payload: { lessonId: lesson.id } });
    if (other.length) {
      await emit(tx, actor.schoolId, {
        type: "lesson.updated",
        payload: { lessonId: lesson.id, fields: other },
      });
    }
    return updated;
  });
}

export const setSubstituteInput = z.object({ lessonId: id, substituteId: id.nullable() });

/** The deputy head or the admin names who takes a lesson instead of its teacher (002 §4.4.3). */
export async function setSubstitute(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(setSubstituteInput, input);
  const lesson = await loadLesson(db, actor, data.lessonId);
  requireRole(actor, "ADMIN", "DEPUTY");
  if (data.substituteId !== null) {
    if (data.substituteId === lesson.teacherId) {
      throw validation("Это учитель самого урока: чтобы отменить замену, укажите «без замены».");
    }
    const teacher = await db.person.findFirst({
      where: {
        id: data.substituteId,
        schoolId: actor.schoolId,
        blockedAt: null,
        roles: { some: { role: "TEACHER" } },
      },
      select: { id: true },
    });
    if (!teacher)
      throw validation("Заменять урок может только учитель этой школы: выберите учителя из списка.");
  }
  if (lesson.substituteId === data.substituteId)
    return { lessonId: lesson.id, substituteId: data.substituteId };
  return db.$transaction(async (tx) => {
    await tx.lesson.update({ where: { id: lesson.id }, data: { substituteId: data.substituteId } });
    await audit(tx, actor, {
      action: "lesson.substitute",
      entity: "Lesson",
      entityId: lesson.id,
      before: { substituteId: lesson.substituteId },
      after: { substituteId: data.substituteId },
    });
    await emit(tx, actor.schoolId, {
      type: "lesson.substituted",
      payload: { lessonId: lesson.id, substituteId: data.substituteId },
    });
    return { lessonId: lesson.id, substituteId: data.substituteId };
  });
}

// The read side (teacher's day, current lesson, lesson sheet) lives in lesson-views.ts.
export {
  currentLesson,
  lessonSheet,
  lessonSheetInput,
  type Missing,
  type TeacherLesson,
  teacherDay,
  teacherDayInput,
} from "./lesson-views.js";
