import { z } from "zod";
import {
  createAssignment,
  createAssignmentInput,
  deleteAssignment,
  listAssignments,
  listAssignmentsInput,
} from "../../journal/teaching.js";
import { getTopicPlan, setTopicPlan, setTopicPlanInput } from "../../journal/topic-plan.js";
import { id } from "../../journal/validate.js";
import { assignmentRow, count, id as idOut, midnight, obj, topicPlanItemRow } from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";
import { assignmentParts } from "./timetable.js";

export const assignmentsResponse = z.array(
  assignmentRow.extend({
    ...assignmentParts,
    subject: obj({ id: idOut, name: z.string(), graded: z.boolean(), doubleMarks: z.boolean() }),
  }),
);

export const topicPlanResponse = obj({
  assignmentId: idOut,
  totalHours: count,
  items: z.array(
    topicPlanItemRow.extend({
      lessons: z
        .array(obj({ id: idOut, date: midnight, lessonNumber: z.number().int() }))
        .describe("Уроки, на которых тема пройдена"),
      done: z.boolean().describe("Тема уже выбрана хотя бы в одном уроке"),
    }),
  ),
});

export async function assignmentRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/assignments",
      tag: "assignments",
      summary: "Учебная нагрузка: кто что ведёт / Teaching assignments",
      query: listAssignmentsInput.strict(),
      response: assignmentsResponse,
    },
    (input, actor) => listAssignments(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/assignments",
      tag: "assignments",
      summary: "Назначить учителя на предмет в классе / Create an assignment",
      description: "Администратор или завуч. Для подгруппы — subgroupId.",
      body: createAssignmentInput.strict(),
      status: 201,
      response: assignmentRow,
    },
    (input, actor) => createAssignment(db, actor, input),
  );
  route(
    app,
    {
      method: "DELETE",
      url: "/assignments/:assignmentId",
      tag: "assignments",
      summary: "Удалить ошибочную нагрузку / Delete an assignment",
      params: z.strictObject({ assignmentId: id }),
      status: 204,
    },
    (input, actor) => deleteAssignment(db, actor, input),
  );
  const assignmentParams = z.strictObject({ assignmentId: id });
  route(
    app,
    {
      method: "GET",
      url: "/assignments/:assignmentId/topic-plan",
      tag: "assignments",
      summary: "КТП нагрузки и уроки по каждой теме / Topic plan",
      params: assignmentParams,
      response: topicPlanResponse,
    },
    (input, actor) => getTopicPlan(db, actor, input),
  );
  route(
    app,
    {
      method: "PUT",
      url: "/assignments/:assignmentId/topic-plan",
      tag: "assignments",
      summary: "Загрузить КТП целиком / Set the topic plan",
      description:
        "Темы сопоставляются по номеру; тему, уже выбранную в уроках, удалить нельзя (409). Для файлов — POST /imports/topic-plan.",
      params: assignmentParams,
      body: bodyOf(setTopicPlanInput, "assignmentId"),
      response: topicPlanResponse,
    },
    (input, actor) => setTopicPlan(db, actor, input),
  );
}
