import { z } from "zod";
import { childrenOf, diary, diaryInput, subjectMarks, subjectMarksInput } from "../../journal/diary.js";
import { pupilPeriodMarks } from "../../journal/periods.js";
import { id } from "../../journal/validate.js";
import {
  absenceReason,
  attendanceKind,
  average,
  dateTime,
  day,
  hhmm,
  id as idOut,
  markCell,
  markValue,
  obj,
  periodKind,
  periodMarkKind,
  ref,
} from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

export const childrenResponse = z.array(
  obj({
    pupilId: idOut,
    lastName: z.string(),
    firstName: z.string(),
    middleName: z.string().nullable(),
    class: obj({ id: idOut, grade: z.number().int(), letter: z.string(), name: z.string() })
      .nullable()
      .describe("Класс на сегодня; null — сейчас ни в одном классе"),
  }),
);

export const diaryResponse = z
  .array(
    obj({
      date: day,
      lessons: z.array(
        obj({
          lessonId: idOut,
          lessonNumber: z.number().int(),
          startsAt: hhmm,
          endsAt: hhmm,
          subject: ref,
          topic: z.string().nullable(),
          homework: z.string().nullable(),
          homeworkNone: z.boolean().describe("«Не задано»: учитель явно указал, что задания нет"),
          controlForm: obj({ id: idOut, name: z.string(), weight: z.number().int() }).nullable(),
          substituted: z.boolean().describe("Урок вёл заменяющий учитель"),
          marks: z.array(markCell).describe("Отметки ученика за урок"),
          attendance: obj({ kind: attendanceKind, reason: absenceReason.nullable() })
            .nullable()
            .describe("null — был на уроке"),
        }),
      ),
    }),
  )
  .describe("Дни с уроками, по порядку; дни без уроков не приходят");

export const subjectMarksResponse = obj({
  subject: ref,
  period: obj({ id: idOut, name: z.string(), startDate: day, endDate: day })
    .nullable()
    .describe("Период; null — учебный год ещё не начался"),
  marks: z.array(
    obj({
      id: idOut,
      lessonId: idOut,
      date: day,
      value: markValue,
      value2: z.string().nullable(),
      weight: z.number().int(),
      comment: z.string().nullable(),
      controlForm: ref.nullable(),
      formName: z.string().nullable(),
    }),
  ),
  average,
  explanation: z.string().describe("Из чего сложился средний балл"),
  lift: z
    .array(
      obj({
        weight: z.number().int(),
        forms: z.array(z.string()).describe("Формы контроля с этим весом"),
        mark: obj({
          mark: z.string().describe("Наименьшая отметка этого веса, которая поднимет балл"),
          target: z.number().int().describe("Отметка, которой станет балл"),
          average: z.number().describe("Балл с этой отметкой"),
        })
          .nullable()
          .describe("null — поднять нельзя одной отметкой (или уже 5, или отметок нет)"),
      }),
    )
    .describe("Как поднять средний балл: по одному варианту на каждый вес"),
});

export const pupilPeriodMarksResponse = z.array(
  obj({
    id: idOut,
    kind: periodMarkKind,
    value: z.string().describe("«2»–«5» или «н/а»"),
    publishedAt: dateTime.nullable().describe("Когда опубликована; null — ещё не видна семье"),
    subject: ref,
    period: obj({ id: idOut, name: z.string(), kind: periodKind }),
  }),
);

const pupilParams = z.strictObject({ pupilId: id });

export async function diaryRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/me/children",
      tag: "diary",
      summary: "Мои дети (для ученика — он сам) с классами / My children",
      response: childrenResponse,
    },
    (_input, actor) => childrenOf(db, actor),
  );
  route(
    app,
    {
      method: "GET",
      url: "/pupils/:pupilId/diary",
      tag: "diary",
      summary: "Дневник ученика по дням: уроки, темы, задания, отметки, пропуски / Diary",
      description: "Видят сам ученик, его родители, его учителя и администрация; чужой ребёнок — 404.",
      params: pupilParams,
      query: bodyOf(diaryInput, "pupilId"),
      response: diaryResponse,
    },
    (input, actor) => diary(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/pupils/:pupilId/subjects/:subjectId/marks",
      tag: "diary",
      summary: "Отметки по предмету, средний балл и как его поднять / Subject marks",
      params: z.strictObject({ pupilId: id, subjectId: id }),
      query: bodyOf(subjectMarksInput, "pupilId", "subjectId"),
      response: subjectMarksResponse,
    },
    (input, actor) => subjectMarks(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/pupils/:pupilId/period-marks",
      tag: "diary",
      summary: "Отметки ученика за периоды, год, экзамены / Pupil's period marks",
      description:
        "Видят те же, кто видит дневник ученика. Ученик и родители видят только опубликованные итоги периодов; учителя и администрация — и неопубликованные.",
      params: pupilParams,
      response: pupilPeriodMarksResponse,
    },
    (input, actor) => pupilPeriodMarks(db, actor, input),
  );
}
