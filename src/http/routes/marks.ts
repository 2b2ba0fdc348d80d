import { z } from "zod";
import {
  CORRECTION_REASONS,
  correctMark,
  correctMarkInput,
  markHistory,
  postMarks,
  postMarksInput,
} from "../../journal/marks.js";
import { id } from "../../journal/validate.js";
import { id as idOut, markHistoryRow, markRow, obj, personRef } from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";
import { lessonAttendance } from "./attendance.js";

export const postMarksResponse = obj({
  marks: z.array(markRow).describe("Клетки столбца в порядке запроса, новые и изменённые"),
  attendance: lessonAttendance
    .optional()
    .describe("Посещаемость урока после отметки отсутствующих (только если передан absent)"),
});
export const correctMarkResponse = obj({ mark: markRow, historyId: idOut });
export const markHistoryResponse = obj({
  mark: markRow.extend({ author: personRef }),
  changes: z.array(markHistoryRow.extend({ author: personRef })).describe("Изменения, старые сначала"),
});

export const correctionReasonsResponse = z.array(
  obj({ reason: z.string().describe("Ключ для POST /marks/{markId}/corrections"), label: z.string() }),
);

export async function markRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/marks/correction-reasons",
      tag: "marks",
      summary: "Причины исправления отметки после блокировки / Correction reasons",
      description: "Перечень из положения (003 §7), как его показывать людям.",
      response: correctionReasonsResponse,
    },
    async () => Object.entries(CORRECTION_REASONS).map(([reason, label]) => ({ reason, label })),
  );
  route(
    app,
    {
      method: "POST",
      url: "/lessons/:lessonId/marks",
      tag: "marks",
      summary: "Выставить отметки за урок (столбец целиком) / Post a lesson's marks column",
      description:
        "Одним запросом — отметки нескольких учеников за урок. Значения «1»–«5», двойная «4/5» только для письменных работ там, где предмет это допускает. Изменить уже выставленную отметку может её автор в течение срока блокировки.",
      params: z.strictObject({ lessonId: id }),
      body: bodyOf(postMarksInput, "lessonId"),
      response: postMarksResponse,
    },
    (input, actor) => postMarks(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/marks/:markId/corrections",
      tag: "marks",
      summary: "Исправить отметку с указанием причины / Correct a mark with a reason",
      description:
        "После блокировки — только заместитель директора или администратор, причина из списка; прежнее значение остаётся в истории. Заблокированная отметка без прав — 423.",
      params: z.strictObject({ markId: id }),
      body: bodyOf(correctMarkInput, "markId"),
      response: correctMarkResponse,
    },
    (input, actor) => correctMark(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/marks/:markId/history",
      tag: "marks",
      summary: "История изменений отметки / Mark history",
      params: z.strictObject({ markId: id }),
      response: markHistoryResponse,
    },
    (input, actor) => markHistory(db, actor, input),
  );
}
