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
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

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
    },
    (input, actor) => teacherDay(db, actor, input),
  );
}
