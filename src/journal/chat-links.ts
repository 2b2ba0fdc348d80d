import type { Db } from "../db/client.js";
import { audit } from "./audit.js";

/**
 * A Telegram group became a supergroup: it has a new chat id (`migrate_to_chat_id`) and the old
 * one answers 400 for ever. Every active link of the old chat moves to the new one (a person
 * already linked there keeps that link, the old one ends), audited. Returns how many links moved.
 * Used by the worker when a send is answered with the new id; idempotent, so the bot's own
 * handling of the migration update may run it as well.
 */
export async function moveChat(db: Db, from: string | bigint, to: string | bigint): Promise<number> {
  const oldId = BigInt(from);
  const newId = BigInt(to);
  if (oldId === newId) return 0;
  return db.$transaction(async (tx) => {
    const links = await tx.chatLink.findMany({
      where: { chatId: oldId, active: true },
      select: { id: true, personId: true, person: { select: { schoolId: true } } },
    });
    for (const l of links) {
      const there = await tx.chatLink.findUnique({
        where: { personId_chatId: { personId: l.personId, chatId: newId } },
      });
      if (there) {
        await tx.chatLink.update({
          where: { id: there.id },
          data: { active: true, inactiveSince: null, inactiveWhy: null },
        });
        await tx.chatLink.update({
          where: { id: l.id },
          data: { active: false, inactiveSince: new Date(), inactiveWhy: "chat_not_found" },
        });
      } else {
        await tx.chatLink.update({ where: { id: l.id }, data: { chatId: newId } });
      }
      await audit(
        tx,
        { personId: l.personId, schoolId: l.person.schoolId, roles: [] },
        { action: "chat.move", entity: "ChatLink", entityId: l.id, after: { movedTo: "supergroup" } },
      );
    }
    return links.length;
  });
}
