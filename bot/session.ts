import { RedisAdapter } from "@grammyjs/storage-redis";
import { MemorySessionStorage, type StorageAdapter, session } from "grammy";
import type { AckTracker, BotContext, BotDeps, SessionData } from "./context.js";

/** Sessions and ack trackers live 30 days; a conversation idle longer starts afresh. */
const TTL_SECONDS = 30 * 24 * 3600;

function storageFor<T>(deps: BotDeps): StorageAdapter<T> {
  if (!deps.redis) return new MemorySessionStorage<T>(TTL_SECONDS * 1000);
  // The adapter is typed against its own ioredis copy; the client is the same at runtime.
  return new RedisAdapter<T>({ instance: deps.redis as never, ttl: TTL_SECONDS });
}

/** Redis when given (production, several processes), memory otherwise (tests, development). */
export function createStorage(deps: BotDeps) {
  const prefix = deps.redisPrefix ?? "zhurnal:bot:";
  const sessions = storageFor<SessionData>(deps);
  const rawTrackers = storageFor<AckTracker>(deps);
  const trackers: StorageAdapter<AckTracker> = {
    read: (k) => rawTrackers.read(`${prefix}ack:${k}`),
    write: (k, v) => rawTrackers.write(`${prefix}ack:${k}`, v),
    delete: (k) => rawTrackers.delete(`${prefix}ack:${k}`),
  };
  const middleware = session<SessionData, BotContext>({
    initial: () => ({}),
    storage: sessions,
    prefix: `${prefix}s:`,
    // One session per chat: a linked chat is one person.
    getSessionKey: (ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString(),
  });
  return { middleware, trackers };
}
