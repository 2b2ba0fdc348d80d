import type { Queue } from "bullmq";
import { type Db, Prisma, queryRows, type Tx } from "../src/db/client.js";
import { parseEvent } from "../src/events/types.js";
import type { DeliveryStatus } from "../src/generated/prisma/enums.js";
import { PREFERENCE_DEFAULTS } from "../src/journal/preferences.js";
import { type Audience, audienceOf, COALESCABLE_TYPES } from "./audience.js";
import type { ChannelAdapter } from "./channels/types.js";
import { type SendJob, sendJobId } from "./queues.js";
import { expiresAtFor, sendAfterFor } from "./timing.js";

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
  expiresAt: Date | null;
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
    const canEdit = Boolean(adapter.edit);
    const follows = deps.coalesceMs > 0 && !canEdit;
    const open = follows ? await openBatches(tx, adapter.channel, [...addresses.keys()], now) : new Map();
    const lastSent = follows
      ? await lastSends(tx, adapter.channel, [...addresses.keys()], new Date(now.getTime() - deps.coalesceMs))
      : new Map();
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
        canEdit,
        openBatchAt: open.get(person.id),
        lastSentAt: lastSent.get(person.id),
      });
      rows.push({
        outboxId,
        recipientId: person.id,
        channel: adapter.channel,
        address,
        status: digest ? "DIGEST" : sendAfter > now ? "HELD" : "PENDING",
        sendAfter: digest ? now : sendAfter,
        // A digest goes out with the day's summary whenever that is; an instant alert has a life.
        expiresAt: digest ? null : expiresAtFor(row.type, sendAfter),
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

/** The last message (not a merged one) sent to each recipient on a channel since `since`. */
async function lastSends(tx: Tx, channel: string, ids: number[], since: Date): Promise<Map<number, Date>> {
  if (ids.length === 0) return new Map();
  const types = [...COALESCABLE_TYPES];
  const rows = await queryRows<{ recipientId: number; at: Date }>(
    tx,
    Prisma.sql`
    SELECT d."recipientId", max(d."sentAt") AS at FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId"
    WHERE d."recipientId" = ANY(${ids}::int[]) AND d.channel::text = ${channel}
      AND d.status IN ('SENT', 'SENDING') AND d."mergedIntoId" IS NULL AND d."sentAt" >= ${since}
      AND o.type = ANY(${types}::text[])
    GROUP BY d."recipientId"`,
  );
  return new Map(rows.map((r) => [r.recipientId, r.at]));
}

/**
 * Adds send jobs for the waiting deliveries of one event (or every waiting one, after a Redis
 * loss). Job ids come from the delivery id, so adding twice is harmless.
 */
export async function enqueueDue(
  deps: Pick<FanoutDeps, "db" | "sendQueues" | "clock">,
  where: { outboxId?: bigint },
): Promise<number> {
  const rows = await deps.db.delivery.findMany({
    where: { status: { in: ["PENDING", "HELD"] }, ...(where.outboxId ? { outboxId: where.outboxId } : {}) },
    select: { id: true, channel: true, sendAfter: true },
    take: 5000,
    orderBy: { id: "asc" },
  });
  const now = deps.clock().getTime();
  for (const [queue, list] of byQueue(deps, rows)) {
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

function byQueue<T extends { channel: string }>(deps: Pick<FanoutDeps, "sendQueues">, rows: T[]) {
  const out = new Map<Queue<SendJob>, T[]>();
  for (const r of rows) {
    const q = deps.sendQueues.get(r.channel);
    if (!q) continue;
    out.set(q, [...(out.get(q) ?? []), r]);
  }
  return out;
}

/**
 * The sweeper's repair: deliveries due a while ago (their sendAfter is when their next try is
 * due, so a row waiting out a retry backoff is not touched) and requests left SENDING by a dead
 * worker get a job that will run now — a missing one is added, a sleeping one woken, a finished
 * or failed one replaced. Returns how many jobs it (re)started.
 */
export async function reviveOverdue(
  deps: Pick<FanoutDeps, "db" | "sendQueues" | "clock">,
  opts: { overdueMs: number; staleMs: number; limit?: number },
): Promise<number> {
  const now = deps.clock();
  const rows = await deps.db.delivery.findMany({
    where: {
      OR: [
        { status: { in: ["PENDING", "HELD"] }, sendAfter: { lte: new Date(now.getTime() - opts.overdueMs) } },
        { status: "SENDING", mergedIntoId: null, updatedAt: { lte: new Date(Date.now() - opts.staleMs) } },
      ],
    },
    select: { id: true, channel: true },
    take: opts.limit ?? 1000,
    orderBy: { id: "asc" },
  });
  let n = 0;
  for (const [queue, list] of byQueue(deps, rows)) {
    for (const r of list) {
      const jobId = sendJobId(r.id);
      const job = await queue.getJob(jobId);
      const state = job ? await job.getState() : "missing";
      if (
        state === "waiting" ||
        state === "active" ||
        state === "prioritized" ||
        state === "waiting-children"
      )
        continue;
      if (job && state === "delayed") await job.promote().catch(() => {});
      else if (job && state === "failed") await job.retry().catch(() => {});
      else {
        if (job) await job.remove().catch(() => {});
        await queue.add("send", { deliveryId: String(r.id) }, { jobId });
      }
      n++;
    }
  }
  return n;
}
