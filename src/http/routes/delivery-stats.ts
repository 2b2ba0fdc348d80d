import { z } from "zod";
import { deliveryStats, deliveryStatsInput } from "../../journal/delivery-stats.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

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
    },
    (input, actor) => deliveryStats(db, actor, input),
  );
}
