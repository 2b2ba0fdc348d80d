import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import {
  allSent,
  guardiansWithChats,
  messageEach,
  type Pipeline,
  receipts,
  startPipeline,
} from "./harness.js";
import { freePort, killRedis, startRedis } from "./redis-server.js";

// Real queues, retries and pacing: generous limits for a loaded CI machine (waits poll, never sleep).
vi.setConfig({ testTimeout: 90_000 });

let p: Pipeline;
let redis: ChildProcess;
let port: number;
beforeAll(async () => {
  port = await freePort();
  redis = await startRedis(port);
  p = await startPipeline({ redisUrl: `redis://127.0.0.1:${port}`, worker: { coalesceMs: 0 } });
});
afterAll(async () => {
  await p.stop();
  await killRedis(redis);
});

it("delivers every accepted event exactly once when Redis dies (losing its data) during a burst", async () => {
  const people = await guardiansWithChats(p, 40, 9000);
  const expected = new Map<number, string>();
  const first = await messageEach(p, people.slice(0, 20), "До сбоя");
  for (const [k, v] of first) expected.set(k, v);
  await killRedis(redis);
  // Accepted while Redis is away: the rows wait in the outbox.
  const during = await messageEach(p, people.slice(20), "Во время сбоя");
  for (const [k, v] of during) expected.set(k, v);
  await new Promise((r) => setTimeout(r, 500));
  redis = await startRedis(port);
  await allSent(
    p,
    people.map((x) => x.chat),
    40_000,
  );
  expect(receipts(p.tg, expected)).toEqual({ missing: 0, duplicates: 0 });
  expect(await p.t.db.outbox.count({ where: { publishedAt: null } })).toBe(0);
});
