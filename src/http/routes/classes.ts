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
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

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
    },
    (input, actor) => setSubgroupMembers(db, actor, input),
  );
}
