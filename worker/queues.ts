import type { ConnectionOptions, DefaultJobOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { EVENTS_QUEUE, type EventJob, eventJobId } from "../src/events/queue-names.js";

/**
 * Every queue of the notification pipeline and the payload of each job. Payloads carry ids only:
 * names, marks and texts are loaded by the processor at send time and never sit in Redis.
 */
export const QUEUES = {
  /** outbox row → deliveries (fan-out). */
  events: EVENTS_QUEUE,
  /** one Telegram delivery (possibly coalescing several rows of the same chat). */
  telegram: "send-telegram",
  /** one e-mail delivery. */
  email: "send-email",
  /** cron ticks (digests, reminders, summaries) and the digest jobs they spawn. */
  schedules: "schedules",
  /** deliveries that exhausted their retries, kept for an operator. */
  dead: "dead-letter",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type { EventJob };
export { eventJobId };

export interface SendJob {
  deliveryId: string;
  /** A digest: every DIGEST row of the recipient and channel created up to this ISO instant. */
  digestCutoff?: string;
  /** Epoch ms of the per-chat slot this job already reserved (see pacing.ts). */
  slotAt?: number;
}
export const sendJobId = (deliveryId: bigint | string) => `d-${deliveryId}`;

/** Cron jobs (job schedulers); "now" is read when they run, in the school's time zone. */
export type ScheduleJob =
  | { kind: "digests" }
  | { kind: "weekly"; schoolId: number }
  | { kind: "reminders"; schoolId: number }
  | { kind: "control-summary"; schoolId: number };

export interface DeadJob {
  queue: string;
  jobId: string;
  deliveryId?: string;
  error: string;
}

/** Trimming: enough history to debug and to absorb duplicate job ids, bounded memory. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

/** Workers block on Redis: they must never give up a command (BullMQ production guide). */
export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * Producers fail fast so a caller (the relay) learns at once that Redis is away and keeps the rows
 * for later, instead of piling commands into an offline queue.
 */
export function producerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    ...extra,
  });
}

export type { ConnectionOptions };
