import type { Queue } from "bullmq";
import { DateTime } from "luxon";
import { type Db, Prisma, queryRows } from "../src/db/client.js";
import { teacherDay } from "../src/journal/lesson-views.js";
import { enqueueDue } from "./fanout.js";
import type { ScheduleJob, SendJob } from "./queues.js";
import { afterQuietHours, expiresAtFor, lastOccurrence } from "./timing.js";

/**
 * Time-driven notifications, registered as BullMQ job schedulers with each school's time zone:
 * the daily digest check (every minute, each guardian at their own digestTime), the weekly summary,
 * teacher reminders an hour before the fill deadline and the deputy head's summary every 10 days.
 */
export async function ensureSchedulers(db: Db, queue: Queue<ScheduleJob>): Promise<void> {
  await queue.upsertJobScheduler(
    "digests",
    { pattern: "* * * * *" },
    { name: "digests", data: { kind: "digests" } },
  );
  const schools = await db.school.findMany({
    select: { id: true, timeZone: true, fillDeadline: true, weekDays: true },
  });
  for (const s of schools) {
    const tz = s.timeZone;
    const [h, m] = s.fillDeadline.split(":").map(Number);
    const remindAt = DateTime.fromObject({ hour: h ?? 17, minute: m ?? 0 }).minus({ hours: 1 });
    await queue.upsertJobScheduler(
      `reminders:${s.id}`,
      { pattern: `${remindAt.minute} ${remindAt.hour} * * 1-${s.weekDays}`, tz },
      { name: "reminders", data: { kind: "reminders", schoolId: s.id } },
    );
    await queue.upsertJobScheduler(
      `control:${s.id}`,
      { pattern: "0 9 1,11,21 * *", tz },
      { name: "control-summary", data: { kind: "control-summary", schoolId: s.id } },
    );
    await queue.upsertJobScheduler(
      `weekly:${s.id}`,
      { pattern: "0 18 * * 6", tz },
      { name: "weekly", data: { kind: "weekly", schoolId: s.id } },
    );
  }
}

export interface ScheduleDeps {
  db: Db;
  clock: () => Date;
  sendQueues: Map<string, Queue<SendJob>>;
  /** Given: schools added since the start get their schedulers within the hour. */
  schedules?: Queue<ScheduleJob>;
}

export function scheduleProcessor(deps: ScheduleDeps) {
  return async (job: { data: ScheduleJob }): Promise<string> => {
    const d = job.data;
    switch (d.kind) {
      case "digests":
        if (deps.schedules && new Date().getUTCMinutes() === 0)
          await ensureSchedulers(deps.db, deps.schedules);
        return `digests ${await queueDueDigests(deps)}`;
      case "reminders":
        return `reminders ${await teacherReminders(deps, d.schoolId)}`;
      case "control-summary":
        return `control ${await controlSummary(deps, d.schoolId)}`;
      case "weekly":
        return `weekly ${await weeklySummaries(deps, d.schoolId)}`;
    }
  };
}

/** Guardians whose digest time has come and who have alerts waiting for it. */
export async function queueDueDigests(deps: ScheduleDeps): Promise<number> {
  const rows = await queryRows<{
    recipientId: number;
    channel: string;
    first: bigint;
    oldest: Date;
    digestTime: string;
    timeZone: string;
  }>(
    deps.db,
    Prisma.sql`
    SELECT d."recipientId", d.channel::text AS channel, min(d.id) AS first, min(d."createdAt") AS oldest,
           coalesce(np."digestTime", '19:00') AS "digestTime", s."timeZone"
    FROM "Delivery" d JOIN "Person" p ON p.id = d."recipientId" JOIN "School" s ON s.id = p."schoolId"
    LEFT JOIN "NotificationPreference" np ON np."personId" = d."recipientId"
    WHERE d.status = 'DIGEST'
    GROUP BY d."recipientId", d.channel, np."digestTime", s."timeZone"`,
  );
  let n = 0;
  for (const r of rows) {
    const cutoff = lastOccurrence(deps.clock(), r.timeZone, r.digestTime);
    if (r.oldest > cutoff) continue;
    const q = deps.sendQueues.get(r.channel);
    if (!q) continue;
    await q.add(
      "digest",
      { deliveryId: String(r.first), digestCutoff: cutoff.toISOString() },
      { jobId: `g-${r.first}-${cutoff.getTime()}` },
    );
    n++;
  }
  return n;
}

/**
 * A notification the worker itself originates (reminder, summary): written as an already
 * published outbox row so deliveries keep their UNIQUE(event, recipient, channel) guarantee; the
 * key makes a second run of the same schedule a no-op.
 */
export async function notifyDirect(
  deps: ScheduleDeps,
  n: {
    schoolId: number;
    type: string;
    key: string;
    payload: Record<string, unknown>;
    recipients: number[];
    /** After this the notification is pointless (a reminder of a deadline that passed). */
    until?: Date;
  },
): Promise<number> {
  if (n.recipients.length === 0) return 0;
  const outboxId = await deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${n.key}))`;
    const existing = await queryRows<{ id: bigint }>(
      tx,
      Prisma.sql`
      SELECT id FROM "Outbox" WHERE type = ${n.type} AND payload->>'key' = ${n.key} LIMIT 1`,
    );
    if (existing[0]) return null;
    const school = await tx.school.findUniqueOrThrow({ where: { id: n.schoolId } });
    const now = deps.clock();
    const row = await tx.outbox.create({
      data: { schoolId: n.schoolId, type: n.type, payload: { ...n.payload, key: n.key }, publishedAt: now },
    });
    const links = await tx.chatLink.findMany({
      where: { personId: { in: n.recipients }, active: true },
      orderBy: { linkedAt: "asc" },
    });
    const chat = new Map(links.map((l) => [l.personId, String(l.chatId)]));
    const prefs = await tx.notificationPreference.findMany({ where: { personId: { in: n.recipients } } });
    const quiet = new Map(prefs.map((p) => [p.personId, p]));
    const data = [...chat].map(([recipientId, address]) => {
      const p = quiet.get(recipientId);
      const sendAfter = afterQuietHours(
        now,
        school.timeZone,
        p?.quietStart ?? school.quietHoursStart,
        p?.quietEnd ?? school.quietHoursEnd,
      );
      return {
        outboxId: row.id,
        recipientId,
        channel: "TELEGRAM" as const,
        address,
        sendAfter,
        expiresAt: expiresAtFor(n.type, sendAfter, n.until),
        createdAt: now,
        status: sendAfter > now ? ("HELD" as const) : ("PENDING" as const),
      };
    });
    if (data.length > 0) await tx.delivery.createMany({ data, skipDuplicates: true });
    return row.id;
  });
  if (outboxId === null) return 0;
  return enqueueDue(deps, { outboxId });
}

const localDate = (deps: ScheduleDeps, tz: string) =>
  DateTime.fromJSDate(deps.clock(), { zone: tz }).toISODate()!;

/**
 * Teachers with lessons today that still miss something (attendance, topic, homework, marks of a
 * control work), as the core's teacherDay read model sees it.
 */
export async function teacherReminders(deps: ScheduleDeps, schoolId: number): Promise<number> {
  const school = await deps.db.school.findUniqueOrThrow({ where: { id: schoolId } });
  const date = localDate(deps, school.timeZone);
  const lessons = await deps.db.lesson.findMany({
    where: { date: new Date(`${date}T00:00:00Z`), class: { year: { schoolId } } },
    select: { teacherId: true, substituteId: true },
  });
  const writers = [...new Set(lessons.map((l) => l.substituteId ?? l.teacherId))];
  let n = 0;
  for (const teacherId of writers) {
    const day = await teacherDay(deps.db, { personId: teacherId, schoolId, roles: ["TEACHER"] }, { date });
    const lessonIds = day.filter((l) => l.missing.length > 0).map((l) => l.id);
    if (lessonIds.length === 0) continue;
    n += await notifyDirect(deps, {
      schoolId,
      type: "notify.reminder",
      key: `reminder:${teacherId}:${date}`,
      payload: { date, teacherId },
      recipients: [teacherId],
      until: DateTime.fromISO(`${date}T${school.fillDeadline}`, { zone: school.timeZone }).toJSDate(),
    });
  }
  return n;
}

/** The deputy head's view of the last 10 days: who left lessons unfilled. */
export async function controlSummary(deps: ScheduleDeps, schoolId: number): Promise<number> {
  const school = await deps.db.school.findUniqueOrThrow({ where: { id: schoolId } });
  const to = localDate(deps, school.timeZone);
  const from = DateTime.fromISO(to).minus({ days: 9 }).toISODate()!;
  const deputies = await deps.db.person.findMany({
    where: { schoolId, blockedAt: null, roles: { some: { role: "DEPUTY" } } },
    select: { id: true },
  });
  return notifyDirect(deps, {
    schoolId,
    type: "notify.control",
    key: `control:${schoolId}:${to}`,
    payload: { schoolId, from, to },
    recipients: deputies.map((p) => p.id),
  });
}

/** Saturday evening: each guardian's week of marks and absences. */
export async function weeklySummaries(deps: ScheduleDeps, schoolId: number): Promise<number> {
  const school = await deps.db.school.findUniqueOrThrow({ where: { id: schoolId } });
  const to = deps.clock();
  const from = new Date(to.getTime() - 7 * 86_400_000);
  const week = localDate(deps, school.timeZone);
  const rows = await queryRows<{ recipientId: number }>(
    deps.db,
    Prisma.sql`
    SELECT DISTINCT d."recipientId" FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId"
    WHERE o."schoolId" = ${schoolId} AND d."createdAt" >= ${from} AND d."createdAt" < ${to}
      AND d.status IN ('SENT', 'DIGEST') AND o.type IN ('mark.posted', 'mark.corrected', 'attendance.recorded')`,
  );
  let n = 0;
  for (const r of rows) {
    n += await notifyDirect(deps, {
      schoolId,
      type: "notify.weekly",
      key: `weekly:${r.recipientId}:${week}`,
      payload: { personId: r.recipientId, from: from.toISOString(), to: to.toISOString() },
      recipients: [r.recipientId],
    });
  }
  return n;
}
