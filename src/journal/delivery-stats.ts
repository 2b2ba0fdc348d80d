import { DateTime } from "luxon";
import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import { isClassTeacherOf } from "./access.js";
import type { Actor } from "./actor.js";
import { isSchoolWide } from "./actor.js";
import { forbidden, notFound } from "./errors.js";
import { id, isoDate, parseInput } from "./validate.js";

/**
 * How notifications reach a class's families: deliveries sent, waiting (held, pending, being sent
 * or in the next digest), failed, expired (not sent while still useful), and the guardians whose Telegram link went dead (blocked the bot, chat
 * deleted) so the class teacher can call them. Read by the class teacher and the administration.
 */
export const deliveryStatsInput = z.strictObject({
  classId: id,
  /** Inclusive local dates; default: everything. */
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export interface DeliveryStats {
  classId: number;
  guardians: number;
  /** Guardians with an active Telegram link. */
  linked: number;
  sent: number;
  waiting: number;
  failed: number;
  /** Could not be sent while still useful (a long outage): temporary failures never become FAILED. */
  expired: number;
  cancelled: number;
  inactiveLinks: {
    personId: number;
    lastName: string;
    firstName: string;
    middleName: string | null;
    why: string | null;
    since: Date | null;
  }[];
  /** Guardians without any Telegram link (never joined). */
  notLinked: { personId: number; lastName: string; firstName: string; middleName: string | null }[];
}

export async function deliveryStats(db: DbOrTx, actor: Actor, input: unknown): Promise<DeliveryStats> {
  const { classId, from, to } = parseInput(deliveryStatsInput, input);
  const cls = await db.class.findUnique({
    where: { id: classId },
    select: { year: { select: { schoolId: true, school: { select: { timeZone: true } } } } },
  });
  if (!cls || cls.year.schoolId !== actor.schoolId) throw notFound("Класс");
  const timeZone = cls.year.school.timeZone;
  if (!isSchoolWide(actor) && !(await isClassTeacherOf(db, actor, classId))) {
    throw forbidden("Статистику уведомлений видят классный руководитель и администрация школы.");
  }
  const guardians = await db.person.findMany({
    where: { wards: { some: { pupil: { enrolments: { some: { classId, leftOn: null } } } } } },
    select: {
      id: true,
      lastName: true,
      firstName: true,
      middleName: true,
      chatLinks: { select: { active: true, inactiveWhy: true, inactiveSince: true } },
    },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
  });
  const ids = guardians.map((g) => g.id);
  // The dates are the school's: a day runs from its local midnight to the next.
  const localMidnight = (iso: string, days: number) =>
    DateTime.fromISO(iso, { zone: timeZone }).plus({ days }).toJSDate();
  const fromAt = from ? localMidnight(from, 0) : undefined;
  const toAt = to ? localMidnight(to, 1) : undefined;
  const counts = await db.delivery.groupBy({
    by: ["status"],
    where: { recipientId: { in: ids }, createdAt: { gte: fromAt, lt: toAt } },
    _count: { _all: true },
  });
  const n = (s: string) => counts.find((c) => c.status === s)?._count._all ?? 0;
  const name = (g: (typeof guardians)[number]) => ({
    personId: g.id,
    lastName: g.lastName,
    firstName: g.firstName,
    middleName: g.middleName,
  });
  return {
    classId,
    guardians: guardians.length,
    linked: guardians.filter((g) => g.chatLinks.some((l) => l.active)).length,
    sent: n("SENT"),
    waiting: n("PENDING") + n("HELD") + n("DIGEST") + n("SENDING"),
    failed: n("FAILED"),
    expired: n("EXPIRED"),
    cancelled: n("CANCELLED"),
    inactiveLinks: guardians
      .filter((g) => g.chatLinks.length > 0 && !g.chatLinks.some((l) => l.active))
      .map((g) => {
        const last = [...g.chatLinks].sort(
          (a, b) => (b.inactiveSince?.getTime() ?? 0) - (a.inactiveSince?.getTime() ?? 0),
        )[0];
        return { ...name(g), why: last?.inactiveWhy ?? null, since: last?.inactiveSince ?? null };
      }),
    notLinked: guardians.filter((g) => g.chatLinks.length === 0).map(name),
  };
}
