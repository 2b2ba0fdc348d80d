import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import { Queue } from "bullmq";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { Db } from "../src/db/client.js";
import { type AuthConfig, actorFromAccessToken } from "../src/journal/auth.js";
import { producerConnection, QUEUES } from "./queues.js";

/**
 * The queue dashboard (Bull Board) as a Fastify plugin for buildApp's `plugins`, for the journal
 * admin only. A browser cannot send a bearer header for the page's assets, so `?token=` is swapped
 * once for an HttpOnly cookie scoped to the dashboard's path.
 */
export interface BoardOptions {
  redisUrl: string;
  prefix?: string;
  basePath?: string;
  /** Custom check (e.g. the API's own); by default the access token must belong to an ADMIN. */
  authorize?: (request: FastifyRequest) => Promise<boolean>;
  db?: Db;
  auth?: AuthConfig;
}

const COOKIE = "zhurnal_board";

function tokenOf(request: FastifyRequest): { token?: string; fromQuery: boolean } {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return { token: header.slice(7).trim(), fromQuery: false };
  const q = (request.query as { token?: string } | undefined)?.token;
  if (q) return { token: q, fromQuery: true };
  const cookie = request.headers.cookie
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`));
  return {
    token: cookie ? decodeURIComponent(cookie.slice(COOKIE.length + 1)) : undefined,
    fromQuery: false,
  };
}

export function queueBoard(opts: BoardOptions): { plugin: FastifyPluginAsync; close(): Promise<void> } {
  const basePath = opts.basePath ?? "/admin/queues";
  const connection = producerConnection(opts.redisUrl);
  connection.on("error", () => {});
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix: opts.prefix }));
  for (const q of queues) q.on("error", () => {});

  const plugin: FastifyPluginAsync = async (app) => {
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(basePath);
    // @bull-board/fastify pins its own copy of @bull-board/api: same shape, separate declarations.
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q)),
      serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]["serverAdapter"],
    });
    await app.register(async (scope) => {
      scope.addHook("onRequest", async (request, reply) => {
        const { token, fromQuery } = tokenOf(request);
        let allowed = false;
        if (opts.authorize) allowed = await opts.authorize(request);
        else if (token && opts.db && opts.auth) {
          const actor = await actorFromAccessToken(opts.db, opts.auth, token).catch(() => null);
          allowed = actor?.roles.includes("ADMIN") ?? false;
        }
        if (!allowed) {
          // Answered here so the dashboard stays closed whatever error handler the app has.
          return reply.code(token ? 403 : 401).send({
            error: token ? "forbidden" : "unauthorized",
            message: token
              ? "Панель очередей доступна только администратору журнала."
              : "Нужна авторизация администратора: откройте панель с ?token=<accessToken>.",
          });
        }
        if (fromQuery && token) {
          reply.header(
            "set-cookie",
            `${COOKIE}=${encodeURIComponent(token)}; Path=${basePath}; HttpOnly; SameSite=Strict`,
          );
        }
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
