import type { Tx } from "../db/client.js";
import type { Actor } from "./actor.js";

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number | bigint;
  before?: unknown;
  after?: unknown;
}

// Dates and BigInts become strings so the JSON columns hold exactly what was there.
const toJsonText = (value: unknown): string | null =>
  value === undefined || value === null
    ? null
    : JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

/**
 * Appends audit rows (002 §9.1.4) in the caller's transaction. One statement whatever the number
 * of rows: a 30-pupil marks column writes 30 of them on the journal's hottest path. The
 * application's clock stamps them, as the ORM did.
 */
export async function audit(tx: Tx, actor: Actor | null, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "AuditLog" ("schoolId", "actorId", action, entity, "entityId", before, after, at)
    SELECT ${actor?.schoolId ?? null}::int, ${actor?.personId ?? null}::int, a, e, i, b, f, ${new Date()}::timestamptz
    FROM unnest(${entries.map((e) => e.action)}::text[], ${entries.map((e) => e.entity)}::text[],
                ${entries.map((e) => String(e.entityId))}::text[],
                ${entries.map((e) => toJsonText(e.before))}::jsonb[],
                ${entries.map((e) => toJsonText(e.after))}::jsonb[]) WITH ORDINALITY AS t(a, e, i, b, f, n)
    ORDER BY n`;
}
