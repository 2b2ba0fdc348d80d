import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
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
let child: ChildProcess | null = null;
beforeAll(async () => {
  p = await startPipeline({ inProcessWorker: false });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await p.stop();
});

async function spawnWorker(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", "test/worker/child-worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: p.t.url,
      REDIS_URL: p.redisUrl,
      BOT_TOKEN: p.tg.token,
      BOT_API_ROOT: p.tg.apiRoot,
      PREFIX: p.prefix,
      CLOCK_AT: "2026-11-24T10:00:00+03:00",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return proc;
}

it("delivers every event exactly once when the worker is killed with SIGKILL mid-batch", async () => {
  const people = await guardiansWithChats(p, 40, 10_000);
  const expected = await messageEach(p, people, "Перезапуск");
  child = await spawnWorker();
  // Kill it while the batch is being sent (25 messages/s: about a second in).
  await until(() => p.tg.stats.accepted >= 10, "first sends", 30_000);
  const killed = child;
  const exited = new Promise((r) => killed.once("exit", r));
  killed.kill("SIGKILL");
  await exited;
  const acceptedAtKill = p.tg.stats.accepted;
  expect(acceptedAtKill).toBeLessThan(40);
  child = await spawnWorker();
  await allSent(
    p,
    people.map((x) => x.chat),
    40_000,
  );
  const r = receipts(p.tg, expected);
  // A send Telegram accepted just before the kill, whose commit never happened, is sent again:
  // that is the one duplicate exactly-once cannot rule out; it is counted, not hidden.
  console.log(`SIGKILL: accepted before kill ${acceptedAtKill}, answer-lost duplicates ${r.duplicates}`);
  expect(r.missing).toBe(0);
  expect(r.duplicates).toBeLessThanOrEqual(16); // at most the sends in flight at the kill
  const rows = await p.t.db.delivery.findMany({
    where: { address: { in: people.map((x) => String(x.chat)) } },
  });
  expect(rows).toHaveLength(40);
  expect(rows.every((x) => x.status === "SENT")).toBe(true);
}, 120_000);
