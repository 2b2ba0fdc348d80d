import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { notFound } from "../journal/errors.js";
import { dateOnly, id, isoDate, isoOf, parseInput } from "../journal/validate.js";
import { className, type ReportDocument, russianRange } from "./document.js";
import { requireAdministration } from "./scope.js";

/**
 * Activity of guardians per class (002 §4.3.10, 004 §8): how many are linked to the bot (an
 * active chat link), how many were active in the range (read, acknowledged or wrote a message),
 * and how many messages that needed an acknowledgement were acknowledged.
 */
export const activityReportInput = z.object({
  yearId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export async function activityReport(db: DbOrTx, actor: Actor, input: unknown) {
  const args = parseInput(activityReportInput, input);
  requireAdministration(actor);
  const year = args.yearId
    ? await db.academicYear.findUnique({ where: { id: args.yearId } })
    : await db.academicYear.findFirst({
        where: { schoolId: actor.schoolId },
        orderBy: { startDate: "desc" },
      });
  if (!year || year.schoolId !== actor.schoolId) throw notFound("Учебный год");
  const from = args.from ?? isoOf(year.startDate);
  const to = args.to ?? isoOf(year.endDate);
  const start = dateOnly(from);
  const end = new Date(dateOnly(to).getTime() + 86_400_000);
  const classes = await db.class.findMany({
    where: { yearId: year.id },
    orderBy: [{ grade: "asc" }, { letter: "asc" }],
    include: { enrolments: { where: { leftOn: null }, select: { pupilId: true } } },
  });
  const rows = [];
  for (const c of classes) {
    const pupilIds = c.enrolments.map((e) => e.pupilId);
    const links = await db.guardianLink.findMany({
      where: { pupilId: { in: pupilIds } },
      select: { guardianId: true },
    });
    const guardianIds = [...new Set(links.map((l) => l.guardianId))];
    const linked = await db.chatLink.findMany({
      where: { personId: { in: guardianIds }, active: true },
      distinct: ["personId"],
      select: { personId: true },
    });
    const readers = await db.messageRecipient.findMany({
      where: {
        personId: { in: guardianIds },
        OR: [{ readAt: { gte: start, lt: end } }, { acknowledgedAt: { gte: start, lt: end } }],
      },
      distinct: ["personId"],
      select: { personId: true },
    });
    const writers = await db.message.findMany({
      where: { authorId: { in: guardianIds }, createdAt: { gte: start, lt: end } },
      distinct: ["authorId"],
      select: { authorId: true },
    });
    const active = new Set([...readers.map((r) => r.personId), ...writers.map((w) => w.authorId)]);
    const ackWhere = {
      personId: { in: guardianIds },
      message: { needsAck: true, createdAt: { gte: start, lt: end } },
    };
    const needAck = await db.messageRecipient.count({ where: ackWhere });
    const acknowledged = await db.messageRecipient.count({
      where: { ...ackWhere, acknowledgedAt: { not: null } },
    });
    rows.push({
      class: { id: c.id, name: className(c) },
      pupils: pupilIds.length,
      guardians: guardianIds.length,
      linked: linked.length,
      active: active.size,
      needAck,
      acknowledged,
    });
  }
  return { year: year.name, from, to, rows };
}
export type ActivityReport = Awaited<ReturnType<typeof activityReport>>;

const share = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 1000) / 10);

export function activityReportDocument(r: ActivityReport): ReportDocument {
  const rows = r.rows.map((x) => [
    x.class.name,
    x.pupils,
    x.guardians,
    x.linked,
    share(x.linked, x.guardians),
    x.active,
    x.needAck,
    x.acknowledged,
    share(x.acknowledged, x.needAck),
  ]);
  const sum = (k: "pupils" | "guardians" | "linked" | "active" | "needAck" | "acknowledged") =>
    r.rows.reduce((s, x) => s + x[k], 0);
  rows.push([
    "Всего",
    sum("pupils"),
    sum("guardians"),
    sum("linked"),
    share(sum("linked"), sum("guardians")),
    sum("active"),
    sum("needAck"),
    sum("acknowledged"),
    share(sum("acknowledged"), sum("needAck")),
  ]);
  return {
    name: "activity",
    title: "Активность родителей в электронном журнале",
    class: "все классы",
    period: `${r.year} учебный год, ${russianRange(r.from, r.to)}`,
    subtitle: [],
    orientation: "portrait",
    tables: [
      {
        title: "По классам",
        headers: [
          "Класс",
          "Учеников",
          "Родителей",
          "Подключены",
          "% подключ.",
          "Активны",
          "Сообщений с подтв.",
          "Подтверждено",
          "% подтв.",
        ],
        rows,
        totalsRow: true,
      },
    ],
  };
}
