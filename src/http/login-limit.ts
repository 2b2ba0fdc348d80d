import type { Redis } from "ioredis";
import { sha256 } from "../journal/auth.js";
import { DomainError } from "../journal/errors.js";

/**
 * Slowing password guessing down without locking the owner out (issue 10 §3).
 *
 * - Per login *and* client (IP): a few failures are free, then each next attempt from that client
 *   for that login waits a delay that doubles (up to `maxDelaySec`); a success from the client
 *   forgets its failures. An attacker at one address never slows the owner at another.
 * - Per client over all logins: a budget of failed attempts per window, against spraying one
 *   password over many logins.
 * An attempt is counted as failed when admitted (atomically, so parallel requests cannot slip
 * through together) and refunded on success. Redis keeps the state so that every API copy
 * behind a load balancer shares it; without Redis (single process, tests) a map does. The
 * client's address is `request.ip`: behind nginx set TRUST_PROXY so it is the real client's.
 */
export interface LoginLimits {
  /** Failed attempts per login and client without any delay. */
  freeFailures: number;
  /** The delay after the first failure past the free ones, seconds; each next one doubles it. */
  baseDelaySec: number;
  maxDelaySec: number;
  /** Failed attempts one client may make over all logins in `windowSec`. */
  perIp: number;
  /** The IP budget's window, and how long a login's failures are remembered, seconds. */
  windowSec: number;
}
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  freeFailures: 5,
  baseDelaySec: 2,
  maxDelaySec: 15 * 60,
  perIp: 100,
  windowSec: 60 * 60,
};

/** The delay after the `failures`-th failure of a login from one client, seconds (pure). */
export function delayAfter(failures: number, limits: LoginLimits): number {
  const over = failures - limits.freeFailures;
  if (over <= 0) return 0;
  return Math.min(limits.maxDelaySec, limits.baseDelaySec * 2 ** Math.min(over - 1, 30));
}

/** Admission: 0 when admitted, else how many seconds the client must wait. */
interface Store {
  admit(pairKey: string, ipKey: string, now: number, limits: LoginLimits): Promise<number>;
  refund(pairKey: string, ipKey: string): Promise<void>;
}

// One round trip, atomic: the wait check, the pessimistic count and the next allowed time.
const ADMIT_LUA = `
local now = tonumber(ARGV[1])
local untilMs = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if untilMs > now then return math.ceil((untilMs - now) / 1000) end
local ipCount = tonumber(redis.call('GET', KEYS[2]) or '0')
if ipCount >= tonumber(ARGV[2]) then
  local ttl = redis.call('TTL', KEYS[2])
  if ttl < 1 then ttl = tonumber(ARGV[4]) end
  return ttl
end
redis.call('INCR', KEYS[2])
if redis.call('TTL', KEYS[2]) < 0 then redis.call('EXPIRE', KEYS[2], ARGV[4]) end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local over = n - tonumber(ARGV[3])
local delay = 0
if over > 0 then delay = math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) * 2 ^ math.min(over - 1, 30)) end
redis.call('HSET', KEYS[1], 'until', now + delay * 1000)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 0`;

function redisStore(redis: Redis): Store {
  return {
    async admit(pairKey, ipKey, now, l) {
      const wait = await redis.eval(
        ADMIT_LUA,
        2,
        pairKey,
        ipKey,
        now,
        l.perIp,
        l.freeFailures,
        l.windowSec,
        l.baseDelaySec,
        l.maxDelaySec,
      );
      return Number(wait);
    },
    async refund(pairKey, ipKey) {
      await redis.multi().del(pairKey).decr(ipKey).exec();
    },
  };
}

function memoryStore(): Store {
  const pairs = new Map<string, { n: number; until: number; forgetAt: number }>();
  const ips = new Map<string, { count: number; resetAt: number }>();
  return {
    async admit(pairKey, ipKey, now, l) {
      let pair = pairs.get(pairKey);
      if (!pair || pair.forgetAt <= now) pair = { n: 0, until: 0, forgetAt: 0 };
      if (pair.until > now) return Math.ceil((pair.until - now) / 1000);
      let ip = ips.get(ipKey);
      if (!ip || ip.resetAt <= now) ip = { count: 0, resetAt: now + l.windowSec * 1000 };
      if (ip.count >= l.perIp) return Math.max(1, Math.ceil((ip.resetAt - now) / 1000));
      ip.count++;
      ips.set(ipKey, ip);
      pair.n++;
      pair.until = now + delayAfter(pair.n, l) * 1000;
      pair.forgetAt = now + l.windowSec * 1000;
      pairs.set(pairKey, pair);
      return 0;
    },
    async refund(pairKey, ipKey) {
      pairs.delete(pairKey);
      const ip = ips.get(ipKey);
      if (ip && ip.count > 0) ip.count--;
    },
  };
}

const waitText = (sec: number) => (sec < 60 ? `${sec} с` : `${Math.ceil(sec / 60)} мин.`);

export function createLoginLimiter(redis: Redis | undefined, limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
  const store = redis ? redisStore(redis) : memoryStore();
  const keys = (ip: string, login: string) => ({
    // The login is hashed: it is personal data and must not sit in Redis in clear.
    pair: `zhurnal:login:pair:${sha256(`${login.trim().toLowerCase()}\n${ip}`)}`,
    ip: `zhurnal:login:ip:${ip}`,
  });
  return {
    /**
     * Runs one sign-in `attempt` for `login` from the client `ip` if the limits admit it, else
     * throws rate_limited (429 with Retry-After, seconds). A success forgets the pair's failures.
     */
    async guard<T>(ip: string, login: string, attempt: () => Promise<T>): Promise<T> {
      const k = keys(ip, login);
      const wait = await store.admit(k.pair, k.ip, Date.now(), limits);
      if (wait > 0) {
        throw new DomainError(
          "rate_limited",
          `Слишком много попыток входа. Подождите ${waitText(wait)} и попробуйте снова; если забыли пароль, обратитесь к администратору или классному руководителю.`,
          { retryAfterSec: wait },
        );
      }
      const result = await attempt();
      await store.refund(k.pair, k.ip);
      return result;
    },
  };
}
export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
