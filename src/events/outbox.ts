import { Prisma, queryRows, type Tx } from "../db/client.js";
import { type DomainEvent, eventSchemas } from "./types.js";

/**
 * Writes a domain event in the caller's transaction: it is committed with the change or not at
 * all (transactional outbox). The relay moves committed rows to BullMQ.
 */
export async function emit(tx: Tx, schoolId: number, event: DomainEvent): Promise<bigint> {
  const payload = eventSchemas[event.type].parse(event.payload);
  // Raw SQL: every journal write emits, and the ORM's create cost more than the insert itself.
  // The application's clock stamps the row, as the ORM did.
  const [row] = await queryRows<{ id: bigint }>(
    tx,
    Prisma.sql`
    INSERT INTO "Outbox" ("schoolId", type, payload, "createdAt")
    VALUES (${schoolId}::int, ${event.type}, ${JSON.stringify(payload)}::jsonb, ${new Date()}::timestamptz)
    RETURNING id`,
  );
  return row!.id;
}
