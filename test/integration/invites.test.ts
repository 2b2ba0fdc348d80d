import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  actorForChat,
  actorsForChat,
  deactivateChat,
  issueInvite,
  moveChat,
  redeemInvite,
  unlinkChat,
} from "../../src/journal/invites.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "Гимназия № 3");
});
afterAll(() => t.drop());
afterEach(() => vi.useRealTimers());

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

describe("issuing invite codes", () => {
  it.each([
    ["admin → a teacher", () => s.people.admin.actor, () => s.people.math.id, "ok"],
    ["deputy → a teacher", () => s.people.deputy.actor, () => s.people.math.id, "forbidden"],
    [
      "class teacher → a guardian of the class",
      () => s.people.russian.actor,
      () => s.guardians.ivanovaMother.id,
      "ok",
    ],
    [
      "class teacher → a pupil of another class",
      () => s.people.russian.actor,
      () => s.pupils.kozlov.id,
      "forbidden",
    ],
    [
      "class teacher of 1А → a 1А guardian",
      () => s.people.primary.actor,
      () => s.guardians.kozlovaMother.id,
      "ok",
    ],
    [
      "subject teacher → a guardian",
      () => s.people.math.actor,
      () => s.guardians.petrovaMother.id,
      "forbidden",
    ],
    [
      "admin → another school's guardian",
      () => s.people.admin.actor,
      () => other.guardians.petrovaMother.id,
      "not_found",
    ],
  ])("%s: %s", async (_n, actor, target, expected) => {
    expect(await outcome(issueInvite(t.db, actor(), { personId: target() }))).toBe(expected);
  });

  it("gives a typeable code once, stores only its hash, expires after the school's ttl", async () => {
    const { code, expiresAt } = await issueInvite(t.db, s.people.russian.actor, {
      personId: s.guardians.petrovaMother.id,
    });
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    const rows = await t.db.inviteCode.findMany({ where: { personId: s.guardians.petrovaMother.id } });
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows.at(-1)?.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("redeeming a code in a chat", () => {
  it("links the chat and tells a guardian their children with classes", async () => {
    const { code } = await issueInvite(t.db, s.people.russian.actor, {
      personId: s.guardians.ivanovaMother.id,
    });
    const typed = `${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`;
    const r = await redeemInvite(t.db, { code: typed, chatId: 1001 });
    expect(r.person).toMatchObject({
      id: s.guardians.ivanovaMother.id,
      lastName: "Иванова",
      roles: ["GUARDIAN"],
    });
    expect(r.children.map((c) => [c.firstName, c.className])).toEqual([
      ["Иван", "5А"],
      ["Мария", "5А"],
    ]);
    const found = await actorForChat(t.db, 1001);
    expect(found?.actor).toEqual({
      personId: s.guardians.ivanovaMother.id,
      schoolId: s.school.id,
      roles: ["GUARDIAN"],
    });
  });

  it("refuses an unknown, a used and an expired code with Russian messages", async () => {
    await expect(redeemInvite(t.db, { code: "ZZZZ2222", chatId: 1002 })).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("Код не найден"),
    });
    const { code } = await issueInvite(t.db, s.people.admin.actor, { personId: s.people.math.id });
    await redeemInvite(t.db, { code, chatId: 1002 });
    await expect(redeemInvite(t.db, { code, chatId: 1003 })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("уже использован"),
    });
    const late = await issueInvite(t.db, s.people.admin.actor, { personId: s.people.primary.id });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.now() + 8 * 86_400_000));
    await expect(redeemInvite(t.db, { code: late.code, chatId: 1004 })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("Срок действия кода истёк"),
    });
    expect(await actorForChat(t.db, 1004)).toBeNull();
  });

  it("two chats racing with one code: only one is linked", async () => {
    const { code } = await issueInvite(t.db, s.people.russian.actor, { personId: s.pupils.ivanova.id });
    const results = await Promise.allSettled(
      [5001, 5002].map((chatId) => redeemInvite(t.db, { code, chatId })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await t.db.chatLink.count({ where: { personId: s.pupils.ivanova.id } })).toBe(1);
  });

  it("a new code voids the person's earlier unused one", async () => {
    const first = await issueInvite(t.db, s.people.primary.actor, { personId: s.guardians.kozlovaMother.id });
    const second = await issueInvite(t.db, s.people.primary.actor, {
      personId: s.guardians.kozlovaMother.id,
    });
    expect(await outcome(redeemInvite(t.db, { code: first.code, chatId: 1005 }))).toBe("conflict");
    expect(await outcome(redeemInvite(t.db, { code: second.code, chatId: 1005 }))).toBe("ok");
  });

  it("relinking a chat with another person's code replaces the earlier link", async () => {
    const a = await issueInvite(t.db, s.people.russian.actor, { personId: s.guardians.sidorovFather.id });
    await redeemInvite(t.db, { code: a.code, chatId: 2001 });
    const b = await issueInvite(t.db, s.people.russian.actor, { personId: s.pupils.sidorova.id });
    const r = await redeemInvite(t.db, { code: b.code, chatId: 2001 });
    expect(r.children).toEqual([]);
    expect((await actorForChat(t.db, 2001))?.actor.personId).toBe(s.pupils.sidorova.id);
    const old = await t.db.chatLink.findFirstOrThrow({
      where: { chatId: 2001n, personId: s.guardians.sidorovFather.id },
    });
    expect(old).toMatchObject({ active: false, inactiveWhy: "unlinked" });
    // The same person linking the chat again reactivates their row rather than duplicating it.
    const c = await issueInvite(t.db, s.people.russian.actor, { personId: s.guardians.sidorovFather.id });
    await redeemInvite(t.db, { code: c.code, chatId: 2001 });
    expect(await t.db.chatLink.count({ where: { chatId: 2001n } })).toBe(2);
    expect((await actorForChat(t.db, 2001))?.actor.personId).toBe(s.guardians.sidorovFather.id);
  });

  it("a blocked person's chat answers null", async () => {
    const { code } = await issueInvite(t.db, s.people.admin.actor, { personId: s.people.director.id });
    await redeemInvite(t.db, { code, chatId: 3001 });
    expect(await actorForChat(t.db, 3001)).not.toBeNull();
    await t.db.person.update({ where: { id: s.people.director.id }, data: { blockedAt: new Date() } });
    expect(await actorForChat(t.db, 3001)).toBeNull();
    await t.db.person.update({ where: { id: s.people.director.id }, data: { blockedAt: null } });
  });
});

describe("one chat, several schools (issue 11 item 8)", () => {
  it("keeps a parent's link in the first school when they redeem the second school's code", async () => {
    const a = await issueInvite(t.db, s.people.primary.actor, { personId: s.guardians.kozlovaMother.id });
    await redeemInvite(t.db, { code: a.code, chatId: 6001 });
    const b = await issueInvite(t.db, other.people.russian.actor, {
      personId: other.guardians.petrovaMother.id,
    });
    await redeemInvite(t.db, { code: b.code, chatId: 6001 });
    const links = await t.db.chatLink.findMany({ where: { chatId: 6001n }, orderBy: { id: "asc" } });
    expect(links.map((l) => [l.personId, l.active])).toEqual([
      [s.guardians.kozlovaMother.id, true],
      [other.guardians.petrovaMother.id, true],
    ]);
    const who = await actorsForChat(t.db, 6001);
    expect(who.map((w) => [w.actor.personId, w.schoolName])).toEqual([
      [other.guardians.petrovaMother.id, "Гимназия № 3"],
      [s.guardians.kozlovaMother.id, "МБОУ «Школа № 1»"],
    ]);
    // Unlinking the chat ends both.
    expect(await unlinkChat(t.db, { chatId: 6001 })).toEqual({ unlinked: 2 });
  });

  it("links only private chats, and a code refused in a group stays valid", async () => {
    const { code } = await issueInvite(t.db, s.people.russian.actor, {
      personId: s.guardians.petrovaMother.id,
    });
    for (const chatType of ["group", "supergroup", "channel"] as const) {
      await expect(redeemInvite(t.db, { code, chatId: -6002, chatType })).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringContaining("В группах бот не подключается"),
      });
    }
    expect(await t.db.chatLink.count({ where: { chatId: -6002n } })).toBe(0);
    expect(await outcome(redeemInvite(t.db, { code, chatId: 6002, chatType: "private" }))).toBe("ok");
  });

  it("moves every link of a migrated chat, idempotently", async () => {
    await t.db.chatLink.create({ data: { chatId: -6003n, personId: s.guardians.sidorovFather.id } });
    await t.db.chatLink.create({
      data: { chatId: -6003n, personId: other.guardians.sidorovFather.id, active: false },
    });
    expect(await moveChat(t.db, { from: -6003, to: -1006003000000 })).toEqual({ moved: 2 });
    expect(await moveChat(t.db, { from: -6003, to: -1006003000000 })).toEqual({ moved: 0 });
    const moved = await t.db.chatLink.findMany({
      where: { chatId: -1006003000000n },
      orderBy: { id: "asc" },
    });
    expect(moved.map((l) => [l.personId, l.active])).toEqual([
      [s.guardians.sidorovFather.id, true],
      [other.guardians.sidorovFather.id, false],
    ]);
    expect((await actorForChat(t.db, -1006003000000))?.actor.personId).toBe(s.guardians.sidorovFather.id);
  });
});

describe("ending a chat link", () => {
  it("unlinkChat and deactivateChat mark links inactive with the reason", async () => {
    const a = await issueInvite(t.db, s.people.russian.actor, { personId: s.guardians.petrovaMother.id });
    await redeemInvite(t.db, { code: a.code, chatId: 4001 });
    expect(await unlinkChat(t.db, { chatId: 4001 })).toEqual({ unlinked: 1 });
    expect(await actorForChat(t.db, 4001)).toBeNull();
    expect(await t.db.chatLink.findFirstOrThrow({ where: { chatId: 4001n } })).toMatchObject({
      active: false,
      inactiveWhy: "unlinked",
    });

    const b = await issueInvite(t.db, s.people.russian.actor, { personId: s.pupils.petrov.id });
    await redeemInvite(t.db, { code: b.code, chatId: 4002 });
    expect(await deactivateChat(t.db, { chatId: 4002, why: "blocked" })).toEqual({ deactivated: 1 });
    const link = await t.db.chatLink.findFirstOrThrow({ where: { chatId: 4002n } });
    expect(link).toMatchObject({ active: false, inactiveWhy: "blocked" });
    expect(link.inactiveSince).toBeInstanceOf(Date);
    expect(await outcome(deactivateChat(t.db, { chatId: 4002, why: "sleeping" }))).toBe("validation");
  });
});
