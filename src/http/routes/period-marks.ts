import { z } from "zod";
import {
  periodSummary,
  periodSummaryInput,
  publishPeriod,
  publishPeriodInput,
  setPeriodMarks,
  setPeriodMarksInput,
} from "../../journal/periods.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

export async function periodMarkRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/period-marks/summary",
      tag: "period-marks",
      summary: "Сводка для выставления отметок за период / Period closing sheet",
      description:
        "По каждому ученику: средневзвешенный балл, число отметок, пропуски, предлагаемая отметка и уже выставленная.",
      query: periodSummaryInput.strict(),
    },
    (input, actor) => periodSummary(db, actor, input),
  );
  route(
    app,
    {
      method: "PUT",
      url: "/period-marks",
      tag: "period-marks",
      summary: "Выставить отметки за период, год, экзамен / Set period marks",
      body: setPeriodMarksInput.strict(),
    },
    (input, actor) => setPeriodMarks(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/periods/:periodId/publish",
      tag: "period-marks",
      summary: "Опубликовать итоги периода / Publish period results",
      params: z.strictObject({ periodId: id }),
      body: bodyOf(publishPeriodInput, "periodId").nullish(),
    },
    (input, actor) => publishPeriod(db, actor, input),
  );
}
