import type { Redis } from "ioredis";
import { sha256 } from "../journal/auth.js";
import { DomainError } from "../journal/errors.js";

/**
 * Login attempts per IP and per login in fixed windows. Redis keeps the counters so that every
 * API copy behind a load balancer shares them; without Redis (single process, tests) a map does.
 */
export interface LoginLimits {
  perIp: number;
  perLogin: number;
  windowSec: number;
}
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perIp: 30, perLogin: 10, windowSec: 15 * 60 };

type Counter = (key: string, windowSec: number) => Promise<{ count: number; ttlSec: number }>;

function redisCounter(redis: Redis): Counter {
  return async (key, windowSec) => {
    const [[, count], [, ttl]] = (await redis.multi().incr(key).ttl(key).exec()) as [
      [null, number],
      [null, number],
    ];
    if (ttl < 0) await redis.expire(key, windowSec);
    return { count, ttlSec: ttl > 0 ? ttl : windowSec };
  };
}

function memoryCounter(): Counter {
  const windows = new Map<string, { count: number; until: number }>();
  return async (key, windowSec) => {
    const now = Date.now();
    let w = windows.get(key);
    if (!w || w.until <= now) {
      w = { count: 0, until: now + windowSec * 1000 };
      windows.set(key, w);
    }
    w.count++;
    return { count: w.count, ttlSec: Math.ceil((w.until - now) / 1000) };
  };
}

export function createLoginLimiter(redis: Redis | undefined, limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
  const count = redis ? redisCounter(redis) : memoryCounter();
  /** Counts one attempt; throws rate_limited (429 with Retry-After) once either limit is exceeded. */
  return async function hit(ip: string, login: string): Promise<void> {
    const [byIp, byLogin] = await Promise.all([
      count(`zhurnal:login:ip:${ip}`, limits.windowSec),
      // The login is hashed: it is personal data and must not sit in Redis in clear.
      count(`zhurnal:login:user:${sha256(login.trim().toLowerCase())}`, limits.windowSec),
    ]);
    const over = [byIp.count > limits.perIp ? byIp : null, byLogin.count > limits.perLogin ? byLogin : null]
      .filter((c) => c !== null)
      .map((c) => c.ttlSec);
    if (over.length === 0) return;
    const retryAfterSec = Math.max(...over);
    const minutes = Math.ceil(retryAfterSec / 60);
    throw new DomainError(
      "rate_limited",
      `Слишком много попыток входа. Подождите ${minutes} мин. и попробуйте снова; если забыли пароль, обратитесь к администратору или классному руководителю.`,
      { retryAfterSec },
    );
  };
}
export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
