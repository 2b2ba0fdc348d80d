import { z } from "zod";
import { Role } from "../../generated/prisma/enums.js";
import {
  createPerson,
  createPersonInput,
  getPerson,
  searchPeople,
  setRoles,
  setRolesInput,
} from "../../journal/roster.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const personParams = z.strictObject({ personId: id });
// Query strings are text: the number is coerced here, the service checks the rest.
const searchQuery = z.strictObject({
  query: z.string().trim().max(60).optional(),
  role: z.enum(Role).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export async function peopleRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/people",
      tag: "people",
      summary: "Поиск людей по фамилии и роли / Search people",
      query: searchQuery,
    },
    (input, actor) => searchPeople(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/people",
      tag: "people",
      summary: "Создать человека: сотрудника, ученика или родителя / Create a person",
      description:
        "Сотрудников заводит администратор; учеников (с зачислением в класс) и родителей (с детьми) — классный руководитель класса.",
      body: createPersonInput.strict(),
      status: 201,
    },
    (input, actor) => createPerson(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/people/:personId",
      tag: "people",
      summary: "Карточка человека / A person",
      params: personParams,
    },
    (input, actor) => getPerson(db, actor, input),
  );
  route(
    app,
    {
      method: "PUT",
      url: "/people/:personId/roles",
      tag: "people",
      summary: "Роли человека / Set roles",
      description: "Только администратор журнала.",
      params: personParams,
      body: bodyOf(setRolesInput, "personId"),
    },
    (input, actor) => setRoles(db, actor, input),
  );
}
