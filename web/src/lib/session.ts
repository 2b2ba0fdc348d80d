/**
 * The browser's session. The refresh token is an HttpOnly cookie the page never sees; the access
 * token lives here, in memory only (gone on reload, restored from the cookie by `restore`).
 * When the session ends while someone is typing, requests wait for a new sign-in (the dialog
 * over the page) instead of failing, so nothing typed is lost.
 */
export type SessionState = "unknown" | "signed-in" | "signed-out" | "expired";

export const CSRF_COOKIE = "zh_csrf";
export const CSRF_HEADER = "x-csrf-token";

let accessToken: string | null = null;
let state: SessionState = "unknown";
let renewing: Promise<string | null> | null = null;
let waiters: ((token: string | null) => void)[] = [];
const listeners = new Set<() => void>();

function setState(next: SessionState) {
  state = next;
  for (const l of listeners) l();
}

export const getSessionState = () => state;
export const getAccessToken = () => accessToken;
export function subscribeSession(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The script-readable half of the double-submit pair (the other half is the HttpOnly cookie). */
export function readCsrf(): string | undefined {
  const match = document.cookie.match(/(?:^|;\s*)zh_csrf=([^;]+)/);
  return match?.[1];
}

/** An answer from the API that is not a success: its Russian message, status and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = "error",
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

async function post(path: string, body?: unknown, token?: string | null): Promise<Response> {
  const headers: Record<string, string> = {};
  const csrf = readCsrf();
  if (csrf) headers[CSRF_HEADER] = csrf;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(path, {
    method: "POST",
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as {
    message?: string;
    error?: string;
    details?: Record<string, unknown>;
  } | null;
  return new ApiError(res.status, body?.message ?? `Ошибка ${res.status}`, body?.error, body?.details);
}

/** Signs in; the server sets the session cookie. Throws ApiError with the server's message. */
export async function signIn(login: string, password: string): Promise<void> {
  const res = await post("/api/v1/auth/login", { login, password, session: "cookie" });
  if (!res.ok) throw await errorOf(res);
  accessToken = ((await res.json()) as { accessToken: string }).accessToken;
  setState("signed-in");
  const waiting = waiters;
  waiters = [];
  for (const w of waiting) w(accessToken);
}

/** On page load: a live session cookie gives a new access token without a password. */
export async function restore(): Promise<void> {
  const token = readCsrf() ? await refreshOnce() : null;
  setState(token ? "signed-in" : "signed-out");
}

async function refreshOnce(): Promise<string | null> {
  const res = await post("/api/v1/auth/refresh").catch(() => null);
  if (!res?.ok) return null;
  accessToken = ((await res.json()) as { accessToken: string }).accessToken;
  return accessToken;
}

/**
 * A new access token after a 401: a silent refresh by the cookie, or — when the session is over —
 * the sign-in dialog (state "expired"), resolving once the person signs in again.
 */
export function renew(): Promise<string | null> {
  renewing ??= (async () => {
    const token = await refreshOnce();
    if (token) return token;
    accessToken = null;
    if (state !== "signed-in" && state !== "expired") return null;
    setState("expired");
    return new Promise<string | null>((resolve) => waiters.push(resolve));
  })().finally(() => {
    renewing = null;
  });
  return renewing;
}

/** Ends the session on the server (the cookie's refresh token is revoked) and here. */
export async function signOut(): Promise<void> {
  await post("/api/v1/auth/logout", undefined, accessToken).catch(() => null);
  accessToken = null;
  const waiting = waiters;
  waiters = [];
  for (const w of waiting) w(null);
  setState("signed-out");
}
