import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blockPerson,
  changePassword,
  setCredentials,
  verifyPassword,
} from "../../src/journal/credentials.js";
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

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

describe("who gives credentials (001 §1.6, 002 §3.9)", () => {
  let n = 0;
  const set = (
    actor: () => { personId: number; schoolId: number; roles: readonly string[] },
    target: () => number,
  ) =>
    outcome(
      setCredentials(t.db, actor() as never, {
        personId: target(),
        login: `user${++n}`,
        password: "secret-123",
      }),
    );
  it.each([
    ["admin → a teacher", () => s.people.admin.actor, () => s.people.math.id, "ok"],
    ["deputy → a teacher", () => s.people.deputy.actor, () => s.people.math.id, "forbidden"],
    ["class teacher → a teacher", () => s.people.russian.actor, () => s.people.math.id, "forbidden"],
    ["class teacher of 5А → a 5А pupil", () => s.people.russian.actor, () => s.pupils.petrov.id, "ok"],
    [
      "class teacher of 5А → a 5А guardian",
      () => s.people.russian.actor,
      () => s.guardians.petrovaMother.id,
      "ok",
    ],
    ["class teacher of 1А → a 5А pupil", () => s.people.primary.actor, () => s.pupils.petrov.id, "forbidden"],
    ["subject teacher of 5А → a 5А pupil", () => s.people.math.actor, () => s.pupils.petrov.id, "forbidden"],
    ["deputy → a pupil", () => s.people.deputy.actor, () => s.pupils.kozlov.id, "ok"],
    ["admin → a guardian", () => s.people.admin.actor, () => s.guardians.kozlovaMother.id, "ok"],
    [
      "a guardian → another guardian",
      () => s.guardians.ivanovaMother.actor,
      () => s.guardians.petrovaMother.id,
      "forbidden",
    ],
    ["admin → another school's teacher", () => s.people.admin.actor, () => other.people.math.id, "not_found"],
  ])("%s: %s", async (_name, actor, target, expected) => {
    expect(await set(actor, target)).toBe(expected);
  });

  it("stores an argon2 hash, never the password, and audits without it", async () => {
    await setCredentials(t.db, s.people.admin.actor, {
      personId: s.people.substitute.id,
      login: "novikov",
      password: "Пароль-надёжный",
    });
    const p = await t.db.person.findUniqueOrThrow({ where: { id: s.people.substitute.id } });
    expect(p.login).toBe("novikov");
    expect(p.passwordHash).toMatch(/^\$argon2/);
    expect(await verifyPassword(p.passwordHash!, "Пароль-надёжный")).toBe(true);
    const row = await t.db.auditLog.findFirstOrThrow({
      where: { action: "credentials.set", entityId: String(p.id) },
    });
    expect(JSON.stringify([row.before, row.after])).not.toContain("Пароль-надёжный");
  });

  it("refuses a short password and a taken login", async () => {
    const short = setCredentials(t.db, s.people.admin.actor, {
      personId: s.people.math.id,
      login: "kuz",
      password: "1234567",
    });
    await expect(short).rejects.toMatchObject({
      code: "validation",
      message: expect.stringContaining("не короче 8"),
    });
    await setCredentials(t.db, s.people.admin.actor, {
      personId: s.people.director.id,
      login: "taken",
      password: "12345678",
    });
    await expect(
      setCredentials(t.db, s.people.admin.actor, {
        personId: s.people.math.id,
        login: "taken",
        password: "12345678",
      }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("логин уже занят") });
  });
});

describe("logins are unique", () => {
  it("two people given the same login at once: one gets it, the other a clear conflict", async () => {
    const results = await Promise.allSettled(
      [s.pupils.ivanov.id, s.pupils.ivanova.id].map((personId) =>
        setCredentials(t.db, s.people.russian.actor, { personId, login: "ivanovy", password: "12345678" }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("логин уже занят"),
    });
  });
});

describe("changing one's own password (003 §4.1)", () => {
  beforeAll(async () => {
    await setCredentials(t.db, s.people.russian.actor, {
      personId: s.pupils.smirnov.id,
      login: "smirnov",
      password: "first-pass",
    });
  });
  it("requires the current password", async () => {
    await expect(
      changePassword(t.db, s.pupils.smirnov.actor, { oldPassword: "wrong-pass", newPassword: "second-pass" }),
    ).rejects.toMatchObject({ code: "unauthorized" });
    const p = await t.db.person.findUniqueOrThrow({ where: { id: s.pupils.smirnov.id } });
    expect(await verifyPassword(p.passwordHash!, "first-pass")).toBe(true);
  });
  it("changes password and login with the current password", async () => {
    await changePassword(t.db, s.pupils.smirnov.actor, {
      oldPassword: "first-pass",
      newPassword: "second-pass",
      login: "alexey.s",
    });
    const p = await t.db.person.findUniqueOrThrow({ where: { id: s.pupils.smirnov.id } });
    expect(p.login).toBe("alexey.s");
    expect(await verifyPassword(p.passwordHash!, "second-pass")).toBe(true);
  });
  it("refuses a new password shorter than 8 characters", async () => {
    await expect(
      changePassword(t.db, s.pupils.smirnov.actor, { oldPassword: "second-pass", newPassword: "short" }),
    ).rejects.toMatchObject({ code: "validation" });
  });
});

describe("blocking (ADMIN)", () => {
  it("only the admin blocks; sessions are revoked; unblock restores", async () => {
    expect(await outcome(blockPerson(t.db, s.people.deputy.actor, { personId: s.pupils.orlova.id }))).toBe(
      "forbidden",
    );
    expect(await outcome(blockPerson(t.db, s.people.admin.actor, { personId: s.people.admin.id }))).toBe(
      "validation",
    );
    await t.db.refreshToken.create({
      data: {
        personId: s.pupils.orlova.id,
        tokenHash: "h-orlova",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const r = await blockPerson(t.db, s.people.admin.actor, { personId: s.pupils.orlova.id });
    expect(r.blockedAt).toBeInstanceOf(Date);
    const token = await t.db.refreshToken.findUniqueOrThrow({ where: { tokenHash: "h-orlova" } });
    expect(token.revokedAt).not.toBeNull();
    await blockPerson(t.db, s.people.admin.actor, { personId: s.pupils.orlova.id, blocked: false });
    const p = await t.db.person.findUniqueOrThrow({ where: { id: s.pupils.orlova.id } });
    expect(p.blockedAt).toBeNull();
    expect(await t.db.auditLog.count({ where: { action: { in: ["person.block", "person.unblock"] } } })).toBe(
      2,
    );
  });
});
