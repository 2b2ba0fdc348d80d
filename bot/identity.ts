import type { Db } from "../src/db/client.js";
import { actorsForChat } from "../src/journal/invites.js";
import type { Identity } from "./context.js";

/**
 * Who a chat is linked to (everyone: one parent may be linked in several schools), cached for a few seconds per process: a teacher tapping through a class
 * list sends several updates a second, and each would otherwise load the same person and roles.
 * Linking, unlinking and blocking in this process drop the entry at once; another process sees
 * the change within TTL_MS. Nothing here is state: a restart only empties the cache.
 */
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export function identityCache(db: Db, now: () => number = Date.now) {
  const entries = new Map<number, { at: number; value: Promise<Identity[]> }>();
  return {
    get(chatId: number): Promise<Identity[]> {
      const hit = entries.get(chatId);
      if (hit && now() - hit.at < TTL_MS) return hit.value;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const value = actorsForChat(db, chatId);
      entries.set(chatId, { at: now(), value });
      // A failed lookup is not remembered.
      value.catch(() => entries.delete(chatId));
      return value;
    },
    forget(chatId: number): void {
      entries.delete(chatId);
    },
  };
}
