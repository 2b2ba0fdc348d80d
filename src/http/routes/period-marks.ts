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
import {
  average,
  count,
  dateTime,
  id as idOut,
  namedClass,
  obj,
  periodKind,
  periodMarkKind,
  ref,
} from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const periodMarkValue = z.string().describe("«2»–«5» или «н/а»");
const setMark = obj({ id: idOut, kind: periodMarkKind, value: periodMarkValue });

export const periodSummaryResponse = obj({
  period: obj({ id: idOut, name: z.string(), kind: periodKind, publishedAt: dateTime.nullable() }),
  class: namedClass,
  subject: ref,
  hoursPerWeek: count,
  minMarks: count.describe("Сколько текущих отметок нужно для объективной отметки за период"),
  open: z.boolean().describe("Можно ли уже ставить: последний урок периода прошёл"),
  lastLessonEnd: z
    .string()
    .nullable()
    .describe("Конец последнего урока периода, местное время ГГГГ-ММ-ДДTЧЧ:ММ; null — уроков нет"),
  rows: z.array(
    obj({
      pupilId: idOut,
      lastName: z.string(),
      firstName: z.string(),
      lessons: count.describe("Уроков предмета у ученика за период"),
      marksCount: count,
      average,
      missedExcused: count.describe("Пропущено по уважительной причине"),
      missedUnexcused: count.describe(
        "Пропущено без уважительной причины (в том числе без записанной причины)",
      ),
      missedNoReason: count.describe(
        "Из них причина ещё не записана: «н/а» не ставится, пока классный руководитель её не отметит",
      ),
      enoughMarks: z.boolean(),
      suggested: z
        .string()
        .nullable()
        .describe("Предлагаемая отметка («2»–«5», «н/а»); null — предложить нечего"),
      extend: z.boolean().describe("Пропуски по уважительной причине: период продлевается, отметки пока нет"),
      periodMarks: z
        .array(obj({ periodId: idOut, name: z.string(), value: periodMarkValue.nullable() }))
        .describe("Для «Года»: отметки за периоды года"),
      set: z.array(setMark).describe("Уже выставленные"),
    }),
  ),
});

export const setPeriodMarksResponse = obj({ marks: z.array(setMark.extend({ pupilId: idOut })) });

export const publishResponse = obj({
  periodId: idOut,
  classId: idOut.nullable().describe("null — опубликовано для всей школы"),
  publishedAt: dateTime,
  marks: count.describe("Сколько отметок за период опубликовано"),
});

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
      response: periodSummaryResponse,
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
      description:
        "Отметка, далёкая от среднего ученика (больше чем на 1 балл), возвращает 409 needs_confirmation со " +
        "средним в details.farFromAverage: повторите с confirm: true. Опубликованную отметку меняет только " +
        "заместитель директора или администратор с причиной из списка (reason, 003 §7): старое значение " +
        "сохраняется, семья получает уведомление; учителю — 423.",
      body: setPeriodMarksInput.strict(),
      response: setPeriodMarksResponse,
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
      response: publishResponse,
    },
    (input, actor) => publishPeriod(db, actor, input),
  );
}
