import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deliveryStats } from "../../src/journal/delivery-stats.js";
import { updatePreferences } from "../../src/journal/preferences.js";
import {
  clock,
  deliveriesOf,
  guardiansWithChats,
  type Pipeline,
  receipts,
  startPipeline,
  until,
} from "./harness.js";
import { bodyOf, startSmtp } from "./smtp.js";

/**
 * Outages longer than the old retry budget (10 attempts): a temporary failure never becomes a
 * final one; the alert waits with capped backoff and goes once the service is back, or ends
 * EXPIRED (counted in the delivery statistics) when it is no longer useful.
 */
vi.setConfig({ testTimeout: 120_000 });

let p: Pipeline;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
  // A sweeper far more eager than the production one (15 s): it must not cut a backoff short.
  p = await startPipeline({
    smtpUrl: smtp.url,
    worker: { backoffBaseMs: 200, backoffCapMs: 800, sweepMs: 100, coalesceMs: 0 },
  });
});
afterAll(async () => {
  await p.stop();
  await smtp.stop();
});

async function classMessage(body: string, recipients: number[]) {
  const msg = await p.t.db.message.create({
    data: {
      schoolId: p.s.school.id,
      authorId: p.s.people.russian.id,
      kind: "CLASS",
      classId: p.s.classes.class5.id,
      body,
      recipients: { create: recipients.map((personId) => ({ personId })) },
    },
  });
  return p.event({ type: "message.sent", payload: { messageId: msg.id } });
}

describe("Telegram answers 502 for longer than the old retry budget", () => {
  it("keeps every delivery waiting, then delivers each exactly once when Telegram is back", async () => {
    const people = await guardiansWithChats(p, 8, 20_000);
    p.tg.outage({ code: 502 });
    try {
      const body = "Собрание перенесено на среду.";
      const id = await classMessage(
        body,
        people.map((x) => x.id),
      );
      // Past the old budget of 10 attempts, and still nothing given up.
      const rows = await until(
        async () => {
          const r = await deliveriesOf(p.t.db, id);
          return r.length === people.length && r.every((d) => d.attempts >= 11) && r;
        },
        "11 attempts each",
        90_000,
      );
      expect(rows.filter((r) => ["FAILED", "EXPIRED", "CANCELLED"].includes(r.status))).toEqual([]);
      p.tg.outage(null);
      await until(
        async () => (await deliveriesOf(p.t.db, id)).every((d) => d.status === "SENT"),
        "all sent after the outage",
        60_000,
      );
      const expected = new Map(people.map((x) => [x.chat, body]));
      expect(receipts(p.tg, expected)).toEqual({ missing: 0, duplicates: 0 });
    } finally {
      p.tg.outage(null);
    }
  });

  it("ends an alert that outlived its use as EXPIRED, shown in the delivery statistics, never sent", async () => {
    const g = p.s.guardians.petrovaMother;
    await p.link(g.id, 20_100);
    p.tg.outage({ code: 502 });
    try {
      const id = await classMessage("Завтра субботник.", [g.id]);
      const [row] = await until(async () => {
        const r = await deliveriesOf(p.t.db, id);
        return r[0] && r[0].attempts >= 2 && r;
      }, "a few failed attempts");
      // Its life ends in a moment (as a day would end for a mark).
      await p.t.db.delivery.update({
        where: { id: row!.id },
        data: { expiresAt: new Date(clock().getTime() + 300) },
      });
      const [done] = await until(async () => {
        const r = await deliveriesOf(p.t.db, id);
        return r[0]?.status === "EXPIRED" && r;
      }, "expired");
      expect(done?.status).toBe("EXPIRED");
      p.tg.outage(null);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await deliveriesOf(p.t.db, id))[0]?.status).toBe("EXPIRED");
      expect(
        p.tg.callsOf("sendMessage").filter((c) => c.status === 200 && Number(c.payload.chat_id) === 20_100),
      ).toEqual([]);
      const stats = await deliveryStats(p.t.db, p.s.people.russian.actor, { classId: p.s.classes.class5.id });
      expect(stats.expired).toBeGreaterThanOrEqual(1);
    } finally {
      p.tg.outage(null);
    }
  });
});

describe("the SMTP server is down", () => {
  it("retries with growing, capped backoff (the sweeper does not defeat it) and sends one e-mail after", async () => {
    const g = p.s.guardians.sidorovFather;
    await updatePreferences(p.t.db, g.actor, { email: true });
    const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-24", 4);
    const mark = await p.t.db.mark.create({
      data: {
        lessonId: lesson.id,
        pupilId: p.s.pupils.sidorova.id,
        value: "5",
        authorId: p.s.people.math.id,
      },
    });
    smtp.state.down = true;
    const seenFrom = smtp.state.connections.length;
    try {
      const id = await p.event({ type: "mark.posted", payload: { lessonId: lesson.id, markIds: [mark.id] } });
      // Longer than the sweeper's overdue threshold (5 s): the old sweeper then woke the retry every sweep.
      await until(
        async () => {
          const rows = await deliveriesOf(p.t.db, id);
          const mail = rows.find((r) => r.channel === "EMAIL");
          return mail && mail.attempts >= 12 && mail;
        },
        "12 e-mail attempts",
        90_000,
      );
      const times = smtp.state.connections.slice(seenFrom);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      // From the third retry on the backoff is at its cap (800 ms, jittered down to 400 ms at least).
      expect(Math.min(...gaps.slice(3))).toBeGreaterThanOrEqual(350);
      const rows = await deliveriesOf(p.t.db, id);
      expect(rows.find((r) => r.channel === "EMAIL")?.status).not.toBe("FAILED");
      smtp.state.down = false;
      await until(
        () => smtp.mails.some((m) => m.to.includes(g.email!) && bodyOf(m.raw).includes("Математика: 5")),
        "the e-mail",
        30_000,
      );
      await new Promise((r) => setTimeout(r, 1000));
      expect(smtp.mails.filter((m) => m.to.includes(g.email!))).toHaveLength(1);
    } finally {
      smtp.state.down = false;
    }
  });
});
