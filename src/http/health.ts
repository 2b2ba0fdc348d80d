import { z } from "zod";
import { Prisma, queryRows } from "../db/client.js";
import type { Api } from "./types.js";

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);

export async function healthRoutes(app: Api) {
  app.get(
    "/health",
    {
      config: { public: true },
      schema: {
        tags: ["health"],
        summary: "Процесс работает / Liveness",
        security: [],
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/ready",
    {
      config: { public: true },
      schema: {
        tags: ["health"],
        summary: "Готов принимать запросы: PostgreSQL и Redis доступны / Readiness",
        description: "503, если недоступна база или Redis; в `checks` видно, что именно.",
        security: [],
      },
    },
    async (_request, reply) => {
      const { db, redis } = app.services;
      const check = async (fn: () => Promise<unknown>) => {
        try {
          await withTimeout(fn(), 2000);
          return "ok";
        } catch {
          return "недоступен";
        }
      };
      const [postgres, redisState] = await Promise.all([
        check(() => queryRows(db, Prisma.sql`SELECT 1`)),
        redis ? check(() => redis.ping()) : Promise.resolve("не настроен"),
      ]);
      const checks = { postgres, redis: redisState };
      const failed = Object.entries(checks)
        .filter(([, v]) => v === "недоступен")
        .map(([k]) => k);
      if (failed.length === 0) return { status: "ok", checks };
      return reply.code(503).send({
        error: "not_ready",
        message: `Сервис не готов: недоступен ${failed.join(" и ")}.`,
        details: { checks },
      });
    },
  );
}
