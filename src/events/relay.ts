import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { type Db, Prisma, queryRows } from "../db/client.js";
import type { Logger } from "../logger.js";
import { outboxLag } from "../metrics.js";
import { EVENTS_QUEUE, type EventJob, eventJobId } from "./queue-names.js";

/**
 * The outbox relay: moves committed outbox rows to BullMQ. Woken by LISTEN outbox (the insert
 * trigger NOTIFYs) and by a polling fallback, so a lost notification or a dropped LISTEN
 * connection only delays rows by one poll. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
 * number of relays may run; the job id comes from the outbox id, so a re-add after a crash between
 * the add and the commit is absorbed by BullMQ (and the fan-out is idempotent anyway).
 */
export interface RelayOptions {
  config: { DATABASE_URL: string; REDIS_URL: string };
  db: Db;
  logger: Pick<Logger, "info" | "warn" | "error" | "debug">;
  /** A producer connection to reuse; by default one is opened from REDIS_URL. */
  redis?: Redis;
  /** BullMQ key prefix (tests use a unique one). */
  prefix?: string;
  pollMs?: number;
  batchSize?: number;
}

export interface Relay {
  /** Claims and publishes everything pending now; resolves with the number of rows published. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

const ADD_TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("Redis did not answer in time")), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function startRelay(opts: RelayOptions): Promise<Relay> {
  const { db, logger } = opts;
  const batchSize = opts.batchSize ?? 200;
  const pollMs = opts.pollMs ?? 1000;
  const ownRedis = !opts.redis;
  // Fail fast: while Redis is away the rows simply stay unpublished.
  const connection =
    opts.redis ??
    new Redis(opts.config.REDIS_URL, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
  connection.on("error", () => {}); // reconnects by itself; failures surface as rejected adds
  const queue = new Queue<EventJob>(EVENTS_QUEUE, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: "exponential", delay: 500 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  queue.on("error", (err) => logger.warn({ err: err.message }, "relay: queue error"));

  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let failing = false;

  async function claimBatch(): Promise<number> {
    return db.$transaction(
      async (tx) => {
        const rows = await queryRows<{ id: bigint; type: string; createdAt: Date }>(
          tx,
          Prisma.sql`
          SELECT id, type, "createdAt" FROM "Outbox" WHERE "publishedAt" IS NULL
          ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`,
        );
        if (rows.length === 0) return 0;
        await withTimeout(
          queue.addBulk(
            rows.map((r) => ({
              name: r.type,
              data: { outboxId: String(r.id) },
              opts: { jobId: eventJobId(r.id) },
            })),
          ),
          ADD_TIMEOUT_MS,
        );
        const ids = rows.map((r) => String(r.id));
        await tx.$executeRaw`
          UPDATE "Outbox" SET "publishedAt" = now(), attempts = attempts + 1
          WHERE id = ANY(${ids}::text[]::bigint[])`;
        const now = Date.now();
        for (const r of rows) outboxLag.observe(Math.max(0, (now - r.createdAt.getTime()) / 1000));
        return rows.length;
      },
      { timeout: 15_000, maxWait: 5_000 },
    );
  }

  async function loop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      const n = await claimBatch();
      total += n;
      if (n === batchSize) again = true;
    } while (again && !stopped);
    return total;
  }

  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = loop()
      .then((n) => {
        if (failing) logger.info("relay: publishing again");
        failing = false;
        return n;
      })
      .catch((err: unknown) => {
        // Redis or PostgreSQL away: rows stay unpublished and the next poll or notify retries.
        if (!failing) logger.warn({ err: (err as Error).message }, "relay: publish failed, will retry");
        failing = true;
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  // Dedicated LISTEN connection (a pooled one could be handed back and lose the LISTEN).
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | undefined;
  async function listen(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString: opts.config.DATABASE_URL });
    const retry = () => {
      if (listener === client) listener = null;
      client.removeAllListeners();
      client.on("error", () => {});
      client.end().catch(() => {});
      if (!stopped && !reconnectTimer) {
        reconnectTimer = setTimeout(() => {
          reconnectTimer = undefined;
          void listen();
        }, 1000);
      }
    };
    client.on("error", retry);
    client.on("end", retry);
    client.on("notification", () => void drain());
    try {
      await client.connect();
      await client.query("LISTEN outbox");
      listener = client;
      void drain(); // catch up on what was committed while not listening
    } catch {
      retry();
    }
  }
  await listen();
  const poller = setInterval(() => void drain(), pollMs);
  poller.unref();

  return {
    drain,
    async stop() {
      stopped = true;
      clearInterval(poller);
      clearTimeout(reconnectTimer);
      await running?.catch(() => {});
      if (listener) {
        const l = listener;
        listener = null;
        l.removeAllListeners();
        l.on("error", () => {});
        await l.end().catch(() => {});
      }
      await queue.close().catch(() => {});
      if (ownRedis) connection.disconnect();
    },
  };
}
