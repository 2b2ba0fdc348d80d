import type { Redis } from "ioredis";

/**
 * Detects that Redis lost its data (restarted without persistence, failed over to an empty
 * replica): a marker key written once disappears. The caller then rebuilds the queues from
 * PostgreSQL, which stays the source of truth for what was accepted and what was sent.
 */
export async function checkRedisEpoch(redis: Redis, prefix: string): Promise<boolean> {
  const key = `${prefix}:zhurnal:epoch`;
  const set = await redis.set(key, String(Date.now()), "NX");
  return set === "OK";
}
