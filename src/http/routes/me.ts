import { getPreferences, updatePreferences, updatePreferencesInput } from "../../journal/preferences.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

export async function meRoutes(app: Api) {
  const { db } = app.services;
  app.get(
    "/me",
    {
      schema: {
        tags: ["me"],
        summary: "Кто я: профиль, роли, школа, классы и дети / Current user",
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
      return {
        ...person,
        roles: person.roles.map((r) => r.role),
        children: person.wards.map((w) => w.pupil),
        wards: undefined,
      };
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/me/preferences",
      tag: "me",
      summary: "Мои настройки уведомлений / Notification preferences",
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
    },
    (input, actor) => updatePreferences(db, actor, input),
  );
}
