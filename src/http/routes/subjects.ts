import { z } from "zod";
import {
  createControlForm,
  createControlFormInput,
  createSubject,
  createSubjectInput,
  listControlForms,
  listSubjects,
} from "../../journal/roster.js";
import { controlFormRow, subjectRow } from "../responses.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

export async function subjectRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/subjects",
      tag: "subjects",
      summary: "Предметы школы / Subjects",
      response: z.array(subjectRow).describe("По названию"),
    },
    (_i, actor) => listSubjects(db, actor),
  );
  route(
    app,
    {
      method: "POST",
      url: "/subjects",
      tag: "subjects",
      summary: "Добавить предмет / Create a subject",
      description:
        "Название — как в учебном плане, с заглавной буквы. graded=false — безотметочное обучение; doubleMarks — две отметки за письменные работы.",
      body: createSubjectInput.strict(),
      status: 201,
      response: subjectRow,
    },
    (input, actor) => createSubject(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/control-forms",
      tag: "subjects",
      summary: "Формы контроля и их веса / Control forms",
      response: z.array(controlFormRow).describe("По весу, затем по названию"),
    },
    (_i, actor) => listControlForms(db, actor),
  );
  route(
    app,
    {
      method: "POST",
      url: "/control-forms",
      tag: "subjects",
      summary: "Добавить форму контроля с весом / Create a control form",
      body: createControlFormInput.strict(),
      status: 201,
      response: controlFormRow,
    },
    (input, actor) => createControlForm(db, actor, input),
  );
}
