import { z } from "zod";
import { classGuardians } from "../../journal/class-guardians.js";
import { classInvitesInput, issueClassInvites } from "../../journal/class-invites.js";
import { classMessages, classMessagesInput } from "../../journal/class-messages.js";
import { id } from "../../journal/validate.js";
import {
  binary,
  count,
  dateTime,
  id as idOut,
  messageKind,
  namedClass,
  obj,
  personRef,
  pupilRef,
} from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";
import { attachment } from "./reports.js";

/** The class teacher's pages: who in the families is reached, invitations in bulk, class messages. */

const classParams = z.strictObject({ classId: id });

const linkStatus = z
  .enum(["telegram", "email", "none"])
  .describe("telegram — бот подключён; email — уведомления на почту; none — не получает ничего");

export const classGuardiansResponse = obj({
  class: namedClass,
  pupils: z
    .array(
      personRef.extend({
        guardians: z.array(
          personRef.extend({
            relation: z.string().nullable(),
            status: linkStatus,
            telegram: z.boolean().describe("Есть подключённый чат Telegram"),
            hasEmail: z.boolean(),
            emailAlerts: z.boolean().describe("Включены уведомления на почту"),
            blocked: z.boolean(),
            staff: z.boolean().describe("Сотрудник школы: код выдаёт администратор журнала"),
            inviteExpiresAt: dateTime.nullable().describe("Выданный код ещё действует до; null — нет"),
          }),
        ),
      }),
    )
    .describe("Ученики класса сегодня, по фамилии"),
  totals: obj({
    guardians: count,
    telegram: count,
    email: count,
    none: count,
  }).describe("По родителям класса (родитель двоих детей считается один раз)"),
});

const guardianRef = personRef;
export const classInvitesResponse = obj({
  class: namedClass,
  expiresAt: dateTime,
  invites: z
    .array(obj({ guardian: guardianRef, children: z.array(personRef), code: z.string() }))
    .describe("Коды показываются только здесь: в базе — лишь их хэши"),
  skipped: z
    .array(obj({ guardian: guardianRef, why: z.enum(["blocked", "staff"]) }))
    .describe("blocked — заблокирован; staff — сотрудник, код выдаёт администратор"),
});

export const classMessagesResponse = z
  .array(
    obj({
      id: idOut,
      kind: messageKind,
      body: z.string(),
      needsAck: z.boolean(),
      urgent: z.boolean(),
      createdAt: dateTime,
      author: personRef,
      pupil: pupilRef.nullable().describe("Ученик, родителям которого сообщение"),
      counts: obj({
        recipients: count,
        read: count,
        acknowledged: count.describe("Нажали «Ознакомлен»"),
        notLinked: count.describe("Бот не подключён: сообщить другим способом"),
      }),
    }),
  )
  .describe("Новые сначала");

const invitesQuery = z.strictObject({
  format: z.enum(["json", "pdf"]).default("json").describe("pdf — листок с кодом и QR-кодом для каждого"),
});

export async function classTeacherRoutes(app: Api) {
  const { db, botUsername } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/classes/:classId/guardians",
      tag: "classes",
      summary: "Родители класса и подключение к боту / Guardians and their link status",
      description:
        "Ученики класса с родителями: подключён ли Telegram-бот, уведомления на почту, действующий код. Видят классный руководитель этого класса и администрация.",
      params: classParams,
      response: classGuardiansResponse,
    },
    (input, actor) => classGuardians(db, actor, input),
  );

  app.post(
    "/classes/:classId/invites",
    {
      schema: {
        tags: ["people"],
        summary: "Коды приглашения всем неподключённым родителям класса / Invite codes for a class",
        description:
          "Одним запросом и одной транзакцией: по новому одноразовому коду каждому родителю класса без подключённого бота (или только guardianIds); прежние неиспользованные коды этих родителей перестают действовать. format=pdf — листы A4 для печати: ФИО ребёнка, код, ссылка на бота и QR-код. Классный руководитель этого класса, заместитель директора, администратор.",
        params: classParams,
        querystring: invitesQuery,
        body: bodyOf(classInvitesInput, "classId").nullish(),
        response: {
          200: {
            description: "format=json — коды; pdf — файл (Content-Disposition: attachment)",
            content: {
              "application/json": { schema: classInvitesResponse },
              "application/pdf": { schema: binary("PDF") },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      const result = await issueClassInvites(db, request.actor, {
        ...(request.body as object | undefined),
        classId: request.params.classId,
      });
      if (format === "json") return reply.send(result as never);
      const school = await db.school.findUniqueOrThrow({
        where: { id: request.actor.schoolId },
        select: { name: true, timeZone: true },
      });
      // pdfmake and the QR encoder load on the first printout, not at start (as reports do).
      const { inviteSlipsPdf } = await import("../../reports/invite-slips.js");
      const pdf = await inviteSlipsPdf(result.invites, {
        schoolName: school.name,
        className: result.class.name,
        botUsername: await botUsername(),
        expiresAt: result.expiresAt,
        timeZone: school.timeZone,
      });
      const base = `invites-${result.class.id}`;
      return reply
        .header("content-type", "application/pdf")
        .header("cache-control", "no-store")
        .header(
          "content-disposition",
          attachment(`Приглашения родителям ${result.class.name} (${base}).pdf`, `${base}.pdf`),
        )
        .send(pdf as never);
    },
  );

  route(
    app,
    {
      method: "GET",
      url: "/classes/:classId/messages",
      tag: "messages",
      summary: "Сообщения родителям класса и «Ознакомлен» / Class messages with read counts",
      description:
        "Сообщения классу и родителям учеников класса, новые сначала: сколько получили, прочитали, нажали «Ознакомлен», у скольких не подключён бот. Кто именно не прочитал — GET /messages/{messageId}/acknowledgements. Классный руководитель видит свои сообщения, администрация — все.",
      params: classParams,
      query: bodyOf(classMessagesInput, "classId"),
      response: classMessagesResponse,
    },
    (input, actor) => classMessages(db, actor, input),
  );
}
