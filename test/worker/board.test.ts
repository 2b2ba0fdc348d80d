import { hash } from "@node-rs/argon2";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login } from "../../src/journal/auth.js";
import { queueBoard } from "../../worker/board.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

const auth = {
  JWT_SECRET: "board-test-secret-board-test-secret-0123",
  ACCESS_TOKEN_TTL_MIN: 15,
  REFRESH_TOKEN_TTL_DAYS: 30,
};
let t: TestDb;
let s: SchoolFixture;
let board: ReturnType<typeof queueBoard>;
const app = Fastify();
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  const passwordHash = await hash("пароль-123456");
  await t.db.person.updateMany({
    where: { id: { in: [s.people.admin.id, s.people.russian.id] } },
    data: { passwordHash },
  });
  board = queueBoard({ redisUrl: process.env.REDIS_URL!, prefix: "t-board", db: t.db, auth });
  await app.register(board.plugin);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await board.close();
  await t.drop();
});

const tokenFor = async (loginName: string) =>
  (await login(t.db, auth, { login: loginName, password: "пароль-123456" })).accessToken;

describe("queue dashboard", () => {
  it("is closed without a token and to anyone but the journal admin", async () => {
    expect((await app.inject({ url: "/admin/queues" })).statusCode).toBe(401);
    const teacher = await tokenFor(s.people.russian.login!);
    const res = await app.inject({ url: "/admin/queues", headers: { authorization: `Bearer ${teacher}` } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ message: "Панель очередей доступна только администратору журнала." });
  });

  it("shows the pipeline's queues to the admin and keeps the session in a path-scoped cookie", async () => {
    const admin = await tokenFor(s.people.admin.login!);
    const page = await app.inject({ url: `/admin/queues?token=${admin}` });
    expect(page.statusCode).toBe(200);
    const cookie = String(page.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    const api = await app.inject({
      url: "/admin/queues/api/queues",
      headers: { cookie: cookie.split(";")[0]! },
    });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(
      expect.arrayContaining(["events", "send-telegram", "send-email", "schedules", "dead-letter"]),
    );
  });
});
