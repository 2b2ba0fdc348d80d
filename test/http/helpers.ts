import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { Redis } from "ioredis";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import type { LoginLimits } from "../../src/http/login-limit.js";
import type { Api } from "../../src/http/types.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

export const PASSWORD = "Пароль-для-тестов-1";

export interface HttpCtx {
  testDb: TestDb;
  app: Api;
  redis: Redis;
  school: SchoolFixture;
  /** A second school in the same database (only with `secondSchool`). */
  other?: SchoolFixture;
  /** Every person of the fixture by a short name, with an access token. */
  token: (who: string) => string;
  tokens: Record<string, string>;
  logins: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real app over a fresh database with the fixture school; every fixture person gets a login
 * `<name>-<schoolId>` and PASSWORD, and an access token obtained through the login route.
 */
export async function startHttp(
  opts: { loginLimits?: LoginLimits; secondSchool?: boolean; env?: Record<string, string> } = {},
): Promise<HttpCtx> {
  const testDb = await createTestDb();
  const school = await buildSchool(testDb.db);
  const redis = new Redis(process.env.REDIS_URL!, {
    keyPrefix: `t-http-${randomBytes(4).toString("hex")}:`,
    lazyConnect: false,
  });
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.HTTP_TEST_LOG ?? "silent",
    ...opts.env,
  });
  const loginLimits = opts.loginLimits ?? {
    freeFailures: 1000,
    baseDelaySec: 1,
    maxDelaySec: 1,
    perIp: 10_000,
    windowSec: 60,
  };
  const app = await buildApp({ db: testDb.db, config, redis, loginLimits });
  const passwordHash = await hash(PASSWORD);
  const people: Record<string, { id: number }> = {
    ...school.people,
    ...school.pupils,
    ...school.guardians,
  };
  const other = opts.secondSchool ? await buildSchool(testDb.db, "МБОУ «Школа № 2»") : undefined;
  if (other) {
    Object.assign(people, { otherAdmin: other.people.admin, otherMother: other.guardians.ivanovaMother });
  }
  const logins: Record<string, string> = {};
  for (const [name, p] of Object.entries(people)) {
    logins[name] = `${name}-${school.school.id}`;
    await testDb.db.person.update({ where: { id: p.id }, data: { login: logins[name], passwordHash } });
  }
  const tokens: Record<string, string> = {};
  for (const name of Object.keys(people)) {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: logins[name], password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${name}: ${res.statusCode} ${res.body}`);
    tokens[name] = res.json().accessToken;
  }
  return {
    testDb,
    app,
    redis,
    school,
    other,
    tokens,
    logins,
    token: (who) => {
      const t = tokens[who];
      if (!t) throw new Error(`no token for ${who}`);
      return t;
    },
    async close() {
      await app.close();
      redis.disconnect();
      await testDb.drop();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One request as a fixture person (`who`), or anonymously when `who` is null. */
export function send(ctx: HttpCtx, who: string | null, method: Method, url: string, payload?: object) {
  return ctx.app.inject({
    method,
    url,
    headers: who ? bearer(ctx.token(who)) : {},
    ...(payload === undefined ? {} : { payload }),
  });
}

/**
 * Six current maths marks for Иванов in the first quarter, alternating 5 and 4: enough for a
 * quarter mark at five lessons a week.
 */
export async function givePeriodMarks(ctx: HttpCtx) {
  const { pupils, people, assignments } = ctx.school;
  const days = ["2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09", "2026-10-12"];
  for (const [i, day] of days.entries()) {
    const l = await ctx.school.lesson(assignments.math5, day, 1);
    await ctx.testDb.db.mark.create({
      data: { lessonId: l.id, pupilId: pupils.ivanov.id, value: i % 2 ? "4" : "5", authorId: people.math.id },
    });
  }
}
