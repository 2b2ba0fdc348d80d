import type { Db } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { type AuthConfig, actorFromAccessToken } from "../journal/auth.js";

/**
 * Who the token's person is (roles, block) is read from the database, and kept for a couple of
 * seconds so that a burst of requests does not repeat the lookup. Changes made through this API
 * (block, roles, credentials, password) drop the entry at once; made elsewhere, they apply
 * within `ttlMs`.
 */
export function createActorResolver(db: Db, config: AuthConfig, ttlMs: number) {
  const cache = new Map<string, { actor: Actor; until: number }>();
  return {
    async resolve(token: string): Promise<Actor> {
      const now = Date.now();
      const hit = ttlMs > 0 ? cache.get(token) : undefined;
      if (hit && hit.until > now) return hit.actor;
      const actor = await actorFromAccessToken(db, config, token);
      if (ttlMs > 0) {
        if (cache.size > 10_000) cache.clear();
        cache.set(token, { actor, until: now + ttlMs });
      }
      return actor;
    },
    forget(personId: number) {
      for (const [token, entry] of cache) if (entry.actor.personId === personId) cache.delete(token);
    },
  };
}
export type ActorResolver = ReturnType<typeof createActorResolver>;
