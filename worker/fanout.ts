import type { Queue } from "bullmq";
import { type Db, Prisma, queryRows, type Tx } from "../src/db/client.js";
import { parseEvent } from "../src/events/types.js";
import type { DeliveryStatus } from "../src/generated/prisma/enums.js";
import { PREFERENCE_DEFAULTS } from "../src/journal/preferences.js";
import { type Audience, audienceOf, COALESCABLE_TYPES } from "./audience.js";
import type { ChannelAdapter } from "./channels/types.js";
import { type SendJob, sendJobId } from "./queues.js";
import { sendAfterFor } from "./timing.js";

/**
 * Event → deliveries. One transaction writes every row (UNIQUE(outboxId, recipientId, channel)
 * makes a replay a no-op); the send jobs are added after the commit with ids derived from the
 * delivery, so a replay re-adds nothing new.
 */
export interface FanoutDeps {
  db: Db;
  adapters: ChannelAdapter[];
  sendQueues: Map<string, Queue<SendJob>>;
  coalesceMs: number;
  /** Overrides the school's absence grace (tests and benchmarks use short windows). */
  graceMs?: number;
  clock: () => Date;
}

interface NewDelivery {
  outboxId: bigint;
  recipientId: number;
  channel: ChannelAdapter["channel"];
  address: string;
  status: DeliveryStatus;
  sendAfter: Date;
  createdAt: Date;
}

export async function fanOut(deps: FanoutDeps, outboxId: bigint): Promise<number> {
  const { db } = deps;
  await db.$transaction(async (tx) => planDeliveries(deps, tx, outboxId), { timeout: 60_000 });
  return enqueueDue(deps, { outboxId });
}

async function planDeliveries(deps: FanoutDeps, tx: Tx, outboxId: bigint): Promise<void> {
  const row = await tx.outbox.findUnique({ where: { id: outboxId } });
  if (!row?.schoolId) return;
  let event: ReturnType<typeof parseEvent>;
  try {
    event = parseEvent(row.type, row.payload);
  } catch {
    return; // not a notifiable event (or a synthetic row written by the schedulers)
  }
  const school = await tx.school.findUniqueOrThrow({ where: { id: row.schoolId } });
  const now = deps.clock();
  const audience = await audienceOf(tx, event, now);
  if (audience.length === 0) return;

  let wanted = audience;
  if (event.type === "attendance.recorded") {
    wanted = await absenceAudience(tx, outboxId, event.payload, audience);
  }
  if (wanted.length === 0) return;

  const ids = wanted.map((a) => a.recipientId);
  // One connection per transaction: queries run one after another.
  const people = await tx.person.findMany({
    where: { id: { in: ids }, blockedAt: null },
    select: { id: true, email: true },
  });
  const prefs = await tx.notificationPreference.findMany({ where: { personId: { in: ids } } });
  const prefOf = new Map(prefs.map((p) => [p.personId, p]));
  const byId = new Map(wanted.map((a) => [a.recipientId, a]));
  const recipients = people
    .map((p) => ({ person: p, pref: { ...PREFERENCE_DEFAULTS, ...prefOf.get(p.id) } }))
    .filter(({ person, pref }) => pref[byId.get(person.id)?.kind ?? "marks"]);
  if (recipients.length === 0) return;

  const rows: NewDelivery[] = [];
  for (const adapter of deps.adapters) {
    const addresses = await adapter.addresses(
      tx,
      recipients.map(({ person, pref }) => ({ id: person.id, email: person.email, emailOn: pref.email })),
    );
    const open =
      deps.coalesceMs > 0 ? await openBatches(tx, adapter.channel, [...addresses.keys()], now) : new Map();
    for (const { person, pref } of recipients) {
      const address = addresses.get(person.id);
      const a = byId.get(person.id);
      if (!address || !a) continue;
      const digest = pref.mode === "DIGEST" && !a.urgent;
      const sendAfter = sendAfterFor({
        now,
        timeZone: school.timeZone,
        quietStart: pref.quietStart ?? school.quietHoursStart,
        quietEnd: pref.quietEnd ?? school.quietHoursEnd,
        graceMs: deps.graceMs ?? school.absenceGraceMinutes * 60_000,
        coalesceMs: deps.coalesceMs,
        urgent: a.urgent,
        isAbsence: a.isAbsence,
        coalescable: a.coalescable,
        openBatchAt: open.get(person.id),
      });
      rows.push({
        outboxId,
        recipientId: person.id,
        channel: adapter.channel,
        address,
        status: digest ? "DIGEST" : sendAfter > now ? "HELD" : "PENDING",
        sendAfter: digest ? now : sendAfter,
        createdAt: now,
      });
    }
  }
  if (rows.length > 0) await tx.delivery.createMany({ data: rows, skipDuplicates: true });
}

/**
 * A newer attendance save for the same lesson supersedes the alerts still waiting from older
 * ones (the new alert describes the current state); guardians whose children are all present
 * now get nothing new.
 */
async function absenceAudience(
  tx: Tx,
  outboxId: bigint,
  payload: { lessonId: number; pupilIds: number[] },
  audience: Audience[],
): Promise<Audience[]> {
  const ids = audience.map((a) => a.recipientId);
  await tx.$executeRaw`
    UPDATE "Delivery" d SET status = 'CANCELLED', "updatedAt" = now(), error = 'superseded'
    FROM "Outbox" o
    WHERE d."outboxId" = o.id AND o.type = 'attendance.recorded' AND o.id < ${outboxId}
      AND (o.payload->>'lessonId')::int = ${payload.lessonId}
      AND d."recipientId" = ANY(${ids}::int[]) AND d.status IN ('PENDING', 'HELD')`;
  const absent = await queryRows<{ guardianId: number }>(
    tx,
    Prisma.sql`
    SELECT DISTINCT g."guardianId" FROM "Attendance" a
    JOIN "GuardianLink" g ON g."pupilId" = a."pupilId"
    WHERE a."lessonId" = ${payload.lessonId} AND g."guardianId" = ANY(${ids}::int[])`,
  );
  const keep = new Set(absent.map((r) => r.guardianId));
  return audience.filter((a) => keep.has(a.recipientId));
}

/** The earliest waiting coalescable batch per recipient on a channel. */
async function openBatches(tx: Tx, channel: string, ids: number[], now: Date): Promise<Map<number, Date>> {
  if (ids.length === 0) return new Map();
  const types = [...COALESCABLE_TYPES];
  const rows = await queryRows<{ recipientId: number; at: Date }>(
    tx,
    Prisma.sql`
    SELECT d."recipientId", min(d."sendAfter") AS at FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId"
    WHERE d."recipientId" = ANY(${ids}::int[]) AND d.channel::text = ${channel}
      AND d.status IN ('PENDING', 'HELD') AND d."sendAfter" > ${now} AND o.type = ANY(${types}::text[])
    GROUP BY d."recipientId"`,
  );
  return new Map(rows.map((r) => [r.recipientId, r.at]));
}

/**
 * Adds send jobs for waiting deliveries (of one event, or every overdue one when sweeping after
 * a Redis loss). Job ids come from the delivery id, so adding twice is harmless.
 */
export async function enqueueDue(
  deps: Pick<FanoutDeps, "db" | "sendQueues" | "clock">,
  where: { outboxId?: bigint; overdueBefore?: Date },
): Promise<number> {
  const rows = await deps.db.delivery.findMany({
    where: {
      status: { in: ["PENDING", "HELD"] },
      ...(where.outboxId ? { outboxId: where.outboxId } : {}),
      ...(where.overdueBefore ? { sendAfter: { lte: where.overdueBefore } } : {}),
    },
    select: { id: true, channel: true, sendAfter: true, status: true },
    take: 5000,
    orderBy: { id: "asc" },
  });
  const now = deps.clock().getTime();
  const byQueue = new Map<Queue<SendJob>, typeof rows>();
  for (const r of rows) {
    const q = deps.sendQueues.get(r.channel);
    if (!q) continue;
    const list = byQueue.get(q) ?? [];
    list.push(r);
    byQueue.set(q, list);
  }
  for (const [queue, list] of byQueue) {
    if (where.overdueBefore) {
      // An overdue row whose job still sleeps (its wait was computed with another clock or it
      // was moved): wake the job instead of waiting for its timer.
      for (const r of list.filter((x) => x.status === "HELD")) {
        const job = await queue.getJob(sendJobId(r.id));
        if (job && (await job.isDelayed())) await job.promote().catch(() => {});
      }
    }
    await queue.addBulk(
      list.map((r) => ({
        name: "send",
        data: { deliveryId: String(r.id) },
        opts: { jobId: sendJobId(r.id), delay: Math.max(0, r.sendAfter.getTime() - now) },
      })),
    );
  }
  return rows.length;
}
