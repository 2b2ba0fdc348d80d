import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reserveSlot } from "../../worker/pacing.js";
import { guardiansWithChats, messageEach, type Pipeline, receipts, startPipeline, until } from "./harness.js";

/**
 * TELEGRAM_GLOBAL_RATE across its whole range (src/config.ts: whole numbers 1–1000). A rate that
 * does not divide 1000 (30 is Telegram's own figure) once made the pacing script's `SET … PX`
 * fractional; Redis refused it and every send failed.
 */
vi.setConfig({ testTimeout: 120_000 });

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let redis: Redis;
let p: Pipeline;
beforeAll(async () => {
  redis = new Redis(redisUrl);
  p = await startPipeline({ worker: { coalesceMs: 0 } });
  p.tg.setLimits({ globalPerSecond: 30, perChatPerSecond: 1, groupPerMinute: 20 });
});
afterAll(async () => {
  redis.disconnect();
  await p.stop();
});

describe("the pacing script", () => {
  it.each([30, 7, 3, 1, 1000])("reserves whole-millisecond slots %s a second apart", async (rate) => {
    const key = `t-pace-${rate}-${Date.now()}`;
    const gap = 1000 / rate;
    const now = Date.now();
    const slots: number[] = [];
    for (let i = 0; i <= rate && i < 40; i++) slots.push(await reserveSlot(redis, key, gap, now));
    expect(slots.every(Number.isInteger)).toBe(true);
    // n slots take n gaps: never more than `rate` in any second.
    const n = slots.length - 1;
    expect(slots[n]! - slots[0]!).toBeGreaterThanOrEqual(Math.floor(n * gap));
    expect(slots[n]! - slots[0]!).toBeLessThanOrEqual(Math.ceil(n * gap) + 1);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await redis.del(key);
  });
});

describe("the worker at every send rate", () => {
  it.each([30, 7, 1, 1000])("TELEGRAM_GLOBAL_RATE=%s delivers everything, without a 429", async (rate) => {
    await p.restartWorker(undefined, rate);
    const before429 = p.tg.stats.rate429;
    const people = await guardiansWithChats(p, 4, 30_000 + rate * 10);
    const expected = await messageEach(p, people, `Скорость ${rate}`);
    await until(
      async () =>
        (await p.t.db.delivery.count({
          where: { address: { in: people.map((x) => String(x.chat)) }, status: "SENT" },
        })) === people.length,
      `all sent at ${rate}/s`,
      60_000,
    );
    expect(receipts(p.tg, expected)).toEqual({ missing: 0, duplicates: 0 });
    expect(p.tg.stats.rate429 - before429).toBe(0);
    if (rate <= 7) {
      // The global pace holds: consecutive sends about 1/rate s apart (less the arrival jitter of a loaded machine).
      const chats = new Set(people.map((x) => x.chat));
      const at = p.tg
        .callsOf("sendMessage")
        .filter((c) => chats.has(Number(c.payload.chat_id)))
        .map((c) => c.at);
      const gaps = at.slice(1).map((t, i) => t - at[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual((1000 / rate) * 0.7);
    }
  });
});
