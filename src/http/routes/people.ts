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
import { id, int, line } from "../../journal/validate.js";
import {
  classRef,
  dateTime,
  enrolmentRow,
  id as idOut,
  midnight,
  obj,
  personRef,
  pupilRef,
  roles,
  sex,
} from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const personParams = z.strictObject({ personId: id });
// Query strings are text: the number is coerced here, the service checks the rest.
const searchQuery = z.strictObject({
  query: line(60, 0).optional(),
  role: z.enum(Role).optional(),
  limit: int(1, 100).optional(),
});

export const peopleResponse = z.array(personRef.extend({ roles })).describe("По фамилии и имени");

/** A person's own fields; contacts and login come only to those who may see them (else null). */
const personFields = {
  id: idOut,
  schoolId: idOut,
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: midnight.nullable(),
  sex: sex.nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  login: z.string().nullable(),
  blockedAt: dateTime.nullable().describe("Заблокирован с; null — не заблокирован"),
  roles,
};

export const createdPersonResponse = obj({
  ...personFields,
  language: z.string(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const personResponse = obj({
  ...personFields,
  enrolments: z
    .array(enrolmentRow.extend({ class: classRef }))
    .describe("История зачислений ученика, старые сначала"),
  wards: z.array(obj({ relation: z.string().nullable(), pupil: pupilRef })).describe("Дети родителя"),
  guardians: z
    .array(obj({ relation: z.string().nullable(), guardian: personRef }))
    .describe("Родители ученика"),
});

export const rolesResponse = obj({ personId: idOut, roles });

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
      response: peopleResponse,
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
      response: createdPersonResponse,
    },
    // The password hash (none yet for a new person) never leaves the service.
    async (input, actor) => {
      const { passwordHash: _, ...person } = await createPerson(db, actor, input);
      return person;
    },
  );
  route(
    app,
    {
      method: "GET",
      url: "/people/:personId",
      tag: "people",
      summary: "Карточка человека / A person",
      params: personParams,
      response: personResponse,
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
      response: rolesResponse,
    },
    (input, actor) => setRoles(db, actor, input),
  );
}
