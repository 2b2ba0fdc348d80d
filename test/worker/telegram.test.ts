import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deliveryStats } from "../../src/journal/delivery-stats.js";
import { deliveriesOf, type Pipeline, startPipeline, textsTo, until } from "./harness.js";

// Real queues, retries and pacing: generous limits for a loaded CI machine (waits poll, never sleep).
vi.setConfig({ testTimeout: 90_000 });

let p: Pipeline;
beforeAll(async () => {
  // Six tries: each retry also waits for the chat's 1 s pacing slot.
  p = await startPipeline({ worker: { attempts: 6 } });
  await p.link(p.s.guardians.ivanovaMother.id, 7001);
  await p.link(p.s.guardians.petrovaMother.id, 7002);
  await p.link(p.s.guardians.sidorovFather.id, 7003);
});
afterAll(() => p.stop());

async function message(body: string, recipients: number[]) {
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

const finalRows = (outboxId: bigint, n = 1) =>
  until(
    async () => {
      const rows = await deliveriesOf(p.t.db, outboxId);
      return (
        rows.length >= n && rows.every((r) => !["PENDING", "HELD", "SENDING"].includes(r.status)) && rows
      );
    },
    "final delivery state",
    20_000,
  );

describe("Telegram answers", () => {
  it("honours 429 retry_after without spending an attempt", async () => {
    p.tg.failNext(1, { code: 429, retryAfter: 1 }, "sendMessage");
    const id = await message("Родительское собрание в четверг в 18:00.", [p.s.guardians.ivanovaMother.id]);
    const [row] = await finalRows(id);
    expect(row?.status).toBe("SENT");
    expect(row?.attempts).toBe(1);
    const calls = p.tg.callsOf("sendMessage").filter((c) => Number(c.payload.chat_id) === 7001);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("retries 5xx with backoff and sends once", async () => {
    p.tg.failNext(2, { code: 502 }, "sendMessage");
    const id = await message("Сбор макулатуры перенесён на пятницу.", [p.s.guardians.petrovaMother.id]);
    const [row] = await finalRows(id);
    expect(row?.status).toBe("SENT");
    expect(row?.attempts).toBe(3); // two failed tries and the one that went through
    expect(textsTo(p.tg, 7002).filter((t) => t.includes("макулатуры"))).toHaveLength(1);
    expect(
      p.tg
        .callsOf("sendMessage")
        .filter((c) => Number(c.payload.chat_id) === 7002)
        .map((c) => c.status),
    ).toEqual([502, 502, 200]);
  });

  it("never gives up on a chat that keeps answering 5xx: it keeps waiting (expiry ends it)", async () => {
    p.tg.failChat(7002, { code: 500 });
    try {
      const id = await message("Тест недоставки.", [p.s.guardians.petrovaMother.id]);
      const [row] = await until(async () => {
        const r = await deliveriesOf(p.t.db, id);
        return r[0] && r[0].attempts >= 7 && r;
      }, "more attempts than the old budget here (6)");
      expect(["PENDING", "SENDING"]).toContain(row?.status);
      await p.t.db.delivery.update({ where: { id: row!.id }, data: { expiresAt: new Date(0) } });
      const [done] = await finalRows(id);
      expect(done?.status).toBe("EXPIRED");
    } finally {
      p.tg.failChat(7002, null);
    }
  });

  it("deactivates a chat that blocked the bot and shows it to the class teacher", async () => {
    p.tg.failChat(7003, { code: 403, description: "Forbidden: bot was blocked by the user" });
    const g = p.s.guardians.sidorovFather;
    const id = await message("Экскурсия в музей.", [g.id]);
    const [row] = await finalRows(id);
    expect(row?.status).toBe("FAILED");
    const link = await until(
      () => p.t.db.chatLink.findFirst({ where: { personId: g.id, active: false } }),
      "link deactivated",
    );
    expect(link).toMatchObject({ active: false, inactiveWhy: "blocked" });
    expect(p.tg.callsOf("sendMessage").filter((c) => Number(c.payload.chat_id) === 7003)).toHaveLength(1);

    const stats = await deliveryStats(p.t.db, p.s.people.russian.actor, { classId: p.s.classes.class5.id });
    expect(stats.inactiveLinks).toEqual([
      expect.objectContaining({ personId: g.id, lastName: "Сидоров", why: "blocked" }),
    ]);
    expect(stats.failed).toBeGreaterThanOrEqual(1);
    // Later events no longer address the dead chat.
    const next = await message("Ещё одно сообщение.", [g.id]);
    await p.relay.drain();
    await until(
      async () => (await p.t.db.outbox.findUnique({ where: { id: next } }))?.publishedAt,
      "relayed",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await deliveriesOf(p.t.db, next)).toEqual([]);
    await expect(
      deliveryStats(p.t.db, p.s.people.math.actor, { classId: p.s.classes.class5.id }),
    ).rejects.toThrow(/классный руководитель/);
  });
});

describe("chats that changed or vanished", () => {
  it("follows a group that became a supergroup: the link moves to the new id and the alert is sent there", async () => {
    const g = p.s.guardians.kozlovaMother;
    await p.link(g.id, -7100);
    p.tg.failChat(-7100, {
      code: 400,
      description: "Bad Request: group chat was upgraded to a supergroup chat",
      migrateTo: -1007100,
    });
    try {
      const id = await message("Фотографии с экскурсии в группе.", [g.id]);
      const [row] = await finalRows(id);
      expect(row).toMatchObject({ status: "SENT", address: "-1007100" });
      expect(textsTo(p.tg, -1007100).filter((t) => t.includes("экскурсии"))).toHaveLength(1);
      const links = await p.t.db.chatLink.findMany({ where: { personId: g.id } });
      expect(links.map((l) => [String(l.chatId), l.active])).toEqual([["-1007100", true]]);
      // Later alerts go to the new chat straight away.
      const next = await message("Ещё одно.", [g.id]);
      const [again] = await finalRows(next);
      expect(again).toMatchObject({ status: "SENT", address: "-1007100" });
    } finally {
      p.tg.failChat(-7100, null);
    }
  });

  it("deactivates a link whose chat is not found (400), like a block", async () => {
    const g = p.s.guardians.kozlovaMother;
    await p.t.db.chatLink.deleteMany({ where: { personId: g.id } });
    await p.link(g.id, 7104);
    p.tg.failChat(7104, { code: 400, description: "Bad Request: chat not found" });
    try {
      const id = await message("Проверка связи.", [g.id]);
      const [row] = await finalRows(id);
      expect(row?.status).toBe("FAILED");
      const link = await until(
        () => p.t.db.chatLink.findFirst({ where: { personId: g.id, chatId: 7104n, active: false } }),
        "link deactivated",
      );
      expect(link.inactiveWhy).toBe("chat_not_found");
    } finally {
      p.tg.failChat(7104, null);
    }
  });
});

describe("Telegram's limits", () => {
  it("paces one chat to a message a second: no 429 from a server enforcing the limits", async () => {
    p.tg.setLimits({ globalPerSecond: 30, perChatPerSecond: 1, groupPerMinute: 20 });
    try {
      const before = p.tg.stats.rate429;
      const g = p.s.guardians.ivanovaMother.id;
      const ids = [];
      for (const body of ["Первое.", "Второе.", "Третье.", "Четвёртое."]) ids.push(await message(body, [g]));
      for (const id of ids) await finalRows(id);
      expect(p.tg.stats.rate429 - before).toBe(0);
      const got = textsTo(p.tg, 7001);
      for (const body of ["Первое.", "Второе.", "Третье.", "Четвёртое."]) {
        expect(got.filter((t) => t.endsWith(body))).toHaveLength(1);
      }
    } finally {
      p.tg.setLimits(false);
    }
  });
});

describe("faults: 20% of sends answer 5xx and 429 comes in bursts", () => {
  it("delivers every accepted message exactly once", async () => {
    const chats: number[] = [];
    const people: number[] = [];
    for (let i = 0; i < 20; i++) {
      const person = await p.t.db.person.create({
        data: {
          schoolId: p.s.school.id,
          lastName: "Родитель",
          firstName: `№${i}`,
          roles: { create: [{ role: "GUARDIAN" }] },
        },
      });
      await p.link(person.id, 8000 + i);
      chats.push(8000 + i);
      people.push(person.id);
    }
    p.tg.failRate(0.2, { code: 500 }, 7);
    const bodies = ["Первое", "Второе", "Третье"].map((b) => `${b} объявление.`);
    const ids: bigint[] = [];
    for (const [i, body] of bodies.entries()) {
      ids.push(await message(body, people));
      if (i % 2 === 0) p.tg.failNext(3, { code: 429, retryAfter: 1 }, "sendMessage");
    }
    for (const id of ids) await finalRows(id, people.length);
    p.tg.failRate(0, { code: 500 });
    for (const chat of chats) {
      const got = textsTo(p.tg, chat);
      for (const body of bodies) expect(got.filter((t) => t.endsWith(body))).toHaveLength(1);
    }
    const rows = await p.t.db.delivery.findMany({ where: { outboxId: { in: ids } } });
    expect(rows.every((r) => r.status === "SENT")).toBe(true);
    expect(p.tg.stats.error5xx).toBeGreaterThan(0);
    expect(p.tg.stats.rate429).toBeGreaterThan(0);
    // Retries back off for seconds by design: more room than an ordinary test's.
  }, 60_000);
});
