import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryStatus } from "../../src/generated/prisma/enums.js";
import { type HttpCtx, send, startHttp } from "./helpers.js";

let ctx: HttpCtx;
let url: string;
beforeAll(async () => {
  ctx = await startHttp({ secondSchool: true });
  const { db } = ctx.testDb;
  const { guardians, classes, school } = ctx.school;
  url = `/api/v1/classes/${classes.class5.id}/delivery-stats`;
  // 5А's families: Иванова linked, Петрова blocked the bot, Сидоров never joined.
  await db.chatLink.create({ data: { personId: guardians.ivanovaMother.id, chatId: 1001n } });
  await db.chatLink.create({
    data: {
      personId: guardians.petrovaMother.id,
      chatId: 1002n,
      active: false,
      inactiveWhy: "blocked",
      inactiveSince: new Date("2026-11-20T10:00:00Z"),
    },
  });
  await db.chatLink.create({ data: { personId: guardians.kozlovaMother.id, chatId: 1003n } });
  const deliver = async (recipientId: number, status: DeliveryStatus, createdAt: string) => {
    const event = await db.outbox.create({
      data: { schoolId: school.id, type: "mark.posted", payload: {}, publishedAt: new Date(createdAt) },
    });
    await db.delivery.create({
      data: {
        outboxId: event.id,
        recipientId,
        channel: "TELEGRAM",
        address: "1",
        status,
        createdAt: new Date(createdAt),
      },
    });
  };
  await deliver(guardians.ivanovaMother.id, "SENT", "2026-10-01T09:00:00Z");
  await deliver(guardians.ivanovaMother.id, "SENT", "2026-11-23T09:00:00Z");
  // 00:30 on the 24th in Moscow: a day of the school's, not of UTC.
  await deliver(guardians.ivanovaMother.id, "SENT", "2026-11-23T21:30:00Z");
  await deliver(guardians.ivanovaMother.id, "SENT", "2026-11-24T09:00:00Z");
  await deliver(guardians.ivanovaMother.id, "HELD", "2026-11-24T09:01:00Z");
  await deliver(guardians.ivanovaMother.id, "DIGEST", "2026-11-24T09:02:00Z");
  await deliver(guardians.ivanovaMother.id, "CANCELLED", "2026-11-24T09:03:00Z");
  await deliver(guardians.petrovaMother.id, "FAILED", "2026-11-24T09:04:00Z");
  // 1А's family: never counted for 5А.
  await deliver(guardians.kozlovaMother.id, "SENT", "2026-11-24T09:05:00Z");
});
afterAll(async () => {
  await ctx?.close();
});

const get = (who: string | null, path: string) => send(ctx, who, "GET", path);

describe("delivery statistics of a class", () => {
  it("the class teacher sees what reached the families and whom to call", async () => {
    const res = await get("russian", url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      classId: ctx.school.classes.class5.id,
      guardians: 3,
      linked: 1,
      sent: 4,
      waiting: 2,
      failed: 1,
      cancelled: 1,
      inactiveLinks: [{ lastName: "Петрова", firstName: "Ольга", why: "blocked" }],
      notLinked: [{ lastName: "Сидоров", firstName: "Андрей" }],
    });
  });

  it("from/to count only the deliveries of those days, in the school's time zone", async () => {
    const res = await get("deputy", `${url}?from=2026-11-23&to=2026-11-23`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sent: 1, waiting: 0, failed: 0, cancelled: 0, guardians: 3 });
  });

  it("the administration reads it; a subject teacher, another class's teacher and a guardian get 403", async () => {
    for (const who of ["admin", "director", "deputy"]) {
      expect((await get(who, url)).statusCode, who).toBe(200);
    }
    for (const who of ["math", "primary", "ivanovaMother"]) {
      const res = await get(who, url);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error).toBe("forbidden");
      expect(res.json().message).toMatch(/классный руководитель/);
    }
    expect((await get(null, url)).statusCode).toBe(401);
  });

  it("another school's class or a class that does not exist answers 404", async () => {
    expect((await get("otherAdmin", url)).statusCode).toBe(404);
    expect(
      (await get("admin", `/api/v1/classes/${ctx.other!.classes.class5.id}/delivery-stats`)).statusCode,
    ).toBe(404);
    expect((await get("admin", "/api/v1/classes/999999/delivery-stats")).statusCode).toBe(404);
  });

  it("a bad date, an unknown parameter or a bad class id answer 400", async () => {
    for (const path of [
      `${url}?from=24.11.2026`,
      `${url}?status=SENT`,
      "/api/v1/classes/abc/delivery-stats",
    ]) {
      const res = await get("admin", path);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error).toBe("validation");
    }
  });
});
