import createClient, { type Middleware } from "openapi-fetch";
import { CSRF_HEADER, getAccessToken, readCsrf, renew } from "../session";
import type { paths } from "./schema";

/**
 * The one API client, typed from the server's own OpenAPI document (`npm run web:types` writes
 * ./schema.d.ts from buildApp()); a route the UI calls with the wrong shape fails `npm run check`.
 * Every request carries the in-memory access token; a 401 renews it once (silent refresh, or the
 * sign-in dialog) and repeats the request.
 */
const copies = new WeakMap<Request, Request>();

function authorize(request: Request, token: string | null) {
  if (token) request.headers.set("authorization", `Bearer ${token}`);
  const csrf = readCsrf();
  if (csrf) request.headers.set(CSRF_HEADER, csrf);
  return request;
}

const auth: Middleware = {
  onRequest({ request }) {
    authorize(request, getAccessToken());
    copies.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || new URL(request.url).pathname.startsWith("/api/v1/auth/")) return response;
    const copy = copies.get(request);
    if (!copy) return response;
    const token = await renew();
    if (!token) return response;
    return fetch(authorize(copy, token));
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "http://localhost" });
api.use(auth);

export type { paths };
