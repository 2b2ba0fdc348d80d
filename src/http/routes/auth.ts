import { z } from "zod";
import {
  login,
  loginInput,
  logout,
  refresh,
  refreshInput,
  revokeAllRefreshTokens,
} from "../../journal/auth.js";
import { changePassword, changePasswordInput } from "../../journal/credentials.js";
import { jsonResponse, noContent, obj } from "../responses.js";
import type { Api } from "../types.js";

export const tokensResponse = obj({
  accessToken: z.string().describe("JWT для заголовка Authorization: Bearer"),
  refreshToken: z.string(),
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
        body: loginInput,
        response: { 200: jsonResponse(tokensResponse) },
      },
    },
    async (request) =>
      loginLimiter.guard(request.ip, request.body.login, () => login(db, config, request.body)),
  );

  app.post(
    "/auth/refresh",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Обновить токены / Refresh (rotation)",
        description:
          "Старый токен обновления отзывается; повторное использование отозванного токена завершает все сеансы.",
        security: [],
        body: refreshInput,
        response: { 200: jsonResponse(tokensResponse) },
      },
    },
    async (request) => refresh(db, config, request.body),
  );

  app.post(
    "/auth/logout",
    {
      schema: {
        tags: ["auth"],
        summary: "Выйти / Sign out",
        description: "Отзывает переданный токен обновления, а без него — все токены обновления пользователя.",
        body: z.strictObject({ refreshToken: z.string().max(200).optional() }).nullish(),
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await logout(db, request.actor, request.body ?? {});
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
          "Нужен текущий пароль. После смены все токены обновления отзываются: войдите заново на других устройствах.",
        body: changePasswordInput.strict(),
        response: { 200: jsonResponse(passwordResponse) },
      },
    },
    async (request) => {
      const result = await changePassword(db, request.actor, request.body);
      await revokeAllRefreshTokens(db, request.actor.personId);
      return result;
    },
  );
}
