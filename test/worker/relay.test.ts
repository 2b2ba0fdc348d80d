import type { ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emit } from "../../src/events/outbox.js";
import { startRelay } from "../../src/events/relay.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { logger, until } from "./harness.js";
import { freePort, killRedis, startRedis } from "./redis-server.js";

let t: TestDb;
let s: SchoolFixture;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
});
afterAll(() => t.drop());

const homework = (n: number) =>
  t.db.$transaction(async (tx) => {
    for (let i = 0; i < n; i++)
      await emit(tx, s.school.id, { type: "homework.set", payload: { lessonId: 1 + i } });
  });

describe("outbox relay", () => {
  it("publishes each committed row once even with two relays racing", async () => {
    const prefix = `t-relay-${Date.now()}`;
    const config = { DATABASE_URL: t.url, REDIS_URL: redisUrl };
    const relays = await Promise.all(
      [1, 2].map(() => startRelay({ config, db: t.db, logger, prefix, batchSize: 7 })),
    );
    const queue = new Queue("events", { connection: { url: redisUrl }, prefix });
    try {
      for (let k = 0; k < 10; k++) await homework(10);
      await until(
        async () => (await t.db.outbox.count({ where: { publishedAt: null } })) === 0,
        "all published",
      );
      const rows = await t.db.outbox.findMany({ select: { attempts: true } });
      expect(rows).toHaveLength(100);
      // Every row was claimed by exactly one relay (SKIP LOCKED), so published exactly once.
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
      const counts = await queue.getJobCounts("waiting");
      expect(counts.waiting).toBe(100);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("keeps rows while Redis is down and publishes them as soon as it is back", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const prefix = `t-relay-down-${Date.now()}`;
    const relay = await startRelay({
      config: { DATABASE_URL: t.url, REDIS_URL: url },
      db: t.db,
      logger,
      prefix,
      pollMs: 200,
    });
    let redis: ChildProcess | undefined;
    try {
      const before = await t.db.outbox.count();
      await homework(3);
      expect(await relay.drain()).toBe(0);
      expect(await t.db.outbox.count({ where: { publishedAt: null } })).toBe(3);
      redis = await startRedis(port);
      await until(
        async () => (await t.db.outbox.count({ where: { publishedAt: null } })) === 0,
        "published",
        15_000,
      );
      const queue = new Queue("events", { connection: { url }, prefix });
      expect((await queue.getJobCounts("waiting")).waiting).toBe(3);
      await queue.close();
      expect(await t.db.outbox.count()).toBe(before + 3);
    } finally {
      await relay.stop();
      if (redis) await killRedis(redis);
    }
  });
});
