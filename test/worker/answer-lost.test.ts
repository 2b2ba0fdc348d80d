import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { telegramChannel } from "../../worker/channels/telegram.js";
import { SendError } from "../../worker/channels/types.js";
import { startFakeTelegram } from "../support/fake-telegram.js";
import { guardiansWithChats, messageEach, type Pipeline, receipts, startPipeline, until } from "./harness.js";

vi.setConfig({ testTimeout: 60_000 });

/**
 * The one case exactly-once cannot cover: Telegram accepted the message but its answer never
 * reached us (timeout, connection cut). The sender cannot tell it from a failed send, so it sends
 * again. Simulated here by an adapter that throws away the answer of every third send.
 */
let p: Pipeline;
let lostAnswers = 0;
beforeAll(async () => {
  const tg = await startFakeTelegram();
  const real = telegramChannel({ token: tg.token, apiRoot: tg.apiRoot, globalRate: 25 });
  let n = 0;
  const lossy = {
    ...real,
    async send(address: string, message: { subject: string; text: string }) {
      const id = await real.send(address, message);
      if (++n % 3 === 0) {
        lostAnswers++;
        throw new SendError("transient", "Network request for 'sendMessage' failed: answer lost");
      }
      return id;
    },
  };
  p = await startPipeline({ worker: { adapters: [lossy], coalesceMs: 0 }, tg });
});
afterAll(() => p.stop());

it("counts a resend after a lost answer separately: it is the only duplicate", async () => {
  const people = await guardiansWithChats(p, 12, 13_000);
  const expected = await messageEach(p, people, "Потерянный ответ");
  await until(
    async () =>
      (await p.t.db.delivery.count({
        where: { address: { in: people.map((x) => String(x.chat)) }, status: "SENT" },
      })) === 12,
    "all sent",
  );
  const r = receipts(p.tg, expected);
  expect(r.missing).toBe(0);
  expect(lostAnswers).toBeGreaterThan(0);
  expect(r.duplicates).toBe(lostAnswers);
});
