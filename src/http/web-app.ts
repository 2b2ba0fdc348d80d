import { existsSync } from "node:fs";
import { join, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Api } from "./types.js";

/**
 * Serves the built web app (`web/dist`) at `/`. Vite names every asset by its content hash, so
 * assets are cached for a year as immutable; index.html is revalidated on every visit, so a new
 * build reaches the browser at once.
 */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** Paths that belong to the server; an unknown one there is a JSON 404, never the app's page. */
const SERVER_PREFIXES = ["/api", "/docs", "/admin", "/telegram", "/ready", "/health", "/metrics"];

export async function serveWebApp(app: Api, root: string) {
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: true,
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header("cache-control", path.includes(`${sep}assets${sep}`) ? IMMUTABLE : "no-cache");
    },
  });
}

/** True when a web build is there to serve. */
export const hasWebBuild = (root: string | undefined): root is string =>
  !!root && existsSync(join(root, "index.html"));

/**
 * The single-page app's fallback: a GET for a page path the server does not know (`/journal/…`)
 * gets index.html and the app's router shows the page. Server paths and file names (a dot in the
 * last segment, e.g. a stale asset) stay 404, so an API client never gets HTML.
 */
export function spaFallback(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const path = request.url.split("?")[0] ?? "/";
  if (SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  if (/\.[^/]*$/.test(path)) return false;
  void reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").sendFile("index.html");
  return true;
}
