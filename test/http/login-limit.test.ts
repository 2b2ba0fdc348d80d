import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createLoginLimiter,
  DEFAULT_LOGIN_LIMITS,
  delayAfter,
  type LoginLimits,
} from "../../src/http/login-limit.js";
import { type HttpCtx, PASSWORD, startHttp } from "./helpers.js";

/**
 * Issue 10 §3: guessing is slowed per login *and* client with growing delays, a client has a
 * budget of failures over all logins, and nobody can lock the owner out from elsewhere.
 */
const LIMITS: LoginLimits = {
  freeFailures: 3,
  baseDelaySec: 2,
  maxDelaySec: 600,
  perIp: 30,
  windowSec: 3600,
};

describe("delayAfter (pure)", () => {
  it.each([
    [1, 0],
    [3, 0],
    [4, 2],
    [5, 4],
    [6, 8],
    [10, 128],
    [11, 256],
    [12, 512],
    [13, 600],
    [500, 600],
  ])("after %i failures waits %i s", (failures, sec) => {
    expect(delayAfter(failures, LIMITS)).toBe(sec);
  });

  it("by default: 5 free failures, then 2 s doubling up to 15 minutes", () => {
    expect(delayAfter(5, DEFAULT_LOGIN_LIMITS)).toBe(0);
    expect(delayAfter(6, DEFAULT_LOGIN_LIMITS)).toBe(2);
    expect(delayAfter(40, DEFAULT_LOGIN_LIMITS)).toBe(900);
  });
});

describe("without Redis (one process)", () => {
  it("keeps the same rules in memory", async () => {
    const limiter = createLoginLimiter(undefined, LIMITS);
    const fail = () =>
      limiter.guard("192.0.2.9", "teacher", async () => {
        throw new Error("неверный пароль");
      });
    for (let i = 0; i < 4; i++) await expect(fail()).rejects.toThrow("неверный пароль");
    await expect(fail()).rejects.toMatchObject({ code: "rate_limited", details: { retryAfterSec: 2 } });
    expect(await limiter.guard("192.0.2.10", "teacher", async () => "ok")).toBe("ok");
  });
});

let ctx: HttpCtx;
let clock = Date.parse("2026-11-24T09:00:00Z");
beforeAll(async () => {
  ctx = await startHttp({ loginLimits: LIMITS });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(clock);
});
afterAll(async () => {
  vi.useRealTimers();
  await ctx?.close();
});
const tick = (sec: number) => {
  clock += sec * 1000;
  vi.setSystemTime(clock);
};

const attempt = (login: string, password: string, from: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    remoteAddress: from,
    headers,
    payload: { login, password },
  });

describe("POST /api/v1/auth/login limits", () => {
  it("an attacker failing 50 times from one address gets growing waits; the owner signs in from another", async () => {
    const victim = ctx.logins.math!;
    const statuses: number[] = [];
    const waits: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await attempt(victim, `угадываю-${i}`, "203.0.113.7");
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        const wait = Number(res.headers["retry-after"]);
        expect(res.json()).toMatchObject({
          error: "rate_limited",
          message: expect.stringMatching(/Подождите/),
        });
        if (waits.at(-1) !== wait) waits.push(wait);
        // The attacker waits it out, and the next guess costs more.
        if (i % 2 === 1) tick(wait);
      }
      // The owner, at school, is never slowed down.
      if (i % 10 === 9) expect((await attempt(victim, PASSWORD, "198.51.100.20")).statusCode).toBe(200);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(20);
    expect(waits.slice(0, 4)).toEqual([2, 4, 8, 16]);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]!);
    expect(waits.at(-1)).toBe(LIMITS.maxDelaySec);
  });

  it("on the same client, the owner's right password waits its turn too, then works and clears the delay", async () => {
    const login = ctx.logins.russian!;
    for (let i = 0; i < 4; i++) await attempt(login, "неверный", "192.0.2.50");
    const early = await attempt(login, PASSWORD, "192.0.2.50");
    expect(early.statusCode).toBe(429);
    tick(Number(early.headers["retry-after"]));
    expect((await attempt(login, PASSWORD, "192.0.2.50")).statusCode).toBe(200);
    // Failures were forgotten: three more mistakes are free again.
    for (let i = 0; i < 3; i++) expect((await attempt(login, "неверный", "192.0.2.50")).statusCode).toBe(401);
  });

  it("one client has a budget of failures over all logins; other clients are not affected", async () => {
    const logins = Object.values(ctx.logins);
    let refused: Awaited<ReturnType<typeof attempt>> | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const res = await attempt(logins[i % logins.length]!, "пароль-из-словаря", "203.0.113.99");
      if (res.statusCode === 429) refused = res;
    }
    expect(refused?.statusCode).toBe(429);
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThan(60);
    const other = await attempt(ctx.logins.deputy!, PASSWORD, "198.51.100.21");
    expect(other.statusCode).toBe(200);
  });

  it("without TRUST_PROXY a forged X-Forwarded-For changes nothing", async () => {
    const login = ctx.logins.primary!;
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await attempt(login, "неверный", "192.0.2.77", { "x-forwarded-for": `10.9.8.${i}` });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(-1)).toEqual([429]);
  });
});

describe("behind a reverse proxy (TRUST_PROXY)", () => {
  let proxied: HttpCtx;
  beforeAll(async () => {
    vi.useRealTimers();
    proxied = await startHttp({ loginLimits: LIMITS, env: { TRUST_PROXY: "127.0.0.1" } });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(clock);
  });
  afterAll(() => proxied?.close());

  it("X-Forwarded-For from the proxy separates the clients", async () => {
    const login = proxied.logins.math!;
    const via = (client: string, password: string) =>
      proxied.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        remoteAddress: "127.0.0.1",
        headers: { "x-forwarded-for": client },
        payload: { login, password },
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await via("203.0.113.7", "неверный")).statusCode);
    expect(statuses.at(-1)).toBe(429);
    expect((await via("198.51.100.20", PASSWORD)).statusCode).toBe(200);
    // A request that does not come from the trusted proxy is judged by its own address.
    const direct = await proxied.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      remoteAddress: "192.0.2.1",
      headers: { "x-forwarded-for": "198.51.100.20" },
      payload: { login, password: PASSWORD },
    });
    expect(direct.statusCode).toBe(200);
  });
});
