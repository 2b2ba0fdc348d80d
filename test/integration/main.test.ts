import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.js";
import { exitOf, freePort, listening, run } from "../support/process.js";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

describe("src/main.ts", () => {
  it("stops with one line naming the unreachable PostgreSQL URL", async () => {
    const { child, output } = run({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/zhurnal",
      ROLES: "api",
    });
    expect(await exitOf(child)).toBe(1);
    const lines = output().trim().split("\n");
    expect(lines.at(-1)).toMatch(
      /^PostgreSQL недоступен по адресу postgresql:\/\/postgres@127\.0\.0\.1:1\/zhurnal .*docker compose up -d/,
    );
  });

  it("stops with the config error when a variable is malformed", async () => {
    const { child, output } = run({ PORT: "http", ROLES: "api" });
    expect(await exitOf(child)).toBe(1);
    expect(output()).toContain("PORT:");
  });

  it("serves the API and the worker, answers /ready, and shuts down cleanly on SIGTERM", async () => {
    const port = String(await freePort());
    const { child, output } = run({ DATABASE_URL: t.url, ROLES: "api,worker", PORT: port, BOT_TOKEN: "" });
    await listening(child, output);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.json() as Promise<{ status: string }>,
    );
    expect(ready.status, output()).toBe("ok");
    const docs = await fetch(`http://127.0.0.1:${port}/docs/json`).then(
      (r) => r.json() as Promise<{ paths: object }>,
    );
    expect(Object.keys(docs.paths).length).toBeGreaterThan(20);
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
    expect(output()).toContain("остановка");
  }, 180_000);

  it("stops with one line when the port is taken", async () => {
    const busy = createServer();
    busy.listen(0, "127.0.0.1");
    await once(busy, "listening");
    const { port } = busy.address() as AddressInfo;
    try {
      const { child, output } = run({ DATABASE_URL: t.url, ROLES: "api", PORT: String(port), BOT_TOKEN: "" });
      expect(await exitOf(child)).toBe(1);
      expect(output().trim().split("\n").at(-1)).toBe(
        `Порт 127.0.0.1:${port} уже занят другой программой: остановите её или укажите другой PORT в .env.`,
      );
    } finally {
      busy.close();
    }
  }, 120_000);

  it("stops with one line when the database named in DATABASE_URL does not exist", async () => {
    const url = new URL(t.url);
    url.pathname = "/zhurnal_no_such_db";
    const { child, output } = run({ DATABASE_URL: url.toString(), ROLES: "api" });
    expect(await exitOf(child)).toBe(1);
    expect(output().trim().split("\n").at(-1)).toMatch(
      /^База данных «zhurnal_no_such_db» не найдена на сервере/,
    );
  }, 120_000);

  it("stops with one line naming an unreachable Redis", async () => {
    const { child, output } = run({ DATABASE_URL: t.url, REDIS_URL: "redis://127.0.0.1:1", ROLES: "worker" });
    expect(await exitOf(child)).toBe(1);
    expect(output().trim().split("\n").at(-1)).toMatch(
      /^Redis недоступен по адресу redis:\/\/127\.0\.0\.1:1/,
    );
  }, 120_000);
});
