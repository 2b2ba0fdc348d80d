import { z } from "zod";
import {
  acknowledge,
  ackStatus,
  inbox,
  markRead,
  sendMessage,
  sendMessageInput,
  thread,
} from "../../journal/messages.js";
import { id, int } from "../../journal/validate.js";
import { classRef, dateTime, id as idOut, messageRow, obj, personRef, pupilRef } from "../responses.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

const messageParams = z.strictObject({ messageId: id });
const inboxQuery = z.strictObject({
  limit: int(1, 100).optional(),
  unreadOnly: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

const readAt = dateTime.nullable().describe("Когда прочитано; null — не прочитано");
const acknowledgedAt = dateTime.nullable().describe("Когда нажато «ознакомлен(а)»; null — нет");

export const sentMessageResponse = messageRow.extend({ recipientIds: z.array(idOut) });

export const inboxResponse = z
  .array(
    messageRow.extend({
      author: personRef,
      pupil: pupilRef.nullable().describe("Ученик, о котором сообщение"),
      class: classRef.nullable(),
      readAt,
      acknowledgedAt,
    }),
  )
  .describe("Новые сначала");

export const threadResponse = z
  .array(
    messageRow.extend({
      author: personRef,
      recipients: z
        .array(obj({ readAt, acknowledgedAt }))
        .describe("Моя отметка о прочтении; пусто, если сообщение написал я"),
    }),
  )
  .describe("Вся переписка, старые сначала");

export const acknowledgeResponse = obj({ messageId: idOut, acknowledgedAt: dateTime });

const ackPerson = obj({
  personId: idOut,
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  acknowledgedAt,
  readAt,
  children: z.array(pupilRef).describe("Для родителя — его дети"),
});
export const ackStatusResponse = obj({
  needsAck: z.boolean(),
  acknowledged: z.array(ackPerson),
  pending: z.array(ackPerson).describe("Бот подключён, но ещё не ознакомились"),
  notLinked: z.array(ackPerson).describe("Бот не подключён: сообщить другим способом"),
});

export async function messageRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "POST",
      url: "/messages",
      tag: "messages",
      summary: "Отправить сообщение или объявление / Send a message or announcement",
      description:
        "DIRECT — конкретным людям; CLASS — родителям класса (классный руководитель); SCHOOL — объявление всей школе (администрация); REMARK/PRAISE — замечание или благодарность родителям ученика (его учитель). needsAck — просить «ознакомлен(а)»; replyToId — ответ в ветке.",
      body: sendMessageInput.strict(),
      status: 201,
      response: sentMessageResponse,
    },
    (input, actor) => sendMessage(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/messages",
      tag: "messages",
      summary: "Входящие / Inbox",
      query: inboxQuery,
      response: inboxResponse,
    },
    (input, actor) => inbox(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/messages/:messageId/thread",
      tag: "messages",
      summary: "Переписка целиком / Thread",
      params: messageParams,
      response: threadResponse,
    },
    (input, actor) => thread(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/messages/:messageId/read",
      tag: "messages",
      summary: "Отметить прочитанным / Mark read",
      params: messageParams,
      status: 204,
    },
    (input, actor) => markRead(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/messages/:messageId/acknowledge",
      tag: "messages",
      summary: "Ознакомлен(а) / Acknowledge",
      params: messageParams,
      response: acknowledgeResponse,
    },
    (input, actor) => acknowledge(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/messages/:messageId/acknowledgements",
      tag: "messages",
      summary: "Кто ознакомился, кто нет, у кого не подключён бот / Acknowledgement status",
      params: messageParams,
      response: ackStatusResponse,
    },
    (input, actor) => ackStatus(db, actor, input),
  );
}
