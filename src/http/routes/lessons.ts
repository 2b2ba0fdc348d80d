import { z } from "zod";
import {
  lessonSheet,
  setSubstitute,
  setSubstituteInput,
  teacherDay,
  teacherDayInput,
  updateLesson,
  updateLessonInput,
} from "../../journal/lessons.js";
import { id } from "../../journal/validate.js";
import {
  absenceReason,
  attendanceKind,
  day,
  id as idOut,
  lessonRow,
  markValue,
  obj,
  personRef,
  ref,
} from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";
import { lessonForm } from "./grid.js";

const subjectFlags = { graded: z.boolean(), doubleMarks: z.boolean() };

export const lessonSheetResponse = lessonRow.extend({
  date: day,
  plannedTopic: obj({ id: idOut, number: z.number().int(), topic: z.string() })
    .nullable()
    .describe("Тема из КТП, выбранная для урока"),
  class: obj({ id: idOut, grade: z.number().int(), letter: z.string() }),
  className: z.string(),
  subject: obj({ id: idOut, name: z.string(), ...subjectFlags }),
  subgroup: ref.nullable(),
  controlForm: lessonForm.extend({ isWritten: z.boolean() }).nullable(),
  teacher: personRef.describe("Учитель по расписанию"),
  substitute: personRef.nullable().describe("Заменяющий учитель; null — замены нет"),
  marksAllowed: z.boolean().describe("false — безотметочное обучение (1 класс, безотметочный предмет)"),
  homeworkAllowed: z.boolean().describe("false — 1 класс, заданий нет"),
  pupils: z
    .array(
      obj({
        pupilId: idOut,
        lastName: z.string(),
        firstName: z.string(),
        mark: obj({
          id: idOut,
          pupilId: idOut,
          value: markValue,
          value2: z.string().nullable(),
          weight: z.number().int(),
          controlFormId: idOut.nullable(),
          comment: z.string().nullable(),
        }).nullable(),
        attendance: obj({ id: idOut, pupilId: idOut, kind: attendanceKind, reason: absenceReason.nullable() })
          .nullable()
          .describe("null — на уроке"),
      }),
    )
    .describe("Ученики урока на его дату, по фамилии"),
});

export const substituteResponse = obj({ lessonId: idOut, substituteId: idOut.nullable() });

export const teacherDayResponse = z.array(
  lessonRow.extend({
    date: day,
    class: obj({ grade: z.number().int(), letter: z.string() }),
    className: z.string(),
    subgroup: obj({ name: z.string() }).nullable(),
    subject: obj({ name: z.string(), ...subjectFlags }),
    controlForm: lessonForm.nullable(),
    substituting: z.boolean().describe("Урок, который я веду на замене"),
    missing: z
      .array(z.enum(["attendance", "topic", "homework", "control_marks"]))
      .describe("Что ещё не заполнено"),
  }),
);

const lessonParams = z.strictObject({ lessonId: id });

export async function lessonRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/lessons/:lessonId",
      tag: "lessons",
      summary: "Урок: тема, задание, ученики с отметками и посещаемостью / Lesson sheet",
      params: lessonParams,
      response: lessonSheetResponse,
    },
    (input, actor) => lessonSheet(db, actor, input),
  );
  route(
    app,
    {
      method: "PATCH",
      url: "/lessons/:lessonId",
      tag: "lessons",
      summary: "Тема, форма контроля, домашнее задание / Update a lesson",
      description:
        "Домашнее задание нельзя задать на прошедший урок; в 1 классе заданий нет. homeworkNone=true — «не задано».",
      params: lessonParams,
      body: bodyOf(updateLessonInput, "lessonId"),
      response: lessonRow,
    },
    (input, actor) => updateLesson(db, actor, input),
  );
  route(
    app,
    {
      method: "PUT",
      url: "/lessons/:lessonId/substitute",
      tag: "timetable",
      summary: "Замена: кто ведёт урок / Set a substitute",
      description:
        "Завуч или администратор. substituteId=null отменяет замену. Заменяющий заполняет журнал за этот урок.",
      params: lessonParams,
      body: bodyOf(setSubstituteInput, "lessonId"),
      response: substituteResponse,
    },
    (input, actor) => setSubstitute(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/me/lessons",
      tag: "lessons",
      summary: "Мои уроки за день и что не заполнено / My lessons of a day",
      query: teacherDayInput.strict(),
      response: teacherDayResponse,
    },
    (input, actor) => teacherDay(db, actor, input),
  );
}
