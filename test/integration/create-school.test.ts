import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/journal/credentials.js";
import { main } from "../../src/reports/cli.js";
import { createTestDb, type TestDb } from "../support/db.js";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

const run = (...args: string[]) => main([...args, "--database-url", t.url], { quiet: true });

describe("installing a school: npm run journal -- create-school", () => {
  it("creates the school and its first journal admin, audited, password only hashed", async () => {
    process.env.JOURNAL_ADMIN_PASSWORD = "very-secret-1";
    const line = await run(
      "create-school",
      "--name",
      "МБОУ «Школа № 42»",
      "--timezone",
      "Asia/Yekaterinburg",
      "--admin",
      "Петрова Анна Игоревна",
      "--login",
      "admin42",
    );
    expect(line).toMatch(/^Школа создана \(id \d+\); администратор журнала входит с логином admin42\.$/);
    const admin = await t.db.person.findUniqueOrThrow({
      where: { login: "admin42" },
      include: { roles: true, school: true },
    });
    expect(admin).toMatchObject({ lastName: "Петрова", firstName: "Анна", middleName: "Игоревна" });
    expect(admin.school).toMatchObject({ name: "МБОУ «Школа № 42»", timeZone: "Asia/Yekaterinburg" });
    expect(admin.roles.map((r) => r.role)).toEqual(["ADMIN"]);
    expect(admin.passwordHash).not.toContain("very-secret-1");
    expect(await verifyPassword(admin.passwordHash!, "very-secret-1")).toBe(true);
    expect(await t.db.auditLog.count({ where: { action: "school.create" } })).toBe(1);
  });

  it.each([
    [
      "a taken login",
      ["--name", "Школа", "--admin", "Иванов Иван", "--login", "admin42"],
      /Логин «admin42» уже занят/,
    ],
    [
      "an unknown time zone",
      ["--name", "Школа", "--timezone", "Mars/Base", "--admin", "Иванов Иван", "--login", "x-admin"],
      /часовой пояс IANA/,
    ],
    [
      "a name that is not a name",
      ["--name", "Школа", "--admin", "123 Иван", "--login", "y-admin"],
      /только буквы/,
    ],
  ])("refuses %s and creates nothing", async (_what, args, message) => {
    process.env.JOURNAL_ADMIN_PASSWORD = "very-secret-1";
    const before = await t.db.school.count();
    await expect(run("create-school", ...args)).rejects.toThrow(message);
    expect(await t.db.school.count()).toBe(before);
  });

  it("refuses to run without the password in the environment", async () => {
    delete process.env.JOURNAL_ADMIN_PASSWORD;
    await expect(
      run("create-school", "--name", "Школа", "--admin", "Иванов Иван", "--login", "z-admin"),
    ).rejects.toThrow(/JOURNAL_ADMIN_PASSWORD/);
  });
});
