import type { Redis } from "ioredis";

/**
 * Per-chat pacing (BullMQ's open-source limiter is per queue only): a Redis key per address holds
 * the next free instant; each send reserves the next slot atomically and the job is delayed until
 * its slot. Reservations from several workers never collide because the script runs atomically.
 */
const RESERVE = `
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
local gap = tonumber(ARGV[2])
local at = math.max(now, nxt)
-- PX takes whole milliseconds only: a gap of 1000/30 ms would make Redis refuse the SET.
redis.call('SET', KEYS[1], at + gap, 'PX', math.ceil(at - now + gap) + 1000)
return math.ceil(at)`;

export async function reserveSlot(
  redis: Redis,
  key: string,
  spacingMs: number,
  now = Date.now(),
): Promise<number> {
  const at = await redis.eval(RESERVE, 1, key, now, spacingMs);
  return Number(at);
}

/** Exponential backoff with full jitter, capped: retries of many jobs do not arrive in step. */
export function jitteredBackoff(baseMs: number, capMs: number) {
  return (attemptsMade: number): number => {
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };
}
