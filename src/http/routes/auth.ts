import { z } from "zod";
import {
  issueTokens,
  login,
  loginInput,
  logout,
  refresh,
  refreshInput,
  revokeAllRefreshTokens,
} from "../../journal/auth.js";
import { changePassword, changePasswordInput } from "../../journal/credentials.js";
import { line } from "../../journal/validate.js";
import { jsonResponse, noContent, obj } from "../responses.js";
import type { Api } from "../types.js";
import { checkCsrf, endWebSession, sessionCookie, startWebSession } from "../web-session.js";

export const tokensResponse = obj({
  accessToken: z.string().describe("JWT для заголовка Authorization: Bearer"),
  refreshToken: z
    .string()
    .optional()
    .describe("Токен обновления; при session=cookie его нет в ответе — он в HttpOnly-cookie"),
  csrfToken: z
    .string()
    .optional()
    .describe("Только при session=cookie: значение для заголовка X-CSRF-Token (refresh, logout)"),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().describe("Срок жизни токена доступа, секунд"),
  refreshExpiresAt: z.iso.datetime().describe("До какого момента действует токен обновления"),
});
export const passwordResponse = obj({ login: z.string().describe("Логин после смены") });

export async function authRoutes(app: Api) {
  const { db, config, loginLimiter } = app.services;

  app.post(
    "/auth/login",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Вход по логину и паролю / Log in",
        description:
          "Выдаёт короткоживущий токен доступа (JWT) и токен обновления. После нескольких неудачных попыток с одного адреса для одного логина каждая следующая ждёт всё дольше (429 с Retry-After, секунд); у адреса есть и общий предел неудачных попыток. Владелец с другого адреса входит как обычно.",
        security: [],
        body: loginInput.extend({
          session: z
            .literal("cookie")
            .optional()
            .describe(
              "Веб-журнал: токен обновления — в HttpOnly-cookie (SameSite=Strict), в ответе — csrfToken",
            ),
        }),
        response: { 200: jsonResponse(tokensResponse) },
      },
    },
    async (request, reply) => {
      const { session, ...credentials } = request.body;
      const pair = await loginLimiter.guard(request.ip, credentials.login, () =>
        login(db, config, credentials),
      );
      return session === "cookie" ? startWebSession(request, reply, pair) : pair;
    },
  );

  app.post(
    "/auth/refresh",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Обновить токены / Refresh (rotation)",
        description:
          "Старый токен обновления отзывается; повторное использование отозванного токена завершает все сеансы. " +
          "Без тела — по cookie сеанса веб-журнала, с заголовком X-CSRF-Token.",
        security: [],
        body: refreshInput.nullish(),
        response: { 200: jsonResponse(tokensResponse) },
      },
    },
    async (request, reply) => {
      if (request.body) return refresh(db, config, request.body);
      const cookie = sessionCookie(request);
      if (!cookie) return refresh(db, config, {});
      checkCsrf(request);
      try {
        return startWebSession(request, reply, await refresh(db, config, { refreshToken: cookie }));
      } catch (error) {
        endWebSession(request, reply);
        throw error;
      }
    },
  );

  app.post(
    "/auth/logout",
    {
      schema: {
        tags: ["auth"],
        summary: "Выйти / Sign out",
        description:
          "Отзывает переданный токен обновления, а без него — токен из cookie сеанса веб-журнала (нужен заголовок X-CSRF-Token), а без cookie — все токены обновления пользователя.",
        body: z.strictObject({ refreshToken: line(200).optional() }).nullish(),
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const cookie = request.body?.refreshToken ? undefined : sessionCookie(request);
      if (cookie) {
        checkCsrf(request);
        endWebSession(request, reply);
      }
      await logout(db, request.actor, cookie ? { refreshToken: cookie } : (request.body ?? {}));
      return reply.code(204).send();
    },
  );

  app.post(
    "/auth/password",
    {
      schema: {
        tags: ["auth"],
        summary: "Сменить свой пароль (и логин) / Change own password",
        description:
          "Нужен текущий пароль. После смены все токены обновления отзываются: войдите заново на других устройствах. " +
          "Сеанс веб-журнала, из которого сменили пароль, продолжается с новой cookie.",
        body: changePasswordInput.strict(),
        response: { 200: jsonResponse(passwordResponse) },
      },
    },
    async (request, reply) => {
      const web = sessionCookie(request) !== undefined;
      if (web) checkCsrf(request);
      const result = await changePassword(db, request.actor, request.body);
      await revokeAllRefreshTokens(db, request.actor.personId);
      if (web) {
        const { personId: id, schoolId } = request.actor;
        startWebSession(request, reply, await issueTokens(db, config, { id, schoolId }));
      }
      return result;
    },
  );
}
