import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import type { LoginLimiter } from "./login-limit.js";

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface AppServices {
  db: Db;
  config: Pick<Config, "JWT_SECRET" | "ACCESS_TOKEN_TTL_MIN" | "REFRESH_TOKEN_TTL_DAYS" | "LOG_LEVEL">;
  redis?: Redis;
  /** The bot's @username for deep links (bot-username.ts); null when unknown. */
  botUsername: () => Promise<string | null>;
  loginLimiter: LoginLimiter;
}

declare module "fastify" {
  interface FastifyInstance {
    services: AppServices;
  }
  interface FastifyRequest {
    /** The authenticated person; set for every route not marked `config.public`. */
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** Reachable without an access token (login, refresh). */
    public?: boolean;
    /**
     * A file for the web app's plain links (GET): without a Bearer token, the web session's
     * HttpOnly cookie authenticates it (SameSite=Strict; a read changes nothing).
     */
    download?: boolean;
  }
}
