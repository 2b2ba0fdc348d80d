import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type HttpCtx, type Method, send, startHttp } from "./helpers.js";

/**
 * Authorization matrix: every role against a representative route of each kind, with the exact
 * status. Another school's data answers 404 (its existence is not revealed), a route outside
 * one's role 403, no token 401.
 */
let ctx: HttpCtx;
let lessonId: number;
let markId: number;
beforeAll(async () => {
  ctx = await startHttp({ secondSchool: true });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  const { school } = ctx;
  lessonId = (await school.lesson(school.assignments.math5, "2026-11-24", 1)).id;
  const mark = await ctx.testDb.db.mark.create({
    data: { lessonId, pupilId: school.pupils.ivanov.id, value: "4", authorId: school.people.math.id },
  });
  markId = mark.id;
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

const WHO = [
  "anon",
  "admin",
  "director",
  "deputy",
  "math",
  "russian",
  "primary",
  "ivanovaMother",
  "petrovaMother",
  "ivanov",
  "otherAdmin",
] as const;
type Who = (typeof WHO)[number];

interface Case {
  name: string;
  method: Method;
  url: () => string;
  body?: () => object;
  expect: Record<Who, number>;
}

const s = () => ctx.school;
let personSeq = 0;
const CASES: Case[] = [
  {
    name: "read the school",
    method: "GET",
    url: () => "/api/v1/school",
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 200,
      russian: 200,
      primary: 200,
      ivanovaMother: 200,
      petrovaMother: 200,
      ivanov: 200,
      otherAdmin: 200,
    },
  },
  {
    name: "change school settings",
    method: "PATCH",
    url: () => "/api/v1/school/settings",
    body: () => ({ fillDeadline: "18:00" }),
    expect: {
      anon: 401,
      admin: 200,
      director: 403,
      deputy: 403,
      math: 403,
      russian: 403,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 200,
    },
  },
  {
    name: "post a marks column",
    method: "POST",
    url: () => `/api/v1/lessons/${lessonId}/marks`,
    body: () => ({ marks: [{ pupilId: s().pupils.petrov.id, value: "5" }] }),
    expect: {
      anon: 401,
      admin: 200,
      director: 403,
      deputy: 200,
      math: 200,
      russian: 403,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 404,
    },
  },
  {
    name: "read a lesson sheet",
    method: "GET",
    url: () => `/api/v1/lessons/${lessonId}`,
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 200,
      russian: 200,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 404,
    },
  },
  {
    name: "read the journal grid",
    method: "GET",
    url: () =>
      `/api/v1/journal-grid?classId=${s().classes.class5.id}&subjectId=${s().subjects.math.id}&periodId=${s().periods[1]!.id}`,
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 200,
      russian: 200,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 404,
    },
  },
  {
    name: "read a pupil's diary",
    method: "GET",
    url: () => `/api/v1/pupils/${s().pupils.ivanov.id}/diary?from=2026-11-23&to=2026-11-29`,
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 200,
      russian: 200,
      primary: 404,
      ivanovaMother: 200,
      petrovaMother: 404,
      ivanov: 200,
      otherAdmin: 404,
    },
  },
  {
    name: "read a mark's history",
    method: "GET",
    url: () => `/api/v1/marks/${markId}/history`,
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 200,
      russian: 200,
      primary: 404,
      ivanovaMother: 200,
      petrovaMother: 404,
      ivanov: 200,
      otherAdmin: 404,
    },
  },
  {
    name: "read the audit log",
    method: "GET",
    url: () => "/api/v1/audit",
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 403,
      russian: 403,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 200,
    },
  },
  {
    name: "set a substitute",
    method: "PUT",
    url: () => `/api/v1/lessons/${lessonId}/substitute`,
    body: () => ({ substituteId: null }),
    expect: {
      anon: 401,
      admin: 200,
      director: 403,
      deputy: 200,
      math: 403,
      russian: 403,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 404,
    },
  },
  {
    name: "create a staff member",
    method: "POST",
    url: () => "/api/v1/people",
    body: () => ({
      lastName: "Тестова",
      firstName: `Вера${"ая".repeat(++personSeq % 5)}`,
      roles: ["TEACHER"],
    }),
    expect: {
      anon: 401,
      admin: 201,
      director: 403,
      deputy: 403,
      math: 403,
      russian: 403,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 201,
    },
  },
  {
    name: "read the class list of 5А",
    method: "GET",
    url: () => `/api/v1/classes/${s().classes.class5.id}/pupils`,
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 200,
      russian: 200,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 404,
    },
  },
  {
    name: "set absence reasons of 5А",
    method: "PUT",
    url: () => "/api/v1/attendance/reasons",
    body: () => ({ items: [{ attendanceId: 999_999, reason: "ILLNESS" }] }),
    expect: {
      anon: 401,
      admin: 404,
      director: 404,
      deputy: 404,
      math: 404,
      russian: 404,
      primary: 404,
      ivanovaMother: 404,
      petrovaMother: 404,
      ivanov: 404,
      otherAdmin: 404,
    },
  },
  {
    name: "export the class list of 5А",
    method: "GET",
    url: () => `/api/v1/exports/class-list?classId=${s().classes.class5.id}`,
    expect: {
      anon: 401,
      admin: 200,
      director: 200,
      deputy: 200,
      math: 403,
      russian: 200,
      primary: 403,
      ivanovaMother: 403,
      petrovaMother: 403,
      ivanov: 403,
      otherAdmin: 404,
    },
  },
];

describe("authorization matrix", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const got: Record<string, number> = {};
      for (const who of WHO) {
        const res = await send(ctx, who === "anon" ? null : who, c.method, c.url(), c.body?.());
        got[who] = res.statusCode;
        if (res.statusCode >= 400) {
          expect(res.json(), `${who}: error shape`).toEqual({
            error: expect.any(String),
            message: expect.stringMatching(/[А-Яа-яЁё]/),
            details: expect.any(Object),
          });
        }
      }
      expect(got).toEqual(c.expect);
    });
  }
});
