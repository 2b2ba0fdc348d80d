import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { urlFor } from "../support/db.js";
import {
  allSent,
  guardiansWithChats,
  messageEach,
  type Pipeline,
  receipts,
  startPipeline,
  until,
} from "./harness.js";

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline({ worker: { coalesceMs: 0 } });
});
afterAll(() => p.stop());

/** Drops every connection to this test's database (the relay's LISTEN one included). */
async function dropConnections(dbName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: urlFor("postgres") });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [dbName],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

it("delivers every accepted event exactly once when PostgreSQL connections are dropped", async () => {
  const people = await guardiansWithChats(p, 36, 11_000);
  const expected = await messageEach(p, people.slice(0, 18), "Первая волна");
  await until(() => p.tg.stats.accepted >= 5, "first sends");
  const dropped = [await dropConnections(p.t.name)];
  // Events committed after the drop are found by the relay (reconnected LISTEN or polling).
  let second = new Map<number, string>();
  for (let attempt = 0; ; attempt++) {
    try {
      second = await messageEach(p, people.slice(18), "Вторая волна");
      break;
    } catch (err) {
      // The test's own pooled connection may have been among the dropped ones.
      if (attempt > 5) throw err;
    }
  }
  for (const [k, v] of second) expected.set(k, v);
  await until(() => p.tg.stats.accepted >= 22, "more sends");
  dropped.push(await dropConnections(p.t.name));
  await allSent(
    p,
    people.map((x) => x.chat),
    40_000,
  );
  const r = receipts(p.tg, expected);
  console.log(`PostgreSQL drops: ${dropped.join(", ")} connections; answer-lost duplicates ${r.duplicates}`);
  expect(dropped.every((n) => n > 0)).toBe(true);
  expect(r.missing).toBe(0);
  // A commit cut off after Telegram accepted the message is the one duplicate that can happen:
  // at most the sends in flight (the sender's concurrency, 16) at each drop.
  expect(r.duplicates).toBeLessThanOrEqual(16 * dropped.length);
}, 120_000);
