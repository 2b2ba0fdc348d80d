import { z } from "zod";
import {
  classPupils,
  classPupilsInput,
  createClass,
  createClassInput,
  createSubgroup,
  createSubgroupInput,
  listClasses,
  listClassesInput,
  setSubgroupMembers,
  setSubgroupMembersInput,
  updateClass,
  updateClassInput,
} from "../../journal/roster.js";
import { id } from "../../journal/validate.js";
import { classRow, id as idOut, midnight, obj, personRef, ref, sex, subgroupRow } from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

export const classesResponse = z.array(
  classRow.extend({
    classTeacher: personRef.nullable(),
    subgroups: z.array(ref),
    name: z.string().describe("Класс, например 5А"),
  }),
);

export const classPupilsResponse = z
  .array(
    obj({
      id: idOut,
      lastName: z.string(),
      firstName: z.string(),
      middleName: z.string().nullable(),
      birthDate: midnight.nullable(),
      sex: sex.nullable(),
      joinedOn: midnight.describe("В классе с"),
      joinOrder: z.string().nullable().describe("Номер приказа о зачислении"),
      subgroupIds: z.array(idOut).describe("Подгруппы этого класса, в которых ученик"),
    }),
  )
  .describe("По фамилии");

export const subgroupMembersResponse = obj({ subgroupId: idOut, pupilIds: z.array(idOut) });

const classParams = z.strictObject({ classId: id });

export async function classRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/classes",
      tag: "classes",
      summary: "Классы учебного года / Classes",
      query: listClassesInput.strict(),
      response: classesResponse,
    },
    (input, actor) => listClasses(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/classes",
      tag: "classes",
      summary: "Создать класс / Create a class",
      body: createClassInput.strict(),
      status: 201,
      response: classRow,
    },
    (input, actor) => createClass(db, actor, input),
  );
  route(
    app,
    {
      method: "PATCH",
      url: "/classes/:classId",
      tag: "classes",
      summary: "Изменить класс: литера, классный руководитель / Update a class",
      params: classParams,
      body: bodyOf(updateClassInput, "classId"),
      response: classRow,
    },
    (input, actor) => updateClass(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/classes/:classId/pupils",
      tag: "classes",
      summary: "Список класса на дату / Class list on a date",
      params: classParams,
      query: bodyOf(classPupilsInput, "classId"),
      response: classPupilsResponse,
    },
    (input, actor) => classPupils(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/classes/:classId/subgroups",
      tag: "classes",
      summary: "Создать подгруппу / Create a subgroup",
      params: classParams,
      body: bodyOf(createSubgroupInput, "classId"),
      status: 201,
      response: subgroupRow,
    },
    (input, actor) => createSubgroup(db, actor, input),
  );
  route(
    app,
    {
      method: "PUT",
      url: "/subgroups/:subgroupId/members",
      tag: "classes",
      summary: "Состав подгруппы / Set subgroup members",
      params: z.strictObject({ subgroupId: id }),
      body: bodyOf(setSubgroupMembersInput, "subgroupId"),
      response: subgroupMembersResponse,
    },
    (input, actor) => setSubgroupMembers(db, actor, input),
  );
}
