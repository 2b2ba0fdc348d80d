import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import { Queue } from "bullmq";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import type { Db } from "../src/db/client.js";
import { createLoginLimiter, type LoginLimiter } from "../src/http/login-limit.js";
import type { AuthConfig } from "../src/journal/auth.js";
import { isDomainError } from "../src/journal/errors.js";
import { operatorFromToken, operatorLogin } from "../src/journal/operators.js";
import { producerConnection, QUEUES } from "./queues.js";

/**
 * The queue dashboard (Bull Board) as a Fastify plugin for buildApp's `plugins`. It pauses and
 * empties every school's queues, so it belongs to a deployment operator (`journal
 * create-operator`), never to a school's journal admin (issue 10 §2). The operator signs in at
 * /admin/login; the session is an HttpOnly, SameSite=Strict cookie scoped to /admin (Secure over
 * HTTPS, as Fastify sees it with TRUST_PROXY), so no token ever travels in a URL.
 */
export interface BoardOptions {
  redisUrl: string;
  prefix?: string;
  basePath?: string;
  db: Db;
  auth: Pick<AuthConfig, "JWT_SECRET">;
  /** Shares the API's login limits across copies (Redis); a per-process map otherwise. */
  redis?: Redis;
  loginLimiter?: LoginLimiter;
}

export const OPERATOR_COOKIE = "zhurnal_operator";
const COOKIE_PATH = "/admin";

function cookieOf(request: FastifyRequest): string | undefined {
  const cookie = request.headers.cookie
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${OPERATOR_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(OPERATOR_COOKIE.length + 1)) : undefined;
}

function setSession(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSec: number) {
  const secure = request.protocol === "https" ? "; Secure" : "";
  reply.header(
    "set-cookie",
    `${OPERATOR_COOKIE}=${encodeURIComponent(value)}; Path=${COOKIE_PATH}; Max-Age=${maxAgeSec}; HttpOnly; SameSite=Strict${secure}`,
  );
}

const LOGIN_PAGE = (basePath: string) => `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Журнал — вход оператора</title></head>
<body style="font-family:sans-serif;max-width:24rem;margin:4rem auto">
<h1>Вход оператора / Operator sign-in</h1>
<form id="f"><p><label>Логин / Login<br><input name="login" autocomplete="username" required></label></p>
<p><label>Пароль / Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button>Войти / Sign in</button></p><p id="e" role="alert"></p></form>
<script>
document.getElementById("f").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const d = new FormData(ev.target);
  const r = await fetch("${COOKIE_PATH}/session", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: d.get("login"), password: d.get("password") }) });
  if (r.ok) location.href = "${basePath}"; else document.getElementById("e").textContent = (await r.json()).message;
});
</script></body></html>`;

export function queueBoard(opts: BoardOptions): { plugin: FastifyPluginAsync; close(): Promise<void> } {
  const basePath = opts.basePath ?? `${COOKIE_PATH}/queues`;
  const connection = producerConnection(opts.redisUrl);
  connection.on("error", () => {});
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix: opts.prefix }));
  for (const q of queues) q.on("error", () => {});
  const limiter = opts.loginLimiter ?? createLoginLimiter(opts.redis);

  const plugin: FastifyPluginAsync = async (app) => {
    app.get(`${COOKIE_PATH}/login`, async (_request, reply) =>
      reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(LOGIN_PAGE(basePath)),
    );
    app.post(`${COOKIE_PATH}/session`, async (request, reply) => {
      const body = (request.body ?? {}) as { login?: unknown };
      try {
        // Operators' failures are counted apart from the same login of a school.
        const session = await limiter.guard(request.ip, `operator\n${String(body.login ?? "")}`, () =>
          operatorLogin(opts.db, opts.auth, request.body),
        );
        setSession(request, reply, session.token, session.maxAgeSec);
        return reply.code(204).send();
      } catch (error) {
        if (!isDomainError(error)) throw error;
        const status = { unauthorized: 401, rate_limited: 429, validation: 400 }[error.code as string] ?? 400;
        const retry = (error.details as { retryAfterSec?: number } | undefined)?.retryAfterSec;
        if (retry) reply.header("retry-after", String(retry));
        return reply
          .code(status)
          .send({ error: error.code, message: error.message, details: error.details ?? {} });
      }
    });
    app.post(`${COOKIE_PATH}/logout`, async (request, reply) => {
      setSession(request, reply, "", 0);
      return reply.code(204).send();
    });

    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(basePath);
    // @bull-board/fastify pins its own copy of @bull-board/api: same shape, separate declarations.
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q)),
      serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]["serverAdapter"],
    });
    await app.register(async (scope) => {
      scope.addHook("onRequest", async (request, reply) => {
        const token = cookieOf(request);
        const operator = token ? await operatorFromToken(opts.db, opts.auth, token) : null;
        if (operator) return;
        // Answered here so the dashboard stays closed whatever error handler the app has. A
        // school's token (even its journal admin's) is refused: the dashboard is deployment-wide.
        const school = Boolean(request.headers.authorization);
        return reply.code(school ? 403 : 401).send({
          error: school ? "forbidden" : "unauthorized",
          message: school
            ? "Панель очередей — для оператора развёртывания, не для пользователей школы. / Deployment operators only."
            : `Войдите как оператор развёртывания: ${COOKIE_PATH}/login. / Operator sign-in required.`,
          details: {},
        });
      });
      await scope.register(serverAdapter.registerPlugin(), { prefix: basePath });
    });
  };
  return {
    plugin,
    async close() {
      await Promise.allSettled(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}
