import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type Db, Prisma, queryRows, type Tx } from "../src/db/client.js";
import { COALESCABLE_TYPES } from "./audience.js";
import { type ChannelAdapter, SendError } from "./channels/types.js";
import { reserveSlot } from "./pacing.js";
import type { DeadJob, SendJob } from "./queues.js";
import { type Part, renderMessage, type Style } from "./render/index.js";

/**
 * Sends one delivery, together with the other alerts of the same recipient and channel that are
 * due (coalescing) — or a digest's batch. The rows are locked, rendered, sent and marked SENT in
 * one transaction: a row already SENT is never sent again, and a crash before the commit leaves
 * the rows to be sent by the retry (the only duplicate possible is a send Telegram accepted whose
 * answer never reached us).
 */
export interface SendDeps {
  db: Db;
  adapter: ChannelAdapter;
  queue: Queue<SendJob>;
  dead: Queue<DeadJob>;
  redis: Redis;
  prefix: string;
  clock: () => Date;
  logger: { warn: (o: object, m: string) => void; info: (o: object, m: string) => void };
}

interface Row {
  id: bigint;
  outboxId: bigint;
  recipientId: number;
  address: string;
  status: string;
  type: string;
  payload: unknown;
}

type Outcome =
  | { kind: "skipped" }
  | { kind: "cancelled" }
  | { kind: "sent"; externalId: string; count: number }
  | { kind: "failed"; error: SendError };

const WAITING = ["PENDING", "HELD"];

export function sendProcessor(deps: SendDeps) {
  const { db, adapter } = deps;
  return async (job: Job<SendJob>, token?: string): Promise<string> => {
    const id = BigInt(job.data.deliveryId);
    const d = await db.delivery.findUnique({
      where: { id },
      select: { status: true, sendAfter: true, address: true },
    });
    if (d?.status === "DIGEST" && job.data.digestCutoff) return sendDigest(deps, job, token, id, d.address);
    if (!d || !WAITING.includes(d.status)) return "skipped";
    const wait = d.sendAfter.getTime() - deps.clock().getTime();
    if (wait > 20) {
      // Held longer than the job was delayed (quiet hours moved it): wait again.
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    await pace(deps, job, token, d.address);

    let outcome: Outcome;
    try {
      outcome = await db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SET LOCAL lock_timeout = '10s'`;
          const primary = await lockRows(tx, { id });
          if (!primary[0]) return { kind: "skipped" } as const;
          const siblings = COALESCABLE_TYPES.includes(primary[0].type as never)
            ? await lockRows(tx, {
                recipientId: primary[0].recipientId,
                channel: adapter.channel,
                dueBy: new Date(deps.clock().getTime() + 1000),
                exceptId: id,
              })
            : [];
          return sendRows(tx, deps, [...primary, ...siblings], "instant");
        },
        { timeout: 30_000, maxWait: 10_000 },
      );
    } catch (err) {
      throw await onError(deps, job, [id], err);
    }
    return finish(deps, job, [id], outcome);
  };
}

/** The daily digest: every DIGEST row of the recipient and channel up to the cutoff, as one message. */
async function sendDigest(
  deps: SendDeps,
  job: Job<SendJob>,
  token: string | undefined,
  id: bigint,
  address: string,
): Promise<string> {
  await pace(deps, job, token, address);
  const cutoff = new Date(job.data.digestCutoff as string);
  let outcome: Outcome;
  try {
    outcome = await deps.db.$transaction(
      async (tx) => {
        const head = await tx.delivery.findUnique({ where: { id }, select: { recipientId: true } });
        if (!head) return { kind: "skipped" } as const;
        const rows = await queryRows<Row>(
          tx,
          Prisma.sql`
          SELECT d.id, d."outboxId", d."recipientId", d.address, d.status::text AS status, o.type, o.payload
          FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId"
          WHERE d."recipientId" = ${head.recipientId} AND d.channel::text = ${deps.adapter.channel}
            AND d.status = 'DIGEST' AND d."createdAt" <= ${cutoff}
          ORDER BY d.id FOR UPDATE OF d SKIP LOCKED`,
        );
        return sendRows(tx, deps, rows, "daily");
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (err) {
    throw await onError(deps, job, [id], err);
  }
  return finish(deps, job, [id], outcome);
}

/** Locks the rows of a send. The primary waits for its lock; siblings held elsewhere are skipped. */
async function lockRows(
  tx: Tx,
  q: { id?: bigint; recipientId?: number; channel?: string; dueBy?: Date; exceptId?: bigint },
): Promise<Row[]> {
  if (q.id !== undefined) {
    return queryRows<Row>(
      tx,
      Prisma.sql`
      SELECT d.id, d."outboxId", d."recipientId", d.address, d.status::text AS status, o.type, o.payload
      FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId"
      WHERE d.id = ${q.id} AND d.status IN ('PENDING', 'HELD') FOR UPDATE OF d`,
    );
  }
  const types = [...COALESCABLE_TYPES];
  return queryRows<Row>(
    tx,
    Prisma.sql`
    SELECT d.id, d."outboxId", d."recipientId", d.address, d.status::text AS status, o.type, o.payload
    FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId"
    WHERE d."recipientId" = ${q.recipientId} AND d.channel::text = ${q.channel}
      AND d.status IN ('PENDING', 'HELD') AND d."sendAfter" <= ${q.dueBy} AND d.id <> ${q.exceptId}
      AND o.type = ANY(${types}::text[])
    ORDER BY d.id FOR UPDATE OF d SKIP LOCKED`,
  );
}

/** Renders and sends locked rows; marks them in the same transaction. */
export async function sendRows(tx: Tx, deps: SendDeps, unordered: Row[], style: Style): Promise<Outcome> {
  // Told in the order things happened: fan-out jobs of two events may create their rows in either order.
  const rows = [...unordered].sort((a, b) =>
    a.outboxId === b.outboxId ? (a.id < b.id ? -1 : 1) : a.outboxId < b.outboxId ? -1 : 1,
  );
  const first = rows[0];
  if (!first) return { kind: "skipped" };
  const parts: Part[] = rows.map((r) => ({ deliveryId: r.id, type: r.type, payload: r.payload }));
  const { message, empty } = await renderMessage(tx, first.recipientId, parts, style);
  const now = deps.clock();
  if (empty.length > 0) {
    await tx.delivery.updateMany({
      where: { id: { in: empty } },
      data: { status: "CANCELLED", error: "nothing to tell any more" },
    });
  }
  if (!message) return { kind: "cancelled" };
  const live = rows.filter((r) => !empty.includes(r.id));
  const primaryId = live[0]!.id;
  try {
    await paceAtSend(deps, first.address);
    const externalId = await deps.adapter.send(first.address, message);
    await tx.delivery.update({
      where: { id: primaryId },
      data: { status: "SENT", sentAt: now, externalId, attempts: { increment: 1 }, error: null },
    });
    const merged = live.slice(1).map((r) => r.id);
    if (merged.length > 0) {
      await tx.delivery.updateMany({
        where: { id: { in: merged } },
        data: { status: "SENT", sentAt: now, mergedIntoId: primaryId, error: null },
      });
    }
    return { kind: "sent", externalId, count: live.length };
  } catch (err) {
    const e = err instanceof SendError ? err : new SendError("transient", String(err));
    if (e.kind === "gone" || e.kind === "rejected") {
      // Final: record it in this transaction; no retry can help.
      await tx.delivery.updateMany({
        where: { id: { in: live.map((r) => r.id) } },
        data: {
          status: "FAILED",
          error: `${e.kind}: ${e.message}`.slice(0, 500),
          attempts: { increment: 1 },
        },
      });
      return { kind: "failed", error: e };
    }
    throw e; // rate limits and transient faults roll back: the rows stay waiting
  }
}

async function pace(deps: SendDeps, job: Job<SendJob>, token: string | undefined, address: string) {
  const spacing = deps.adapter.spacingMs(address);
  if (spacing <= 0) return;
  let slot = job.data.slotAt;
  if (slot === undefined) {
    slot = await reserveSlot(deps.redis, `${deps.prefix}:pace:${deps.adapter.channel}:${address}`, spacing);
  }
  if (slot > Date.now() + 20) {
    if (job.data.slotAt === undefined) await job.updateData({ ...job.data, slotAt: slot });
    await job.moveToDelayed(slot, token);
    throw new DelayedError();
  }
  // The reservation is used up: a retry of this job must reserve a new slot.
  if (job.data.slotAt !== undefined) await job.updateData({ ...job.data, slotAt: undefined });
}

const CHAT_GAP_MARGIN_MS = 200;

/**
 * The fine pacing, right before the request: the job was already delayed to its chat slot, but
 * time spent in the database can bunch sends together, so the chat and the channel as a whole
 * are paced again on actual send times (the waits are short: the jitter, at most concurrency × gap).
 */
async function paceAtSend(deps: SendDeps, address: string) {
  const sleepUntil = async (at: number) => {
    const wait = at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
  const chatGap = deps.adapter.spacingMs(address);
  if (chatGap > 0) {
    // A margin: after the wait the request still has to leave a busy event loop and travel, and
    // Telegram counts by arrival, so two sends a bare gap apart may arrive closer than the gap.
    const key = `${deps.prefix}:sent:${deps.adapter.channel}:${address}`;
    await sleepUntil(await reserveSlot(deps.redis, key, chatGap + CHAT_GAP_MARGIN_MS));
  }
  const gap = deps.adapter.globalSpacingMs ?? 0;
  if (gap > 0)
    await sleepUntil(await reserveSlot(deps.redis, `${deps.prefix}:pace:${deps.adapter.channel}:*`, gap));
}

export async function finish(deps: SendDeps, job: Job, ids: bigint[], outcome: Outcome): Promise<string> {
  if (outcome.kind !== "failed") return outcome.kind;
  const e = outcome.error;
  if (e.kind === "gone") {
    const address = (await deps.db.delivery.findUnique({ where: { id: ids[0]! }, select: { address: true } }))
      ?.address;
    if (address) await deps.adapter.deactivate(deps.db, address, e.why || "forbidden");
    deps.logger.warn({ deliveryId: String(ids[0]), why: e.why }, "send: address gone, link deactivated");
  }
  await deps.dead.add("dead", {
    queue: job.queueName,
    jobId: job.id ?? "",
    deliveryId: String(ids[0]),
    error: e.message.slice(0, 300),
  });
  throw new UnrecoverableError(e.message);
}

/** Maps a thrown error to what BullMQ should do; returns the error to throw. */
export async function onError(deps: SendDeps, job: Job, ids: bigint[], err: unknown): Promise<Error> {
  if (err instanceof SendError && err.kind === "rate_limited") {
    // Telegram asked us to pause: pause the whole queue; BullMQ does not count it as an attempt.
    await deps.queue.rateLimit(Math.max(1000, err.retryAfterMs));
    return Worker.RateLimitError();
  }
  const message = err instanceof Error ? err.message : String(err);
  const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  await deps.db.delivery
    .updateMany({
      where: { id: { in: ids }, status: { in: ["PENDING", "HELD", "DIGEST"] } },
      data: last
        ? { status: "FAILED", error: message.slice(0, 500), attempts: { increment: 1 } }
        : { error: message.slice(0, 500), attempts: { increment: 1 } },
    })
    .catch(() => {});
  if (last) {
    await deps.dead
      .add("dead", { queue: job.queueName, jobId: job.id ?? "", deliveryId: String(ids[0]), error: message })
      .catch(() => {});
  }
  return err instanceof Error ? err : new Error(message);
}
