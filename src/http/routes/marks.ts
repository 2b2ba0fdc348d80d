import { z } from "zod";
import {
  correctMark,
  correctMarkInput,
  markHistory,
  postMarks,
  postMarksInput,
} from "../../journal/marks.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

export async function markRoutes(app: Api) {
  const { db } = app.services;
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
    },
    (input, actor) => markHistory(db, actor, input),
  );
}
