import { z } from "zod";
import { childrenOf, diary, diaryInput, subjectMarks, subjectMarksInput } from "../../journal/diary.js";
import { pupilPeriodMarks } from "../../journal/periods.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

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
    },
    (input, actor) => pupilPeriodMarks(db, actor, input),
  );
}
