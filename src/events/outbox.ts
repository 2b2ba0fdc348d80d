import type { Tx } from "../db/client.js";
import { type DomainEvent, eventSchemas } from "./types.js";

/**
 * Writes a domain event in the caller's transaction: it is committed with the change or not at
 * all (transactional outbox). The relay moves committed rows to BullMQ.
 */
export async function emit(tx: Tx, schoolId: number, event: DomainEvent): Promise<bigint> {
  const payload = eventSchemas[event.type].parse(event.payload);
  const row = await tx.outbox.create({ data: { schoolId, type: event.type, payload }, select: { id: true } });
  return row.id;
}
