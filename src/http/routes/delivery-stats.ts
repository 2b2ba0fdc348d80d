import { z } from "zod";
import { deliveryStats, deliveryStatsInput } from "../../journal/delivery-stats.js";
import { id } from "../../journal/validate.js";
import { count, dateTime, id as idOut, obj, personRef } from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const guardian = personRef.omit({ id: true }).extend({ personId: idOut });

export const deliveryStatsResponse = obj({
  classId: idOut,
  guardians: count.describe("Родителей учеников класса"),
  linked: count.describe("С подключённым ботом"),
  sent: count.describe("Доставлено"),
  waiting: count.describe("Ждут отправки: тихие часы, сводка, задержка"),
  failed: count.describe("Не доставлено: бот заблокирован, чат удалён, сообщение отклонено"),
  expired: count.describe(
    "Устарело: не удалось отправить, пока уведомление было актуально (долгий сбой связи; отметки — сутки, сообщения — трое суток)",
  ),
  cancelled: count.describe("Отменено"),
  inactiveLinks: z
    .array(
      guardian.extend({
        why: z.string().nullable().describe("blocked — заблокировал бота, unlinked, chat_not_found"),
        since: dateTime.nullable(),
      }),
    )
    .describe("Связь с ботом потеряна"),
  notLinked: z.array(guardian).describe("Ни разу не подключались"),
});

export async function deliveryStatsRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/classes/:classId/delivery-stats",
      tag: "notifications",
      summary: "Статистика уведомлений родителям класса / Delivery statistics of a class",
      description:
        "Сколько уведомлений доставлено, ждут отправки (тихие часы, сводка, задержка), не доставлены, отменены; кто из родителей подключил бота, у кого связь с ботом потеряна (заблокировал бота, удалил чат) и кто не подключался — чтобы классный руководитель мог им позвонить. from/to (ГГГГ-ММ-ДД, включительно) ограничивают период. Видят классный руководитель и администрация; чужой класс — 403, класс другой школы — 404.",
      params: z.strictObject({ classId: id }),
      query: bodyOf(deliveryStatsInput, "classId"),
      response: deliveryStatsResponse,
    },
    (input, actor) => deliveryStats(db, actor, input),
  );
}
