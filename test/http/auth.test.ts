import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, type HttpCtx, PASSWORD, startHttp } from "./helpers.js";

let ctx: HttpCtx;
beforeAll(async () => {
  ctx = await startHttp();
});
afterAll(() => ctx?.close());

const login = (login: string, password = PASSWORD) =>
  ctx.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { login, password } });
const refresh = (refreshToken: string) =>
  ctx.app.inject({ method: "POST", url: "/api/v1/auth/refresh", payload: { refreshToken } });

describe("login", () => {
  it("gives an access token that opens /me and a refresh token stored only as a hash", async () => {
    const res = await login(ctx.logins.math!);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.tokenType).toBe("Bearer");
    expect(body.expiresIn).toBe(15 * 60);
    const me = await ctx.app.inject({ url: "/api/v1/me", headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ lastName: "Кузнецова", roles: ["TEACHER"] });
    const stored = await ctx.testDb.db.refreshToken.findMany({
      where: { personId: ctx.school.people.math.id },
    });
    expect(stored.some((t) => t.tokenHash === body.refreshToken)).toBe(false);
    expect(stored.every((t) => /^[0-9a-f]{64}$/.test(t.tokenHash))).toBe(true);
  });

  it("refuses a wrong password and an unknown login alike, in Russian", async () => {
    const wrong = await login(ctx.logins.math!, "не тот пароль");
    const unknown = await login("nobody-here", "не тот пароль");
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({
        error: "unauthorized",
        message: expect.stringMatching(/Неверный логин или пароль/),
      });
    }
  });

  it("refuses unknown fields and missing fields with 400 and field reasons", async () => {
    const res = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "x", password: "y", admin: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("validation");
    const missing = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login: "x" },
    });
    expect(missing.statusCode).toBe(400);
    expect(Object.keys(missing.json().details.fields)).toContain("password");
  });

  it("refuses a blocked person: no login, no refresh, and the access token stops working", async () => {
    const { db } = ctx.testDb;
    const pair = (await login(ctx.logins.substitute!)).json();
    await db.person.update({
      where: { id: ctx.school.people.substitute.id },
      data: { blockedAt: new Date() },
    });
    expect((await login(ctx.logins.substitute!)).statusCode).toBe(403);
    expect((await refresh(pair.refreshToken)).statusCode).toBe(403);
    const me = await ctx.app.inject({ url: "/api/v1/me", headers: bearer(pair.accessToken) });
    expect(me.statusCode).toBe(403);
    await db.person.update({ where: { id: ctx.school.people.substitute.id }, data: { blockedAt: null } });
  });
});

describe("refresh tokens", () => {
  it("rotate: the new pair works, the old refresh token is refused, its reuse ends every session", async () => {
    const first = (await login(ctx.logins.russian!)).json();
    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    const pair2 = second.json();
    expect(pair2.refreshToken).not.toBe(first.refreshToken);
    const me = await ctx.app.inject({ url: "/api/v1/me", headers: bearer(pair2.accessToken) });
    expect(me.statusCode).toBe(200);

    const reuse = await refresh(first.refreshToken);
    expect(reuse.statusCode).toBe(401);
    // The leaked token's reuse revoked the rotated one too.
    expect((await refresh(pair2.refreshToken)).statusCode).toBe(401);
  });

  it("sign-out revokes the given refresh token only", async () => {
    const a = (await login(ctx.logins.primary!)).json();
    const b = (await login(ctx.logins.primary!)).json();
    const out = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: bearer(a.accessToken),
      payload: { refreshToken: a.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await refresh(a.refreshToken)).statusCode).toBe(401);
    expect((await refresh(b.refreshToken)).statusCode).toBe(200);
  });

  it("sign-out without a token revokes every session of the person", async () => {
    const a = (await login(ctx.logins.director!)).json();
    const b = (await login(ctx.logins.director!)).json();
    const out = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: bearer(a.accessToken),
    });
    expect(out.statusCode).toBe(204);
    expect((await refresh(a.refreshToken)).statusCode).toBe(401);
    expect((await refresh(b.refreshToken)).statusCode).toBe(401);
  });

  it("refuses a made-up refresh token", async () => {
    expect((await refresh("x".repeat(43))).statusCode).toBe(401);
  });
});

describe("access tokens", () => {
  it("401 without a token, with a forged one, or with garbage", async () => {
    const none = await ctx.app.inject({ url: "/api/v1/me" });
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/Authorization/);
    const [h, p] = ctx.token("admin").split(".");
    const forged = await ctx.app.inject({ url: "/api/v1/me", headers: bearer(`${h}.${p}.AAAA`) });
    expect(forged.statusCode).toBe(401);
    const garbage = await ctx.app.inject({ url: "/api/v1/me", headers: bearer("garbage") });
    expect(garbage.statusCode).toBe(401);
  });
});

describe("password change and credentials", () => {
  it("changing the password revokes every refresh token; the new password signs in", async () => {
    const pair = (await login(ctx.logins.kozlovaMother!)).json();
    const res = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: bearer(pair.accessToken),
      payload: { oldPassword: PASSWORD, newPassword: "Новый-пароль-2026" },
    });
    expect(res.statusCode).toBe(200);
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    expect((await login(ctx.logins.kozlovaMother!)).statusCode).toBe(401);
    expect((await login(ctx.logins.kozlovaMother!, "Новый-пароль-2026")).statusCode).toBe(200);
  });

  it("a wrong current password is 401 and changes nothing", async () => {
    const res = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: bearer(ctx.token("sidorovFather")),
      payload: { oldPassword: "не тот", newPassword: "Другой-пароль-1" },
    });
    expect(res.statusCode).toBe(401);
    expect((await login(ctx.logins.sidorovFather!)).statusCode).toBe(200);
  });

  it("the admin sets a teacher's credentials; a teacher may not; the class teacher issues a guardian's invite", async () => {
    const { people, guardians } = ctx.school;
    const byAdmin = await ctx.app.inject({
      method: "PUT",
      url: `/api/v1/people/${people.substitute.id}/credentials`,
      headers: bearer(ctx.token("admin")),
      payload: { login: `novikov-${ctx.school.school.id}`, password: "Замена-пароль-1" },
    });
    expect(byAdmin.statusCode).toBe(200);
    expect((await login(`novikov-${ctx.school.school.id}`, "Замена-пароль-1")).statusCode).toBe(200);
    const byTeacher = await ctx.app.inject({
      method: "PUT",
      url: `/api/v1/people/${people.substitute.id}/credentials`,
      headers: bearer(ctx.token("math")),
      payload: { login: `x-${ctx.school.school.id}`, password: "Замена-пароль-2" },
    });
    expect(byTeacher.statusCode).toBe(403);
    const invite = await ctx.app.inject({
      method: "POST",
      url: `/api/v1/people/${guardians.petrovaMother.id}/invites`,
      headers: bearer(ctx.token("russian")),
    });
    expect(invite.statusCode).toBe(201);
    expect(invite.json().code).toMatch(/^[A-Z0-9]{8}$/);
  });

  it("the admin blocks a person: their sessions end at once; unblocking lets them back", async () => {
    const { pupils } = ctx.school;
    const pair = (await login(ctx.logins.orlova!)).json();
    // Used once before the block, so the person is in the API's short-lived actor cache.
    expect((await ctx.app.inject({ url: "/api/v1/me", headers: bearer(pair.accessToken) })).statusCode).toBe(
      200,
    );
    const blocked = await ctx.app.inject({
      method: "POST",
      url: `/api/v1/people/${pupils.orlova.id}/block`,
      headers: bearer(ctx.token("admin")),
      payload: { blocked: true },
    });
    expect(blocked.statusCode).toBe(200);
    expect((await ctx.app.inject({ url: "/api/v1/me", headers: bearer(pair.accessToken) })).statusCode).toBe(
      403,
    );
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    const unblocked = await ctx.app.inject({
      method: "POST",
      url: `/api/v1/people/${pupils.orlova.id}/block`,
      headers: bearer(ctx.token("admin")),
      payload: { blocked: false },
    });
    expect(unblocked.statusCode).toBe(200);
    expect((await login(ctx.logins.orlova!)).statusCode).toBe(200);
  });

  it("notification preferences are read and changed through /me/preferences", async () => {
    const get = await ctx.app.inject({
      url: "/api/v1/me/preferences",
      headers: bearer(ctx.token("ivanovaMother")),
    });
    expect(get.statusCode).toBe(200);
    const patch = await ctx.app.inject({
      method: "PATCH",
      url: "/api/v1/me/preferences",
      headers: bearer(ctx.token("ivanovaMother")),
      payload: { mode: "DIGEST", digestTime: "20:00" },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ mode: "DIGEST", digestTime: "20:00" });
  });
});
