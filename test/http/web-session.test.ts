import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, type HttpCtx, PASSWORD, startHttp } from "./helpers.js";

let ctx: HttpCtx;
beforeAll(async () => {
  ctx = await startHttp();
});
afterAll(() => ctx?.close());

type Jar = Record<string, string>;
/** The cookies a response sets, as a browser would keep them (a cleared one is dropped). */
function remember(jar: Jar, res: { cookies: { name: string; value: string }[] }) {
  for (const c of res.cookies) {
    if (c.value) jar[c.name] = c.value;
    else delete jar[c.name];
  }
  return jar;
}
const cookieHeader = (jar: Jar) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

async function webLogin(who = "math") {
  const res = await ctx.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { login: ctx.logins[who], password: PASSWORD, session: "cookie" },
  });
  expect(res.statusCode).toBe(200);
  return { res, jar: remember({}, res) };
}
const refresh = (jar: Jar, csrf?: string) =>
  ctx.app.inject({
    method: "POST",
    url: "/api/v1/auth/refresh",
    headers: { cookie: cookieHeader(jar), ...(csrf ? { "x-csrf-token": csrf } : {}) },
  });

describe("web session (cookie)", () => {
  it("login puts the refresh token in an HttpOnly SameSite=Strict cookie, not in the body", async () => {
    const { res, jar } = await webLogin();
    const body = res.json();
    expect(body.refreshToken).toBeUndefined();
    expect(body.accessToken).toEqual(expect.any(String));
    const session = res.cookies.find((c) => c.name === "zh_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/v1" });
    expect(session.secure).toBeFalsy();
    const csrf = res.cookies.find((c) => c.name === "zh_csrf")!;
    expect(csrf.httpOnly).toBeFalsy();
    expect(csrf.value).toBe(body.csrfToken);
    expect(jar.zh_session).toBeTruthy();
    const me = await ctx.app.inject({ url: "/api/v1/me", headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
  });

  it("refreshes by the cookie with the CSRF header, rotating both cookies", async () => {
    const { jar } = await webLogin();
    const first = jar.zh_session;
    const res = await refresh(jar, jar.zh_csrf);
    expect(res.statusCode).toBe(200);
    expect(res.json().refreshToken).toBeUndefined();
    remember(jar, res);
    expect(jar.zh_session).not.toBe(first);
    expect(res.json().csrfToken).toBe(jar.zh_csrf);
    const me = await ctx.app.inject({ url: "/api/v1/me", headers: bearer(res.json().accessToken) });
    expect(me.statusCode).toBe(200);
  });

  it("refuses a cookie refresh without or with a wrong CSRF header, in Russian, and keeps the session", async () => {
    const { jar } = await webLogin();
    for (const csrf of [undefined, "not-the-token"]) {
      const res = await refresh(jar, csrf);
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/X-CSRF-Token/);
    }
    // Nothing was rotated: the cookie still works with the right header.
    expect((await refresh(jar, jar.zh_csrf)).statusCode).toBe(200);
  });

  it("refuses a refresh with neither body nor cookie", async () => {
    const res = await ctx.app.inject({ method: "POST", url: "/api/v1/auth/refresh" });
    expect(res.statusCode).toBe(400);
  });

  it("sign-out revokes the cookie's token, clears the cookies, and needs the CSRF header", async () => {
    const { res: login, jar } = await webLogin();
    const access = login.json().accessToken;
    const other = await webLogin();
    const refused = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { ...bearer(access), cookie: cookieHeader(jar) },
    });
    expect(refused.statusCode).toBe(403);
    const out = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { ...bearer(access), cookie: cookieHeader(jar), "x-csrf-token": jar.zh_csrf },
    });
    expect(out.statusCode).toBe(204);
    const kept = { ...jar };
    remember(jar, out);
    expect(jar.zh_session).toBeUndefined();
    // The old cookie, replayed, no longer refreshes; another browser's session goes on.
    expect((await refresh(kept, kept.zh_csrf)).statusCode).toBe(401);
    expect((await refresh(other.jar, other.jar.zh_csrf)).statusCode).toBe(200);
  });

  it("opens a report download by the cookie alone (GET), but no other route", async () => {
    const { jar } = await webLogin("deputy");
    const url = `/api/v1/reports/summary?classId=${ctx.school.classes.class5.id}&format=csv`;
    const file = await ctx.app.inject({ url, headers: { cookie: cookieHeader(jar) } });
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toMatch(/text\/csv/);
    const me = await ctx.app.inject({ url: "/api/v1/me", headers: { cookie: cookieHeader(jar) } });
    expect(me.statusCode).toBe(401);
    const anonymous = await ctx.app.inject({ url });
    expect(anonymous.statusCode).toBe(401);
  });

  it("changing the password from the web keeps this browser signed in with a new cookie", async () => {
    const { res, jar } = await webLogin("russian");
    const old = { ...jar };
    const changed = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: { ...bearer(res.json().accessToken), cookie: cookieHeader(jar), "x-csrf-token": jar.zh_csrf },
      payload: { oldPassword: PASSWORD, newPassword: "Новый-пароль-для-веба-2" },
    });
    expect(changed.statusCode).toBe(200);
    remember(jar, changed);
    expect((await refresh(jar, jar.zh_csrf)).statusCode).toBe(200);
    // (Replaying a revoked token ends every session, so the old cookie is tried last.)
    expect((await refresh(old, old.zh_csrf)).statusCode).toBe(401);
  });
});
