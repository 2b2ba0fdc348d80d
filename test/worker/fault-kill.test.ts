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

/** The worker as a child process with the product's default lock (see child-worker.ts). */
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

/** Kills the worker once `accepted` sends went through; returns the requests it held in flight. */
async function killAfter(accepted: number): Promise<{ inFlight: number; acceptedAtKill: number }> {
  await until(() => p.tg.stats.accepted >= accepted, "first sends", 60_000);
  const killed = child!;
  const exited = new Promise((r) => killed.once("exit", r));
  killed.kill("SIGKILL");
  await exited;
  // Rows recorded SENDING are the requests that may have left without their answer recorded.
  const inFlight = await p.t.db.delivery.count({ where: { status: "SENDING", mergedIntoId: null } });
  return { inFlight, acceptedAtKill: p.tg.stats.accepted };
}

it("delivers every message after a SIGKILL mid-burst, re-sending at most the requests in flight", async () => {
  const people = await guardiansWithChats(p, 40, 10_000);
  const expected = await messageEach(p, people, "Перезапуск");
  child = await spawnWorker();
  const before = p.tg.stats.accepted;
  const { inFlight, acceptedAtKill } = await killAfter(before + 10);
  expect(acceptedAtKill - before).toBeLessThan(40);
  child = await spawnWorker();
  const restarted = Date.now();
  await allSent(
    p,
    people.map((x) => x.chat),
    60_000,
  );
  const r = receipts(p.tg, expected);
  console.log(
    `SIGKILL mid-burst: accepted ${acceptedAtKill - before}, in flight ${inFlight}, duplicates ${r.duplicates}, rest sent ${Date.now() - restarted} ms after the new worker was ready`,
  );
  expect(r.missing).toBe(0);
  expect(r.duplicates).toBeLessThanOrEqual(inFlight);
  const rows = await p.t.db.delivery.findMany({
    where: { address: { in: people.map((x) => String(x.chat)) } },
  });
  expect(rows).toHaveLength(40);
  expect(rows.every((x) => x.status === "SENT")).toBe(true);
}, 180_000);

it("ten messages to one chat, killed in the middle: each arrives, at most the one in flight twice", async () => {
  const [person] = await guardiansWithChats(p, 1, 11_000);
  const chat = person!.chat;
  const expected = new Map<string, number>();
  for (let i = 0; i < 10; i++) {
    const body = `Одному чату: сообщение ${i}.`;
    const msg = await p.t.db.message.create({
      data: {
        schoolId: p.s.school.id,
        authorId: p.s.people.russian.id,
        kind: "DIRECT",
        body,
        recipients: { create: [{ personId: person!.id }] },
      },
    });
    await p.event({ type: "message.sent", payload: { messageId: msg.id } });
    expected.set(body, 0);
  }
  child = await spawnWorker();
  const before = p.tg.stats.accepted;
  // One chat gets a message a second: about four seconds in.
  const { inFlight } = await killAfter(before + 4);
  child = await spawnWorker();
  await allSent(p, [chat], 90_000).catch(() => {});
  await until(
    async () => (await p.t.db.delivery.count({ where: { address: String(chat), status: "SENT" } })) === 10,
    "all ten sent",
    90_000,
  );
  const texts = p.tg
    .callsOf("sendMessage")
    .filter((c) => c.status === 200 && Number(c.payload.chat_id) === chat)
    .map((c) => String(c.payload.text));
  for (const t of texts)
    for (const body of expected.keys()) if (t.endsWith(body)) expected.set(body, expected.get(body)! + 1);
  const counts = [...expected.values()];
  console.log(`SIGKILL, one chat: in flight ${inFlight}, counts ${counts.join(",")}`);
  expect(counts.every((n) => n >= 1)).toBe(true);
  expect(counts.reduce((a, n) => a + n - 1, 0)).toBeLessThanOrEqual(Math.min(1, inFlight));
}, 180_000);
