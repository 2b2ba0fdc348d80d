import { z } from "zod";
import {
  blockPerson,
  blockPersonInput,
  setCredentials,
  setCredentialsInput,
} from "../../journal/credentials.js";
import { issueInvite } from "../../journal/invites.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const personParams = z.strictObject({ personId: id });

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
    },
    (input, actor) => issueInvite(db, actor, input),
  );
}
