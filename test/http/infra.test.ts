import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { createTestDb } from "../support/db.js";
import { bearer, type HttpCtx, startHttp } from "./helpers.js";

let ctx: HttpCtx;
beforeAll(async () => {
  ctx = await startHttp();
});
afterAll(() => ctx?.close());

describe("request id", () => {
  it("is on every response; a well-formed incoming one is kept, a malformed one replaced", async () => {
    const kept = await ctx.app.inject({ url: "/health", headers: { "x-request-id": "abc-123-def" } });
    expect(kept.headers["x-request-id"]).toBe("abc-123-def");
    const replaced = await ctx.app.inject({ url: "/health", headers: { "x-request-id": "bad id\r\nx" } });
    expect(replaced.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const notFound = await ctx.app.inject({ url: "/nowhere" });
    expect(notFound.headers["x-request-id"]).toBeTruthy();
    const unauthorized = await ctx.app.inject({ url: "/api/v1/me" });
    expect(unauthorized.headers["x-request-id"]).toBeTruthy();
  });
});

describe("errors", () => {
  it("unknown routes answer 404 in the common shape", async () => {
    const res = await ctx.app.inject({ url: "/api/v1/no-such-thing", headers: bearer(ctx.token("admin")) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: "not_found",
      message: expect.stringMatching(/не найден/),
      details: {},
    });
  });

  it("invalid JSON is a 400, an oversized body a 413, both in Russian", async () => {
    const bad = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: "{login:",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: "validation", message: expect.stringMatching(/JSON/) });
    const huge = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "x".repeat(1_100_000), password: "y" },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toBe("too_large");
  });

  it("security headers are set and CORS is off", async () => {
    const res = await ctx.app.inject({ url: "/health", headers: { origin: "https://evil.example" } });
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

// The login limits have their own file: login-limit.test.ts.

describe("health and readiness", () => {
  it("/health and /ready answer 200 when PostgreSQL and Redis are up", async () => {
    expect((await ctx.app.inject({ url: "/health" })).json()).toEqual({ status: "ok" });
    const ready = await ctx.app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ postgres: "ok", redis: "ok" });
  });

  it("/ready answers 503 naming the unreachable one", async () => {
    const { Redis } = await import("ioredis");
    const deadRedis = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    deadRedis.on("error", () => {});
    const other = await createTestDb();
    const app = await buildApp({
      db: other.db,
      config: loadConfig({ ...process.env, LOG_LEVEL: "silent" }),
      redis: deadRedis,
    });
    try {
      const res = await app.inject({ url: "/ready" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        error: "not_ready",
        details: { checks: { postgres: "ok", redis: "недоступен" } },
      });
      expect(res.json().message).toMatch(/redis/);
    } finally {
      await app.close();
      deadRedis.disconnect();
      await other.drop();
    }
  });
});

describe("logs", () => {
  it("carry the request id and the route, never tokens, passwords, names or query strings", async () => {
    const { pino } = await import("pino");
    const { REDACT_PATHS } = await import("../../src/logger.js");
    const lines: string[] = [];
    const logger = pino(
      { level: "info", redact: { paths: REDACT_PATHS } },
      { write: (l: string) => lines.push(l) },
    );
    const app = await buildApp({ db: ctx.testDb.db, config: loadConfig({ ...process.env }), logger });
    try {
      await app.inject({ url: "/api/v1/people?query=Секретова", headers: bearer(ctx.token("admin")) });
      await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { login: ctx.logins.admin, password: "Тайный-пароль-123" },
      });
      await app.inject({ url: "/api/v1/no-such", headers: { "x-request-id": "trace-abc-123" } });
    } finally {
      await app.close();
    }
    const text = lines.join("");
    expect(text).toContain('"route":"/api/v1/people"');
    expect(text).toContain('"reqId":"trace-abc-123"');
    for (const secret of ["Секретова", "%D0%A1", "Тайный-пароль", ctx.token("admin"), ctx.logins.admin!]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("plugins", () => {
  it("mounts extra routes (the bot's webhook) at the root, outside the API's token check", async () => {
    const other = await createTestDb();
    const app = await buildApp({
      db: other.db,
      config: loadConfig({ ...process.env, LOG_LEVEL: "silent" }),
      plugins: [
        async (a) => {
          a.post("/telegram/webhook", async () => ({ ok: true }));
          a.get("/boom", async () => {
            throw new Error("connection string postgres://secret@db");
          });
        },
      ],
    });
    try {
      const res = await app.inject({ method: "POST", url: "/telegram/webhook", payload: { update_id: 1 } });
      expect(res.statusCode).toBe(200);
      expect(res.headers["x-request-id"]).toBeTruthy();
      // A failure inside answers 500 without its internals, naming the request id to report.
      const boom = await app.inject({ url: "/boom" });
      expect(boom.statusCode).toBe(500);
      expect(boom.body).not.toContain("secret");
      expect(boom.json()).toMatchObject({
        error: "internal",
        details: { requestId: boom.headers["x-request-id"] },
      });
      expect(boom.json().message).toContain(String(boom.headers["x-request-id"]));
    } finally {
      await app.close();
      await other.drop();
    }
  });
});

describe("OpenAPI", () => {
  it("/docs serves the UI and /docs/json the document", async () => {
    const ui = await ctx.app.inject({ url: "/docs" });
    expect([200, 302]).toContain(ui.statusCode);
    const doc = await ctx.app.inject({ url: "/docs/json" });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().paths["/api/v1/auth/login"]).toBeDefined();
  });
});
