/**
 * The queue the relay feeds. It lives in src/ because src/ never imports worker/; worker/queues.ts
 * re-exports it next to every other queue so there is still one list to read.
 */
export const EVENTS_QUEUE = "events";

/** One committed outbox row; the fan-out loads the row itself (ids only in Redis). */
export interface EventJob {
  outboxId: string;
}

/** Deterministic job id: a re-add after a relay crash is absorbed by BullMQ. */
export const eventJobId = (outboxId: bigint | string) => `o-${outboxId}`;
