import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import { canActSchoolWide } from "./access.js";
import { type Actor, hasRole } from "./actor.js";
import { forbidden } from "./errors.js";
import { int, parseInput } from "./validate.js";

/** Reading marks by who gave them (the writes live in marks.ts). */

export const recentMarksByAuthorInput = z.object({
  limit: int(1, 50).default(10),
});

/**
 * The marks the actor gave lately, newest first: the list a teacher picks a mark to correct
 * from. Only those who put marks in the journal ask it: teachers of lessons and the deputy head
 * or journal admin, who may write to any lesson. Marks of another school never show, even if
 * the same person worked there.
 */
export async function recentMarksByAuthor(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const { limit } = parseInput(recentMarksByAuthorInput, input);
  if (!hasRole(actor, "TEACHER", "TUTOR") && !canActSchoolWide(actor)) {
    throw forbidden("Свои отметки смотрят учителя, заместитель директора и администратор журнала.");
  }
  return db.mark.findMany({
    where: { authorId: actor.personId, pupil: { schoolId: actor.schoolId } },
    // The id breaks ties: marks posted together share their time.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      value: true,
      value2: true,
      lessonId: true,
      pupilId: true,
      controlFormId: true,
      pupil: { select: { lastName: true, firstName: true } },
      lesson: { select: { date: true, subject: { select: { name: true } } } },
    },
  });
}
