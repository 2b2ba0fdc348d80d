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
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

const messageParams = z.strictObject({ messageId: id });
const inboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  unreadOnly: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
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
    },
    (input, actor) => ackStatus(db, actor, input),
  );
}
