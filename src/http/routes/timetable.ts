import { z } from "zod";
import {
  createSlot,
  createSlotInput,
  endSlot,
  endSlotInput,
  generateLessons,
  generateLessonsInput,
  listSlots,
  listSlotsInput,
  timetable,
  timetableInput,
  updateSlot,
  updateSlotInput,
} from "../../journal/timetable.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const slotParams = z.strictObject({ slotId: id });

export async function timetableRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/timetable",
      tag: "timetable",
      summary: "Расписание на неделю: класса, учителя или ученика / Weekly timetable",
      description: "Ровно один из classId, teacherId, pupilId; weekOf — любой день недели. С заменами.",
      query: timetableInput.strict(),
    },
    (input, actor) => timetable(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/timetable/slots",
      tag: "timetable",
      summary: "Строки расписания / Timetable slots",
      query: listSlotsInput.strict(),
    },
    (input, actor) => listSlots(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/timetable/slots",
      tag: "timetable",
      summary: "Добавить урок в расписание / Create a slot",
      body: createSlotInput.strict(),
      status: 201,
    },
    (input, actor) => createSlot(db, actor, input),
  );
  route(
    app,
    {
      method: "PATCH",
      url: "/timetable/slots/:slotId",
      tag: "timetable",
      summary: "Изменить время или кабинет / Update a slot",
      params: slotParams,
      body: bodyOf(updateSlotInput, "slotId"),
    },
    (input, actor) => updateSlot(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/timetable/slots/:slotId/end",
      tag: "timetable",
      summary: "Завершить строку расписания с даты / End a slot",
      description: "Пустые уроки после validTo удаляются; уроки с данными журнала остаются.",
      params: slotParams,
      body: bodyOf(endSlotInput, "slotId"),
    },
    (input, actor) => endSlot(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/timetable/generate-lessons",
      tag: "timetable",
      summary: "Создать уроки по расписанию за период / Generate lessons",
      description: "Пропускает выходные и каникулы; повторный запуск ничего не дублирует.",
      body: generateLessonsInput.strict(),
    },
    (input, actor) => generateLessons(db, actor, input),
  );
}
