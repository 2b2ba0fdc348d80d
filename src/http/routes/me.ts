import { z } from "zod";
import { getPreferences, updatePreferences, updatePreferencesInput } from "../../journal/preferences.js";
import { classRef, hhmm, id, jsonResponse, obj, pupilRef, roles } from "../responses.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

export const meResponse = obj({
  id,
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  login: z.string().nullable(),
  language: z.string().describe("Язык бота и уведомлений: ru или en"),
  roles,
  school: obj({ id, name: z.string(), timeZone: z.string() }),
  classesLed: z.array(classRef).describe("Классы, где я классный руководитель"),
  children: z.array(pupilRef).describe("Мои дети (для родителя)"),
});

export const preferencesResponse = obj({
  personId: id,
  marks: z.boolean(),
  homework: z.boolean(),
  absences: z.boolean(),
  messages: z.boolean(),
  mode: z.enum(["INSTANT", "DIGEST"]).describe("Сразу или сводкой раз в день"),
  digestTime: hhmm,
  quietStart: hhmm.nullable().describe("Свои тихие часы; null — как в школе"),
  quietEnd: hhmm.nullable(),
  email: z.boolean().describe("Копия на e-mail"),
  effectiveQuiet: obj({ start: hhmm, end: hhmm, fromSchool: z.boolean() }).describe("Тихие часы в силе"),
  hasEmail: z.boolean(),
  language: z.string(),
});

export async function meRoutes(app: Api) {
  const { db } = app.services;
  app.get(
    "/me",
    {
      schema: {
        tags: ["me"],
        summary: "Кто я: профиль, роли, школа, классы и дети / Current user",
        response: { 200: jsonResponse(meResponse) },
      },
    },
    async (request) => {
      const { personId } = request.actor;
      const person = await db.person.findUniqueOrThrow({
        where: { id: personId },
        select: {
          id: true,
          lastName: true,
          firstName: true,
          middleName: true,
          login: true,
          language: true,
          roles: { select: { role: true } },
          school: { select: { id: true, name: true, timeZone: true } },
          classesLed: { select: { id: true, grade: true, letter: true } },
          wards: { select: { pupil: { select: { id: true, lastName: true, firstName: true } } } },
        },
      });
      const { wards, ...rest } = person;
      return { ...rest, roles: person.roles.map((r) => r.role), children: wards.map((w) => w.pupil) };
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/me/preferences",
      tag: "me",
      summary: "Мои настройки уведомлений / Notification preferences",
      response: preferencesResponse,
    },
    (_input, actor) => getPreferences(db, actor, {}),
  );
  route(
    app,
    {
      method: "PATCH",
      url: "/me/preferences",
      tag: "me",
      summary: "Изменить настройки уведомлений / Update notification preferences",
      description: "Какие события присылать, сразу или сводкой, время сводки, тихие часы, копия на e-mail.",
      body: updatePreferencesInput,
      response: preferencesResponse,
    },
    (input, actor) => updatePreferences(db, actor, input),
  );
}
