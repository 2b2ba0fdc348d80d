import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type Db, Prisma, queryRows, type Tx } from "../src/db/client.js";
import { recordDelivery } from "../src/metrics.js";
import { COALESCABLE_TYPES } from "./audience.js";
import { type ChannelAdapter, type OutgoingMessage, SendError } from "./channels/types.js";
import { reserveSlot } from "./pacing.js";
import type { DeadJob, SendJob } from "./queues.js";
import { type Part, renderMessage, type Style } from "./render/index.js";

/**
 * Sends one delivery, together with the other alerts of the same recipient and channel that are
 * due (coalescing) — or a digest's batch — in three short steps:
 *   1. claim: lock the rows, render, mark them SENDING (committed before any request leaves);
 *   2. the request, outside any transaction;
 *   3. record: SENT with the channel's message id (or back to waiting, or FAILED).
 * A crash between 1 and 3 leaves the rows SENDING; the job, taken over by another worker, sends
 * them again — so a crash costs at most one duplicate per request in flight, never a loss.
 * On a channel that edits (Telegram), an alert that comes within the edit window of a message
 * already sent to the same chat is merged into it by an edit: one message per lesson.
 * Temporary failures (5xx, network, timeouts) never end a delivery: it waits with capped backoff
 * until its expiry, then it is EXPIRED (shown in the delivery statistics).
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
  /** Later alerts within this window (ms) after a message was sent are merged into it. */
  editWindowMs: number;
  /** A row SENDING for longer than this (ms, real time) was left by a dead worker. */
  staleMs: number;
  /** Delay (ms) before retry number `attempts` of a temporary failure. */
  backoff: (attempts: number) => number;
}

interface Row {
  id: bigint;
  outboxId: bigint;
  recipientId: number;
  address: string;
  status: string;
  type: string;
  payload: unknown;
  attempts: number;
  externalId: string | null;
  expiresAt: Date | null;
  /** When the journal change was committed (the outbox row), for the delivery latency metric. */
  committedAt: Date;
}

interface Claim {
  kind: "claimed";
  primary: Row;
  /** Every row this request carries (primary first). */
  rows: Row[];
  message: OutgoingMessage;
  /** The message already sent that this one edits, and what to send if it cannot be edited. */
  edit?: { head: Row; alone: OutgoingMessage };
  /** The status to go back to when the request fails for a while. */
  waiting: "PENDING" | "DIGEST";
}
type ClaimResult = Claim | { kind: "skipped" | "cancelled" | "busy" };

const COLUMNS = Prisma.sql`d.id, d."outboxId", d."recipientId", d.address, d.status::text AS status, o.type,
  o.payload, d.attempts, d."externalId", d."expiresAt", o."createdAt" AS "committedAt"`;
const COALESCABLE = [...COALESCABLE_TYPES] as string[];

const select = (tx: Tx, where: Prisma.Sql, tail = Prisma.empty) =>
  queryRows<Row>(
    tx,
    Prisma.sql`SELECT ${COLUMNS} FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId" WHERE ${where} ${tail}`,
  );

export function sendProcessor(deps: SendDeps) {
  const { db } = deps;
  return async (job: Job<SendJob>, token?: string): Promise<string> => {
    const id = BigInt(job.data.deliveryId);
    const d = await db.delivery.findUnique({
      where: { id },
      select: {
        status: true,
        sendAfter: true,
        address: true,
        expiresAt: true,
        mergedIntoId: true,
        updatedAt: true,
      },
    });
    if (!d) return "skipped";
    // Our own request, interrupted by a crash (the rows carried along have mergedIntoId set).
    const interrupted = d.status === "SENDING" && d.mergedIntoId === null;
    if (interrupted) {
      // Another run of this job may still be waiting for its answer: give it the time a live
      // worker would take (this is also how long a job of a dead worker waits to be taken over).
      const age = Date.now() - d.updatedAt.getTime();
      if (age < deps.staleMs) return delay(job, token, deps.staleMs - age);
    }
    const digest = job.data.digestCutoff !== undefined;
    if (digest && (d.status === "DIGEST" || interrupted)) {
      await pace(deps, job, token, d.address);
      return deliver(deps, job, token, await claimDigest(deps, id, new Date(job.data.digestCutoff!)));
    }
    if (!interrupted && !["PENDING", "HELD"].includes(d.status)) return "skipped";
    if (d.expiresAt && d.expiresAt <= deps.clock()) {
      await expire(deps.db, [id]);
      return "expired";
    }
    const wait = d.sendAfter.getTime() - deps.clock().getTime();
    // Held longer than the job was delayed (quiet hours moved it, a retry is due later): wait again.
    if (wait > 20) return delay(job, token, wait);
    await pace(deps, job, token, d.address);
    const claim = await claimInstant(deps, id);
    // Another request to this chat is in flight: wait for it, then edit what it sent.
    if (claim.kind === "busy") return delay(job, token, 250);
    return deliver(deps, job, token, claim);
  };
}

async function delay(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(1, Math.round(ms)), token);
  throw new DelayedError();
}

/** Serialises the sends of one recipient on one channel (claims only: the request is outside). */
const lockRecipient = (tx: Tx, channel: string, recipientId: number) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`send:${channel}`}), ${recipientId}::int)`;

async function claimInstant(deps: SendDeps, id: bigint): Promise<ClaimResult> {
  const channel = deps.adapter.channel;
  return deps.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL lock_timeout = '10s'`;
      const head0 = await tx.delivery.findUnique({ where: { id }, select: { recipientId: true } });
      if (!head0) return { kind: "skipped" } as const;
      await lockRecipient(tx, channel, head0.recipientId);
      const [primary] = await select(
        tx,
        Prisma.sql`d.id = ${id} AND (d.status IN ('PENDING', 'HELD') OR (d.status = 'SENDING' AND d."mergedIntoId" IS NULL))`,
        Prisma.sql`FOR UPDATE OF d`,
      );
      if (!primary) return { kind: "skipped" } as const;
      const now = deps.clock();
      let fresh = [primary];
      let shown: Row[] = [];
      let head: Row | undefined;
      if (COALESCABLE.includes(primary.type)) {
        const recipient = Prisma.sql`d."recipientId" = ${primary.recipientId} AND d.channel::text = ${channel}
          AND o.type = ANY(${COALESCABLE}::text[])`;
        // Rows an interrupted run of this job carried, then the recipient's other due alerts.
        fresh.push(
          ...(await select(
            tx,
            Prisma.sql`d."mergedIntoId" = ${id} AND d.status = 'SENDING'`,
            Prisma.sql`FOR UPDATE OF d`,
          )),
          ...(await select(
            tx,
            Prisma.sql`${recipient} AND d.status IN ('PENDING', 'HELD') AND d.id <> ${id}
              AND d."sendAfter" <= ${new Date(now.getTime() + 1000)}
              AND (d."expiresAt" IS NULL OR d."expiresAt" > ${now})`,
            Prisma.sql`ORDER BY d.id FOR UPDATE OF d SKIP LOCKED`,
          )),
        );
        if (deps.adapter.edit && deps.editWindowMs > 0) {
          const [busy] = await select(
            tx,
            Prisma.sql`${recipient} AND d.status = 'SENDING' AND d."mergedIntoId" IS NULL AND d.id <> ${id}
              AND d."updatedAt" > ${new Date(Date.now() - deps.staleMs)}`,
            Prisma.sql`LIMIT 1`,
          );
          if (busy) return { kind: "busy" } as const;
          [head] = await select(
            tx,
            Prisma.sql`${recipient} AND d.status = 'SENT' AND d."mergedIntoId" IS NULL
              AND d."externalId" IS NOT NULL AND d.address = ${primary.address}
              AND d."sentAt" >= ${new Date(now.getTime() - deps.editWindowMs)}`,
            Prisma.sql`ORDER BY d."sentAt" DESC LIMIT 1`,
          );
          if (head) {
            shown = await select(
              tx,
              Prisma.sql`(d.id = ${head.id} OR d."mergedIntoId" = ${head.id}) AND d.status = 'SENT'`,
            );
          }
        }
      }
      let rendered = await renderRows(tx, primary.recipientId, fresh, "instant");
      if (rendered.empty.includes(id) && fresh.length > 1) {
        // This job's own alert has nothing to say any more: the others go with their own jobs
        // (a row is carried only by the job of the row it is merged into).
        fresh = [primary];
        rendered = { message: null, empty: [id] };
      }
      if (rendered.empty.length > 0) {
        await tx.delivery.updateMany({
          where: { id: { in: rendered.empty } },
          data: { status: "CANCELLED", error: "nothing to tell any more", mergedIntoId: null },
        });
        fresh = fresh.filter((r) => !rendered.empty.includes(r.id));
      }
      if (!rendered.message || fresh.length === 0) return { kind: "cancelled" } as const;
      let message = rendered.message;
      let edit: Claim["edit"];
      if (head) {
        const merged = await renderRows(tx, primary.recipientId, [...shown, ...fresh], "instant");
        if (merged.message) {
          edit = { head, alone: message };
          message = merged.message;
        }
      }
      const rows = [primary, ...fresh.filter((r) => r.id !== primary.id)];
      await markSending(tx, rows, now);
      return { kind: "claimed", primary, rows, message, edit, waiting: "PENDING" } satisfies Claim;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/** The daily digest: every DIGEST row of the recipient and channel up to the cutoff, as one message. */
async function claimDigest(deps: SendDeps, id: bigint, cutoff: Date): Promise<ClaimResult> {
  const channel = deps.adapter.channel;
  return deps.db.$transaction(
    async (tx) => {
      const head = await tx.delivery.findUnique({ where: { id }, select: { recipientId: true } });
      if (!head) return { kind: "skipped" } as const;
      await lockRecipient(tx, channel, head.recipientId);
      let rows = await select(
        tx,
        Prisma.sql`((d."recipientId" = ${head.recipientId} AND d.channel::text = ${channel}
            AND d.status = 'DIGEST' AND d."createdAt" <= ${cutoff})
          OR (d.id = ${id} AND d.status = 'SENDING') OR (d."mergedIntoId" = ${id} AND d.status = 'SENDING'))`,
        Prisma.sql`ORDER BY d.id FOR UPDATE OF d SKIP LOCKED`,
      );
      const rendered = await renderRows(tx, head.recipientId, rows, "daily");
      if (rendered.empty.length > 0) {
        await tx.delivery.updateMany({
          where: { id: { in: rendered.empty } },
          data: { status: "CANCELLED", error: "nothing to tell any more", mergedIntoId: null },
        });
        rows = rows.filter((r) => !rendered.empty.includes(r.id));
      }
      const primary = rows.find((r) => r.id === id) ?? rows[0];
      if (!rendered.message || !primary) return { kind: "cancelled" } as const;
      const ordered = [primary, ...rows.filter((r) => r !== primary)];
      await markSending(tx, ordered, deps.clock());
      return {
        kind: "claimed",
        primary,
        rows: ordered,
        message: rendered.message,
        waiting: "DIGEST",
      } satisfies Claim;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/** Renders rows in the order things happened (fan-out of two events may create them either way). */
function renderRows(tx: Tx, recipientId: number, rows: Row[], style: Style) {
  const sorted = [...rows].sort((a, b) =>
    a.outboxId === b.outboxId ? (a.id < b.id ? -1 : 1) : a.outboxId < b.outboxId ? -1 : 1,
  );
  const parts: Part[] = sorted.map((r) => ({ deliveryId: r.id, type: r.type, payload: r.payload }));
  return renderMessage(tx, recipientId, parts, style);
}

/** Committed before the request: the primary row carries the others (mergedIntoId). */
async function markSending(tx: Tx, rows: Row[], now: Date) {
  const [primary, ...others] = rows;
  if (!primary) return;
  const stamp = { sentAt: now, updatedAt: new Date() };
  await tx.delivery.update({
    where: { id: primary.id },
    data: { status: "SENDING", mergedIntoId: null, ...stamp },
  });
  if (others.length > 0) {
    await tx.delivery.updateMany({
      where: { id: { in: others.map((r) => r.id) } },
      data: { status: "SENDING", mergedIntoId: primary.id, ...stamp },
    });
  }
}

async function deliver(
  deps: SendDeps,
  job: Job<SendJob>,
  token: string | undefined,
  claim: ClaimResult,
): Promise<string> {
  if (claim.kind !== "claimed") return claim.kind;
  const { primary } = claim;
  const address = primary.address;
  let externalId: string;
  let edited: Row | undefined;
  try {
    await paceAtSend(deps, address);
    if (claim.edit && deps.adapter.edit) {
      const id = claim.edit.head.externalId!;
      try {
        await deps.adapter.edit(address, id, claim.message);
        externalId = id;
        edited = claim.edit.head;
      } catch (err) {
        // Deleted by the reader, or too old to edit: tell the new part in a message of its own.
        if (!(err instanceof SendError && err.kind === "not_editable")) throw err;
        externalId = await deps.adapter.send(address, claim.edit.alone);
      }
    } else {
      externalId = await deps.adapter.send(address, claim.message);
    }
  } catch (err) {
    return failed(deps, job, token, claim, err);
  }
  await record(deps, claim, externalId, edited);
  recordDelivery(deps.adapter.channel, primary.type, "sent", primary.committedAt);
  return edited ? "edited" : "sent";
}

/** SENT, right after the answer; retried briefly, since a row left SENDING would be sent again. */
async function record(deps: SendDeps, claim: Claim, externalId: string, edited?: Row) {
  const [primary, ...others] = claim.rows;
  const now = deps.clock();
  for (let attempt = 0; ; attempt++) {
    try {
      const writes = [
        deps.db.delivery.update({
          where: { id: primary!.id },
          data: {
            status: "SENT",
            sentAt: now,
            externalId,
            mergedIntoId: edited?.id ?? null,
            attempts: { increment: 1 },
            error: null,
          },
        }),
      ];
      if (others.length > 0) {
        writes.push(
          deps.db.delivery.updateMany({
            where: { id: { in: others.map((r) => r.id) } },
            data: { status: "SENT", sentAt: now, mergedIntoId: edited?.id ?? primary!.id, error: null },
          }) as never,
        );
      }
      // One statement alone needs no transaction (a round trip less per message of a broadcast).
      await (writes.length === 1 ? writes[0] : deps.db.$transaction(writes));
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}

/** What a failed request means for its rows and its job. */
async function failed(
  deps: SendDeps,
  job: Job<SendJob>,
  token: string | undefined,
  claim: Claim,
  err: unknown,
): Promise<string> {
  const e = err instanceof SendError ? err : new SendError("transient", String(err));
  const ids = claim.rows.map((r) => r.id);
  const others = ids.slice(1);
  const message = `${e.kind}: ${e.message}`.slice(0, 500);
  recordDelivery(
    deps.adapter.channel,
    claim.primary.type,
    e.kind === "gone" || e.kind === "rejected" ? "failed" : "retry",
  );
  if (e.kind === "moved" && e.movedTo) {
    // A group became a supergroup: the link follows the chat, the rows get the new address.
    await deps.adapter.move?.(deps.db, primaryAddress(claim), e.movedTo);
    await release(deps, claim, { address: e.movedTo, error: message });
    return delay(job, token, 1);
  }
  if (e.kind === "gone" || e.kind === "rejected") {
    // Final: no retry can help.
    await deps.db.delivery.updateMany({
      where: { id: { in: ids } },
      data: { status: "FAILED", error: message, attempts: { increment: 1 } },
    });
    if (e.kind === "gone") {
      await deps.adapter.deactivate(deps.db, primaryAddress(claim), e.why || "forbidden");
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
  if (e.kind === "rate_limited") {
    // Telegram asked us to pause: pause the whole queue; BullMQ does not count it as an attempt.
    await release(deps, claim, {});
    await deps.queue.rateLimit(Math.max(1000, e.retryAfterMs));
    throw Worker.RateLimitError();
  }
  // Temporary: the row waits with capped backoff (its sendAfter says when, so the sweeper does
  // not wake it early); it ends only when it is no longer worth sending.
  const wait = deps.backoff(claim.primary.attempts + 1);
  const at = new Date(deps.clock().getTime() + wait);
  await release(deps, claim, { sendAfter: at, error: message, attempted: true });
  if (others.length === 0 && claim.primary.expiresAt && claim.primary.expiresAt <= at) {
    // The next try would come too late: it ends now, visibly.
    await expire(deps.db, [claim.primary.id]);
    recordDelivery(deps.adapter.channel, claim.primary.type, "expired");
    return "expired";
  }
  deps.logger.info({ deliveryId: String(ids[0]), retryInMs: wait, err: e.message }, "send: will retry");
  return delay(job, token, wait);
}

const primaryAddress = (claim: Claim) => claim.primary.address;

/** Back to waiting: the rows carried along are free again for their own jobs or a later claim. */
async function release(
  deps: SendDeps,
  claim: Claim,
  how: { sendAfter?: Date; address?: string; error?: string; attempted?: boolean },
) {
  const status = claim.waiting;
  const common = {
    status,
    ...(how.sendAfter && status === "PENDING" ? { sendAfter: how.sendAfter } : {}),
    ...(how.address ? { address: how.address } : {}),
    ...(how.error ? { error: how.error } : {}),
  };
  await deps.db.$transaction([
    deps.db.delivery.update({
      where: { id: claim.primary.id },
      data: { ...common, mergedIntoId: null, ...(how.attempted ? { attempts: { increment: 1 } } : {}) },
    }),
    deps.db.delivery.updateMany({
      where: { id: { in: claim.rows.slice(1).map((r) => r.id) }, status: "SENDING" },
      data: { ...common, mergedIntoId: null },
    }),
  ]);
}

/** Ends waiting rows that are no longer worth sending. */
export async function expire(db: Db, ids: bigint[]) {
  await db.delivery.updateMany({
    where: { id: { in: ids }, status: { in: ["PENDING", "HELD", "SENDING"] } },
    data: { status: "EXPIRED", mergedIntoId: null },
  });
}

/** Every waiting row whose life is over (the sweeper runs it). */
export async function expireDue(db: Db, now: Date): Promise<number> {
  const { count } = await db.delivery.updateMany({
    where: { status: { in: ["PENDING", "HELD"] }, expiresAt: { lte: now } },
    data: { status: "EXPIRED", error: "expired: could not be sent while it was still useful" },
  });
  return count;
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
