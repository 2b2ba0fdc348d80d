import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import type { Api } from "../../src/http/types.js";
import { main } from "../../src/reports/cli.js";
import { queueBoard } from "../../worker/board.js";
import { createTestDb, type TestDb } from "../support/db.js";

/**
 * Issue 10 §2: the queue dashboard pauses every school's alerts, so it belongs to a deployment
 * operator (made by the command line), not to any school's journal admin; no token in URLs.
 */
let t: TestDb;
let app: Api;
let board: ReturnType<typeof queueBoard>;
const cli = (...args: string[]) => main([...args, "--database-url", t.url], { quiet: true });

beforeAll(async () => {
  t = await createTestDb();
  // Behind nginx on 127.0.0.1, which says whether the browser came over HTTPS.
  const config = loadConfig({ ...process.env, TRUST_PROXY: "127.0.0.1" });
  board = queueBoard({ redisUrl: process.env.REDIS_URL!, prefix: "t-board", db: t.db, auth: config });
  app = await buildApp({ db: t.db, config, plugins: [board.plugin] });
  await app.ready();
  // Two schools installed as an IT admin does it, and one deployment operator.
  process.env.JOURNAL_ADMIN_PASSWORD = "пароль-школы-1";
  await cli("create-school", "--name", "МБОУ «Школа № 1»", "--admin", "Первая Анна", "--login", "admin1");
  await cli("create-school", "--name", "МБОУ «Школа № 2»", "--admin", "Вторая Вера", "--login", "admin2");
  process.env.JOURNAL_OPERATOR_PASSWORD = "пароль-оператора-1";
  expect(await cli("create-operator", "--login", "ops")).toMatch(/Оператор «ops» создан/);
});
afterAll(async () => {
  await app?.close();
  await board?.close();
  await t.drop();
});

const schoolToken = async (login: string) => {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { login, password: "пароль-школы-1" },
  });
  expect(res.statusCode).toBe(200);
  return res.json().accessToken as string;
};
const operatorSession = async (headers: Record<string, string> = {}) =>
  app.inject({
    method: "POST",
    url: "/admin/session",
    headers,
    payload: { login: "ops", password: "пароль-оператора-1" },
  });

describe("queue dashboard", () => {
  it("refuses the second school's journal admin: no queue list, no pause", async () => {
    const token = await schoolToken("admin2");
    const list = await app.inject({
      url: "/admin/queues/api/queues",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(list.statusCode).toBe(403);
    expect(list.json()).toMatchObject({ error: "forbidden", message: expect.stringMatching(/оператора/) });
    expect(list.body).not.toContain("send-telegram");
    const pause = await app.inject({
      method: "PUT",
      url: "/admin/queues/api/queues/events/pause",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pause.statusCode).toBe(403);
    // The token in the query, as the old dashboard took it, opens nothing either.
    const byQuery = await app.inject({ url: `/admin/queues/api/queues?token=${token}` });
    expect(byQuery.statusCode).toBe(401);
    expect(byQuery.headers["set-cookie"]).toBeUndefined();
    // A school admin's password is no operator's.
    const asOperator = await app.inject({
      method: "POST",
      url: "/admin/session",
      payload: { login: "admin1", password: "пароль-школы-1" },
    });
    expect(asOperator.statusCode).toBe(401);
    expect(asOperator.headers["set-cookie"]).toBeUndefined();
  });

  it("is closed without a session and to a forged or school-signed cookie", async () => {
    expect((await app.inject({ url: "/admin/queues" })).statusCode).toBe(401);
    const token = await schoolToken("admin1");
    const forged = await app.inject({
      url: "/admin/queues/api/queues",
      headers: { cookie: `zhurnal_operator=${token}` },
    });
    expect(forged.statusCode).toBe(401);
  });

  it("opens to the operator through an HttpOnly cookie scoped to /admin; the operator pauses and resumes", async () => {
    const session = await operatorSession();
    expect(session.statusCode).toBe(204);
    const cookie = String(session.headers["set-cookie"]);
    expect(cookie).toMatch(/^zhurnal_operator=[^;]+; Path=\/admin; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const jar = cookie.split(";")[0]!;
    const api = await app.inject({ url: "/admin/queues/api/queues", headers: { cookie: jar } });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(
      expect.arrayContaining(["events", "send-telegram", "send-email", "schedules", "dead-letter"]),
    );
    const pause = await app.inject({
      method: "PUT",
      url: "/admin/queues/api/queues/events/pause",
      headers: { cookie: jar },
    });
    expect(pause.statusCode).toBe(200);
    const paused = await app.inject({ url: "/admin/queues/api/queues", headers: { cookie: jar } });
    expect(paused.json().queues.find((q: { name: string }) => q.name === "events").isPaused).toBe(true);
    const resume = await app.inject({
      method: "PUT",
      url: "/admin/queues/api/queues/events/resume",
      headers: { cookie: jar },
    });
    expect(resume.statusCode).toBe(200);
    // The page itself and the sign-in form.
    expect((await app.inject({ url: "/admin/queues", headers: { cookie: jar } })).statusCode).toBe(200);
    const form = await app.inject({ url: "/admin/login" });
    expect(form.headers["content-type"]).toMatch(/^text\/html/);
    // Signing out clears the cookie.
    const out = await app.inject({ method: "POST", url: "/admin/logout", headers: { cookie: jar } });
    expect(String(out.headers["set-cookie"])).toMatch(/^zhurnal_operator=; Path=\/admin; Max-Age=0/);
  });

  it("marks the cookie Secure when the proxy says the browser came over HTTPS", async () => {
    const https = await operatorSession({ "x-forwarded-proto": "https" });
    expect(String(https.headers["set-cookie"])).toMatch(/; Secure$/);
    // Only the trusted proxy is believed.
    const spoofed = await app.inject({
      method: "POST",
      url: "/admin/session",
      remoteAddress: "203.0.113.5",
      headers: { "x-forwarded-proto": "https" },
      payload: { login: "ops", password: "пароль-оператора-1" },
    });
    expect(String(spoofed.headers["set-cookie"])).not.toMatch(/Secure/);
  });

  it("refuses a second operator with the same login", async () => {
    await expect(cli("create-operator", "--login", "ops")).rejects.toThrow(/уже есть/);
  });
});
