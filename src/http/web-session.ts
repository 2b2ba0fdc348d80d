import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { TokenPair } from "../journal/auth.js";
import { DomainError } from "../journal/errors.js";

/**
 * The web app's session: the refresh token lives in an HttpOnly cookie that scripts cannot read,
 * the access token only in the page's memory. Writes that the cookie alone authenticates
 * (refresh, sign-out) also need the double-submit CSRF token: a second, script-readable cookie
 * whose value the page echoes in the `X-CSRF-Token` header — a page on another site can neither
 * read the cookie nor set the header, and SameSite=Strict keeps both cookies off its requests.
 */
export const REFRESH_COOKIE = "zh_session";
export const CSRF_COOKIE = "zh_csrf";
export const CSRF_HEADER = "x-csrf-token";
/** The refresh cookie reaches the API only: refresh, sign-out and the GET download links. */
const REFRESH_PATH = "/api/v1";

const secure = (request: FastifyRequest) => request.protocol === "https";

/** What a cookie-session client gets instead of the pair: no refresh token in the body. */
export interface WebTokens {
  accessToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshExpiresAt: string;
  csrfToken: string;
}

/** Sets both cookies for a new pair and returns the body for the page. */
export function startWebSession(request: FastifyRequest, reply: FastifyReply, pair: TokenPair): WebTokens {
  const expires = new Date(pair.refreshExpiresAt);
  const csrfToken = randomBytes(24).toString("base64url");
  const common = { sameSite: "strict" as const, secure: secure(request), expires };
  reply.setCookie(REFRESH_COOKIE, pair.refreshToken, { ...common, httpOnly: true, path: REFRESH_PATH });
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false, path: "/" });
  const { refreshToken: _kept, ...rest } = pair;
  return { ...rest, csrfToken };
}

export function endWebSession(request: FastifyRequest, reply: FastifyReply) {
  const common = { sameSite: "strict" as const, secure: secure(request) };
  reply.clearCookie(REFRESH_COOKIE, { ...common, httpOnly: true, path: REFRESH_PATH });
  reply.clearCookie(CSRF_COOKIE, { ...common, path: "/" });
}

/** The session cookie's refresh token, if the request carries one. */
export const sessionCookie = (request: FastifyRequest): string | undefined =>
  request.cookies?.[REFRESH_COOKIE] || undefined;

/**
 * Refuses a cookie-authenticated write whose `X-CSRF-Token` header does not match the CSRF
 * cookie (403, nothing changes).
 */
export function checkCsrf(request: FastifyRequest) {
  const header = request.headers[CSRF_HEADER];
  const cookie = request.cookies?.[CSRF_COOKIE];
  const given = Buffer.from(typeof header === "string" ? header : "");
  const expected = Buffer.from(cookie ?? "");
  if (!expected.length || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DomainError(
      "forbidden",
      "Запрос отклонён: нет проверочного заголовка X-CSRF-Token сеанса веб-журнала. Обновите страницу и повторите.",
    );
  }
}
