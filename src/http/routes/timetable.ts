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
import {
  assignmentRow,
  classRef,
  count,
  day,
  hhmm,
  id as idOut,
  namedClass,
  obj,
  personRef,
  ref,
  slotRow,
} from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

export const timetableResponse = obj({
  from: day,
  to: day,
  days: z.array(
    obj({
      date: day,
      weekday: z.number().int().describe("1 — понедельник"),
      holiday: z.string().nullable().describe("Название каникул, если день нерабочий"),
      lessons: z.array(
        obj({
          lessonId: idOut.nullable().describe("null — урок ещё не создан, показан по расписанию"),
          assignmentId: idOut,
          lessonNumber: z.number().int(),
          startsAt: hhmm,
          endsAt: hhmm,
          room: z.string().nullable(),
          subject: ref,
          class: namedClass,
          subgroup: ref.nullable(),
          teacher: personRef,
          substitute: personRef.nullable().describe("Заменяющий учитель"),
          topic: z.string().nullable(),
          homework: z.string().nullable(),
        }),
      ),
    }),
  ),
});

/** The assignment's parts that lists of slots and assignments show. */
export const assignmentParts = {
  subject: ref,
  class: classRef,
  subgroup: ref.nullable(),
  teacher: personRef,
};

export const slotsResponse = z.array(
  slotRow.extend({ assignment: assignmentRow.extend(assignmentParts), className: z.string() }),
);
export const endSlotResponse = obj({
  slot: slotRow,
  removedLessons: count.describe("Удалено пустых уроков после validTo"),
  keptLessons: count.describe("Оставлено уроков с данными журнала после validTo"),
});
export const generateLessonsResponse = obj({ created: count.describe("Создано новых уроков") });

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
      response: timetableResponse,
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
      response: slotsResponse,
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
      response: slotRow,
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
      response: slotRow,
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
      response: endSlotResponse,
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
      response: generateLessonsResponse,
    },
    (input, actor) => generateLessons(db, actor, input),
  );
}
