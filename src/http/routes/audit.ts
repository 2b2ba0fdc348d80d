import { z } from "zod";
import { requireRole } from "../../journal/access.js";
import { dateOnly, id, int, isoDate, line } from "../../journal/validate.js";
import { bigId, dateTime, id as idOut, obj } from "../responses.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

const auditQuery = z
  .strictObject({
    entity: line(60).optional(),
    entityId: line(60).optional(),
    actorId: id.optional(),
    action: line(60).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Rows older than this id (the previous page's `nextBefore`). */
    before: int(1, Number.MAX_SAFE_INTEGER).optional(),
    limit: int(1, 500).default(100),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "начало не позже конца", path: ["to"] });

export const auditResponse = obj({
  entries: z
    .array(
      obj({
        id: bigId,
        schoolId: idOut.nullable(),
        actorId: idOut.nullable().describe("Кто изменил; null — система"),
        action: z.string().describe("Действие, например mark.post, lesson.update"),
        entity: z.string().describe("Сущность: Mark, Lesson, Person…"),
        entityId: z.string(),
        before: z.unknown().describe("Что было: любое значение JSON; null — не записано"),
        after: z.unknown().describe("Что стало: любое значение JSON; null — не записано"),
        at: dateTime,
      }),
    )
    .describe("Новые сначала"),
  nextBefore: z.string().nullable().describe("Для следующей страницы: before=nextBefore; null — больше нет"),
});

export async function auditRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/audit",
      tag: "audit",
      summary: "Журнал изменений: кто, что и когда / Audit log",
      description:
        "Для администратора, директора и завуча. Фильтры: сущность и её id, автор, действие, даты (включительно). Новые сверху; следующая страница — before=nextBefore.",
      query: auditQuery,
      response: auditResponse,
    },
    async (input, actor) => {
      requireRole(actor, "ADMIN", "DIRECTOR", "DEPUTY");
      const q = auditQuery.parse(input);
      const at =
        q.from || q.to
          ? {
              ...(q.from ? { gte: dateOnly(q.from) } : {}),
              // "to" is a whole day; the log is timestamped (UTC day boundaries).
              ...(q.to ? { lt: new Date(dateOnly(q.to).getTime() + 86_400_000) } : {}),
            }
          : undefined;
      const rows = await db.auditLog.findMany({
        where: {
          schoolId: actor.schoolId,
          ...(q.entity ? { entity: q.entity } : {}),
          ...(q.entityId ? { entityId: q.entityId } : {}),
          ...(q.actorId ? { actorId: q.actorId } : {}),
          ...(q.action ? { action: q.action } : {}),
          ...(at ? { at } : {}),
          ...(q.before ? { id: { lt: q.before } } : {}),
        },
        orderBy: { id: "desc" },
        take: q.limit,
      });
      const last = rows.at(-1);
      return { entries: rows, nextBefore: rows.length === q.limit && last ? last.id.toString() : null };
    },
  );
}
