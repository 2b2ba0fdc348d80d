import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import { isClassTeacherOf } from "./access.js";
import { type Actor, isSchoolWide } from "./actor.js";
import { loadSchoolClass } from "./class-guardians.js";
import { forbidden } from "./errors.js";
import { id, int, parseInput } from "./validate.js";

/**
 * What the class's families were told (002 §4.3.3): the messages sent to the class's guardians,
 * newest first, each with how many got it, read it and acknowledged it («Ознакомлен»), and how
 * many cannot get it in Telegram. Who exactly has not read: GET /messages/{id}/acknowledgements.
 */
export const classMessagesInput = z.object({
  classId: id,
  limit: int(1, 100).default(20),
});

/**
 * The class teacher sees the messages they wrote about the class; the administration sees all
 * of the class's messages. Other staff are refused.
 */
export async function classMessages(db: DbOrTx, actor: Actor, input: unknown) {
  const { classId, limit } = parseInput(classMessagesInput, input);
  await loadSchoolClass(db, actor, classId);
  const wide = isSchoolWide(actor);
  if (!wide && !(await isClassTeacherOf(db, actor, classId))) {
    throw forbidden(
      "Сообщения родителям класса видят классный руководитель этого класса и администрация школы.",
    );
  }
  const rows = await db.message.findMany({
    where: {
      schoolId: actor.schoolId,
      classId,
      replyToId: null,
      ...(wide ? {} : { authorId: actor.personId }),
    },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      kind: true,
      body: true,
      needsAck: true,
      urgent: true,
      createdAt: true,
      author: { select: { id: true, lastName: true, firstName: true, middleName: true } },
      pupil: { select: { id: true, lastName: true, firstName: true } },
      recipients: {
        select: {
          readAt: true,
          acknowledgedAt: true,
          person: { select: { chatLinks: { where: { active: true }, select: { id: true }, take: 1 } } },
        },
      },
    },
  });
  return rows.map(({ recipients, ...m }) => ({
    ...m,
    counts: {
      recipients: recipients.length,
      read: recipients.filter((r) => r.readAt || r.acknowledgedAt).length,
      acknowledged: recipients.filter((r) => r.acknowledgedAt).length,
      notLinked: recipients.filter((r) => r.person.chatLinks.length === 0).length,
    },
  }));
}
