import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type Db, Prisma, queryRows } from "../src/db/client.js";
import { eventJobId } from "../src/events/queue-names.js";
import type { Logger } from "../src/logger.js";
import { emailChannel } from "./channels/email.js";
import { telegramChannel } from "./channels/telegram.js";
import type { ChannelAdapter } from "./channels/types.js";
import { enqueueDue, fanOut, reviveOverdue } from "./fanout.js";
import { jitteredBackoff } from "./pacing.js";
import {
  DEFAULT_JOB_OPTIONS,
  type DeadJob,
  type EventJob,
  producerConnection,
  QUEUES,
  type ScheduleJob,
  type SendJob,
  workerConnection,
} from "./queues.js";
import { ensureSchedulers, scheduleProcessor } from "./schedules.js";
import { expireDue, type SendDeps, sendProcessor } from "./send.js";
import { checkRedisEpoch } from "./sweep.js";

/**
 * The worker role: fan-out of relayed events, one sending queue per channel, schedulers, and a
 * sweeper that re-queues waiting deliveries when Redis lost its data.
 */
export interface WorkerConfig {
  REDIS_URL: string;
  BOT_TOKEN?: string;
  BOT_API_ROOT: string;
  SMTP_URL?: string;
  SMTP_FROM: string;
  TELEGRAM_GLOBAL_RATE: number;
}

export interface WorkerOptions {
  /** BullMQ key prefix; tests use a unique one. */
  prefix?: string;
  /**
   * The merge window (default 60 s): the first alert leaves at once; later ones within the window
   * edit it (Telegram) or go as one follow-up at its end (e-mail). 0: every alert on its own.
   */
  coalesceMs?: number;
  /** Overrides each school's absence grace. */
  graceMs?: number;
  /** "Business now" for quiet hours, grace and digests; BullMQ keeps real time. */
  clock?: () => Date;
  /**
   * BullMQ attempts of a job that throws (the database or Redis away). Temporary send failures
   * do not count: a delivery waits with capped backoff until its expiry (see send.ts).
   */
  attempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** How often waiting deliveries and Redis' state are checked (default 15 s). */
  sweepMs?: number;
  /**
   * BullMQ lock duration (default 6 s, checked every half of it): a killed worker's jobs are
   * taken over within about 1.5 × this.
   */
  lockMs?: number;
  /** Extra or replacement channel adapters (tests, new messengers). */
  adapters?: ChannelAdapter[];
  /** Register the cron job schedulers (default true). */
  schedulers?: boolean;
  telegramConcurrency?: number;
}

export interface StartWorkerArgs {
  config: WorkerConfig;
  db: Db;
  logger: Logger;
  redis?: Redis;
  options?: WorkerOptions;
}

export interface RunningWorker {
  stop(): Promise<void>;
  /** Runs the sweeper now (tests). */
  sweep(): Promise<void>;
  /** Runs a scheduled job now, as its job scheduler would. */
  runSchedule(job: ScheduleJob): Promise<string>;
  queues: Record<string, Queue>;
}

export async function startWorker(args: StartWorkerArgs): Promise<RunningWorker> {
  const { config, db, logger } = args;
  const o = args.options ?? {};
  const prefix = o.prefix ?? "bull";
  const clock = o.clock ?? (() => new Date());
  const url = config.REDIS_URL;
  // Practically unlimited: what ends a delivery is its expiry, not a count (backoff is capped).
  const attempts = o.attempts ?? 1_000_000;
  const lockMs = o.lockMs ?? 6000;
  const backoff = jitteredBackoff(o.backoffBaseMs ?? 1000, o.backoffCapMs ?? 5 * 60_000);
  const coalesceMs = o.coalesceMs ?? 60_000;

  const adapters: ChannelAdapter[] = o.adapters ?? [];
  if (!o.adapters && config.BOT_TOKEN) {
    adapters.push(
      telegramChannel({
        token: config.BOT_TOKEN,
        apiRoot: config.BOT_API_ROOT,
        globalRate: config.TELEGRAM_GLOBAL_RATE,
        concurrency: o.telegramConcurrency,
      }),
    );
  }
  if (!o.adapters && config.SMTP_URL)
    adapters.push(emailChannel({ smtpUrl: config.SMTP_URL, from: config.SMTP_FROM }));

  const producer = args.redis ?? producerConnection(url);
  producer.on("error", () => {});
  const connections: Redis[] = args.redis ? [] : [producer];
  const queue = <T>(name: string, extra = {}) => {
    const q = new Queue<T>(name, {
      connection: producer,
      prefix,
      defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...extra },
    });
    q.on("error", (err) => logger.warn({ queue: name, err: err.message }, "queue error"));
    return q;
  };
  const dead = queue<DeadJob>(QUEUES.dead);
  const events = queue<EventJob>(QUEUES.events);
  const schedules = queue<ScheduleJob>(QUEUES.schedules);
  const sendQueues = new Map<string, Queue<SendJob>>();
  for (const a of adapters) {
    sendQueues.set(a.channel, queue<SendJob>(a.queue, { attempts, backoff: { type: "jitter" } }));
  }

  const workers: Worker[] = [];
  const common = (concurrency: number) => {
    const connection = workerConnection(url);
    connection.on("error", () => {});
    connections.push(connection);
    return {
      connection,
      prefix,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
      maxStalledCount: 5,
      settings: { backoffStrategy: backoff },
    };
  };
  const watch = (w: Worker) => {
    w.on("error", (err) => logger.warn({ queue: w.name, err: err.message }, "worker error"));
    w.on("failed", (job, err) =>
      logger.warn(
        { queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        "job failed",
      ),
    );
    workers.push(w);
  };

  const fanoutDeps = {
    db,
    adapters,
    sendQueues,
    coalesceMs,
    graceMs: o.graceMs,
    clock,
  };
  watch(
    new Worker<EventJob>(
      QUEUES.events,
      async (job) => String(await fanOut(fanoutDeps, BigInt(job.data.outboxId))),
      common(8),
    ),
  );

  for (const adapter of adapters) {
    const q = sendQueues.get(adapter.channel)!;
    const deps: SendDeps = {
      db,
      adapter,
      queue: q,
      dead,
      redis: producer,
      prefix,
      clock,
      logger,
      editWindowMs: coalesceMs,
      // A request may take up to the HTTP timeout; a row SENDING longer was left by a dead worker.
      staleMs: lockMs,
      backoff,
    };
    const opts = common(adapter.concurrency);
    watch(
      new Worker<SendJob>(adapter.queue, sendProcessor(deps), {
        ...opts,
        ...(adapter.limiter ? { limiter: adapter.limiter } : {}),
      }),
    );
  }

  const scheduleDeps = {
    db,
    clock,
    sendQueues,
    logger,
    schedules: o.schedulers === false ? undefined : schedules,
  };
  const scheduled = scheduleProcessor(scheduleDeps);
  watch(new Worker<ScheduleJob>(QUEUES.schedules, scheduled, common(2)));
  if (o.schedulers !== false)
    await ensureSchedulers(db, schedules).catch((err: Error) => {
      logger.warn({ err: err.message }, "schedulers not registered yet (Redis?)");
    });

  const sweep = async () => {
    const lost = await checkRedisEpoch(producer, prefix);
    if (lost) {
      logger.warn(
        "Redis holds no queues of ours (first start or data lost): republishing recent events, re-queueing deliveries",
      );
      // Events whose fan-out never ran go out again; fan-out is idempotent.
      const rows = await queryRows<{ id: bigint; type: string }>(
        db,
        Prisma.sql`
        SELECT o.id, o.type FROM "Outbox" o
        WHERE o."publishedAt" > now() - interval '1 day' AND o."schoolId" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."outboxId" = o.id)
        ORDER BY o.id LIMIT 20000`,
      );
      for (let i = 0; i < rows.length; i += 500) {
        await events.addBulk(
          rows.slice(i, i + 500).map((r) => ({
            name: r.type,
            data: { outboxId: String(r.id) },
            opts: { jobId: eventJobId(r.id) },
          })),
        );
      }
      if (o.schedulers !== false) await ensureSchedulers(db, schedules);
      await enqueueDue({ db, sendQueues, clock }, {});
      await reviveOverdue({ db, sendQueues, clock }, { overdueMs: 0, staleMs: lockMs });
      return;
    }
    // Alerts no longer worth sending end visibly (EXPIRED, in the delivery statistics).
    await expireDue(db, clock());
    // Deliveries overdue by a while, or left SENDING by a dead worker, get a job that runs now.
    await reviveOverdue(
      { db, sendQueues, clock },
      { overdueMs: 5000, staleMs: Math.max(60_000, 10 * lockMs) },
    );
  };
  let sweeping: Promise<void> | null = null;
  const runSweep = () => {
    sweeping ??= sweep()
      .catch((err: Error) => logger.debug?.({ err: err.message }, "sweep failed, will retry"))
      .finally(() => {
        sweeping = null;
      });
    return sweeping;
  };
  const sweeper = setInterval(() => void runSweep(), o.sweepMs ?? 15_000);
  sweeper.unref();
  void runSweep();

  return {
    queues: { events, schedules, dead, ...Object.fromEntries([...sendQueues].map(([c, q]) => [c, q])) },
    sweep: runSweep,
    runSchedule: (data) => scheduled({ data }),
    async stop() {
      clearInterval(sweeper);
      await sweeping;
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled([events, schedules, dead, ...sendQueues.values()].map((q) => q.close()));
      await Promise.allSettled(adapters.map((a) => a.close()));
      for (const c of connections) c.disconnect();
    },
  };
}
