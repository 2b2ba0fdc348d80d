import { z } from "zod";
import {
  blockPerson,
  blockPersonInput,
  setCredentials,
  setCredentialsInput,
} from "../../journal/credentials.js";
import { issueInvite } from "../../journal/invites.js";
import { id } from "../../journal/validate.js";
import { dateTime, id as idOut, obj } from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const personParams = z.strictObject({ personId: id });

export const credentialsResponse = obj({ personId: idOut, login: z.string() });
export const blockResponse = obj({
  personId: idOut,
  blockedAt: dateTime.nullable().describe("Заблокирован с; null — блокировка снята"),
});
export const inviteResponse = obj({
  code: z.string().describe("Одноразовый код: показывается только здесь, в базе — лишь его хэш"),
  expiresAt: dateTime,
});

export async function credentialRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "PUT",
      url: "/people/:personId/credentials",
      tag: "people",
      summary: "Выдать или сбросить логин и пароль / Set credentials",
      description:
        "Сотрудникам — администратор журнала; ученикам и родителям — классный руководитель их класса. Прежние сеансы человека завершаются.",
      params: personParams,
      body: bodyOf(setCredentialsInput, "personId"),
      response: credentialsResponse,
    },
    (input, actor) => setCredentials(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/people/:personId/block",
      tag: "people",
      summary: "Заблокировать или разблокировать / Block or unblock",
      description: "Только администратор. `blocked: false` снимает блокировку. Токены обновления отзываются.",
      params: personParams,
      body: bodyOf(blockPersonInput, "personId"),
      response: blockResponse,
    },
    (input, actor) => blockPerson(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/people/:personId/invites",
      tag: "people",
      summary: "Код приглашения для Telegram-бота / Issue a one-time invite code",
      description:
        "Одноразовый код со сроком действия; в базе хранится только его хэш, код показывается один раз.",
      params: personParams,
      status: 201,
      response: inviteResponse,
    },
    (input, actor) => issueInvite(db, actor, input),
  );
}
