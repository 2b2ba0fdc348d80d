import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyPluginAsync, LogController } from "fastify";
import { createJsonSchemaTransform, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { actorFromRefreshToken } from "../journal/auth.js";
import { DomainError } from "../journal/errors.js";
import { createLogger, type Logger } from "../logger.js";
import { createActorResolver } from "./actor-cache.js";
import { botUsernameResolver } from "./bot-username.js";
import { registerErrorHandling } from "./errors.js";
import { healthRoutes } from "./health.js";
import { createLoginLimiter, type LoginLimits } from "./login-limit.js";
import { registerMetrics } from "./metrics.js";
import { genReqId, REQUEST_ID_HEADER } from "./request-id.js";
import { apiRoutes } from "./routes/index.js";
import { TAGS } from "./schemas.js";
import type { Api, AppServices } from "./types.js";
import { validatorCompiler } from "./validation.js";
import { hasWebBuild, serveWebApp, spaFallback } from "./web-app.js";
import { sessionCookie } from "./web-session.js";

export interface AppDeps {
  db: Db;
  config: AppServices["config"] & Partial<Config>;
  redis?: Redis;
  logger?: Logger;
  /** Extra routes mounted at the root, e.g. the bot's Telegram webhook. */
  plugins?: FastifyPluginAsync[];
  loginLimits?: LoginLimits;
  /** How long a token's person (roles, block) is cached; 0 reads it on every request. */
  actorCacheMs?: number;
  /** The built web app (`web/dist`), served at `/` when it holds an index.html. */
  webRoot?: string;
}

export const BODY_LIMIT = 1024 * 1024;

// BigInt ids (audit log, chat ids) are not JSON numbers; they go out as strings. The replacer
// slows JSON.stringify down several times, so it runs only when the plain call meets a BigInt.
const replacer = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);
const toJson = (payload: unknown) => {
  try {
    return JSON.stringify(payload);
  } catch (error) {
    if (error instanceof TypeError && /BigInt/i.test(error.message)) return JSON.stringify(payload, replacer);
    throw error;
  }
};

/** TRUST_PROXY as Fastify takes it: a hop count becomes "the nearest n addresses are proxies". */
const trustProxyOption = (v: boolean | number | string | undefined) =>
  typeof v === "number" ? (_address: string, hop: number) => hop < v : (v ?? false);

/** Builds the API; never listens (the entry point or a test decides how it is reached). */
export async function buildApp(deps: AppDeps): Promise<Api> {
  const app = Fastify({
    loggerInstance: (deps.logger ??
      createLogger(deps.config.LOG_LEVEL ?? "info", "http")) as FastifyBaseLogger,
    genReqId,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
    // Fastify's own request lines carry the full URL, query and all (a searched surname is
    // personal data): one line per request is written below instead, with the route pattern.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    // Behind nginx: X-Forwarded-For / -Proto are believed only from the proxies TRUST_PROXY names.
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the bodies (responses.ts); they are not checked on the way out.
  // fastify-type-provider-zod's serializerCompiler encodes every body with zod first: +230 µs on
  // a journal grid (a 1.7 ms request, +13%), +40 µs on a diary week, +50 µs on a marks column.
  // So the serializer only stringifies; the compiler checks each service against its route's
  // schema and test/http/responses.test.ts parses real bodies with them.
  app.setSerializerCompiler(() => toJson);
  app.setReplySerializer(toJson);
  app.decorate("services", {
    db: deps.db,
    config: deps.config,
    redis: deps.redis,
    loginLimiter: createLoginLimiter(deps.redis, deps.loginLimits),
    botUsername: botUsernameResolver(deps.config),
  } satisfies AppServices);
  const actors = createActorResolver(deps.db, deps.config, deps.actorCacheMs ?? 2000);
  // Decorated once with null so every request object has the same shape (V8 hidden classes).
  app.decorateRequest("actor", null as never);
  // Callback-style hooks: every request passes them, and an async hook costs a promise each.
  app.addHook("onRequest", (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  app.addHook("onResponse", (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "(нет маршрута)",
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      "request",
    );
    done();
  });
  const web = hasWebBuild(deps.webRoot) ? deps.webRoot : undefined;
  registerErrorHandling(app, web ? spaFallback : undefined);
  registerMetrics(app, {
    allow: deps.config.METRICS_ALLOW ?? ["127.0.0.1", "::1"],
    trustProxy: deps.config.TRUST_PROXY,
  });

  // The API serves JSON only; the Swagger UI page needs its own inline scripts and styles.
  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Журнал — API электронного журнала",
        description:
          "Электронный классный журнал и дневник. Ошибки: `{ error, message, details }`, message — по-русски. " +
          "Авторизация: `Authorization: Bearer <accessToken>` из POST /api/v1/auth/login.",
        version: "1.0.0",
      },
      tags: TAGS.map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
      security: [{ bearer: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      api.addHook("onRequest", async (request) => {
        if (request.routeOptions.config?.public) return;
        const header = request.headers.authorization;
        const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
        const cookie = !token && request.routeOptions.config?.download ? sessionCookie(request) : undefined;
        if (cookie && request.method === "GET") {
          request.actor = await actorFromRefreshToken(deps.db, cookie);
          return;
        }
        if (!token) {
          throw new DomainError(
            "unauthorized",
            "Нужна авторизация: передайте заголовок Authorization: Bearer <токен> (POST /api/v1/auth/login).",
          );
        }
        request.actor = await actors.resolve(token);
      });
      // A change to a person's access made here takes effect on their very next request.
      api.addHook("onResponse", (request, reply, done) => {
        if (request.method !== "GET" && reply.statusCode < 400) {
          const personId = (request.params as { personId?: number } | undefined)?.personId;
          if (typeof personId === "number") actors.forget(personId);
          if (request.routeOptions.url === "/api/v1/auth/password" && request.actor)
            actors.forget(request.actor.personId);
        }
        done();
      });
      await api.register(apiRoutes);
    },
    { prefix: "/api/v1" },
  );
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  if (web) await serveWebApp(app, web);
  return app;
}
