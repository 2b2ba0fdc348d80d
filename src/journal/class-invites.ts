import { z } from "zod";
import type { Db } from "../db/client.js";
import { requireClassTeacher } from "./access.js";
import { type Actor, hasRole } from "./actor.js";
import { type ClassGuardian, loadClassFamilies, loadSchoolClass } from "./class-guardians.js";
import { validation } from "./errors.js";
import { inviteExpiry, writeInvites } from "./invites.js";
import { bySurname } from "./lesson-pupils.js";
import { id, parseInput } from "./validate.js";

/**
 * Invite codes for a whole class at once: one code per guardian who has no Telegram chat linked,
 * for the printed slips the class teacher hands out at a parents' meeting.
 */

export const classInvitesInput = z.object({
  classId: id,
  /** Only these guardians of the class (linked or not: a lost phone needs a new code). */
  guardianIds: z.array(id).min(1, "укажите хотя бы одного родителя").max(200).optional(),
});

export type SkipWhy = "blocked" | "staff";

export interface ClassInvite {
  guardian: Pick<ClassGuardian, "id" | "lastName" | "firstName" | "middleName">;
  /** The guardian's children in this class, by surname. */
  children: { id: number; lastName: string; firstName: string; middleName: string | null }[];
  code: string;
}

const person = (p: { id: number; lastName: string; firstName: string; middleName: string | null }) => ({
  id: p.id,
  lastName: p.lastName,
  firstName: p.firstName,
  middleName: p.middleName,
});

/**
 * Issues the codes in one transaction (each guardian's earlier unused codes stop working) and
 * returns them with each guardian's children. For the class teacher of the class, the deputy head
 * and the journal admin, as for a single code (credentials.ts). Blocked guardians are skipped, and
 * so are guardians who are also staff unless the actor is the journal admin (staff get their codes
 * from the admin); both are listed in `skipped`.
 */
export async function issueClassInvites(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(classInvitesInput, input);
  await requireClassTeacher(db, actor, data.classId);
  const cls = await loadSchoolClass(db, actor, data.classId);
  const families = await loadClassFamilies(db, actor.schoolId, data.classId);
  const byGuardian = new Map<number, { guardian: ClassGuardian; children: ClassInvite["children"] }>();
  for (const { guardians, ...pupil } of families) {
    for (const g of guardians) {
      const entry = byGuardian.get(g.id) ?? { guardian: g, children: [] };
      entry.children.push(person(pupil));
      byGuardian.set(g.id, entry);
    }
  }
  if (data.guardianIds) {
    const foreign = data.guardianIds.filter((g) => !byGuardian.has(g));
    if (foreign.length) {
      throw validation("guardianIds: это не родители учеников этого класса.", {
        fields: { guardianIds: "не родители учеников класса" },
        guardianIds: foreign,
      });
    }
  }
  const wanted = data.guardianIds
    ? data.guardianIds.map((g) => byGuardian.get(g)!)
    : [...byGuardian.values()].filter((e) => !e.guardian.telegram);
  const skipped: { guardian: ClassInvite["guardian"]; why: SkipWhy }[] = [];
  const chosen = wanted.filter(({ guardian: g }) => {
    const why: SkipWhy | null = g.blocked ? "blocked" : g.staff && !hasRole(actor, "ADMIN") ? "staff" : null;
    if (why) skipped.push({ guardian: person(g), why });
    return why === null;
  });
  const expiresAt = await inviteExpiry(db, actor.schoolId);
  const codes = await db.$transaction((tx) =>
    writeInvites(
      tx,
      actor,
      chosen.map((e) => e.guardian.id),
      expiresAt,
    ),
  );
  const invites: ClassInvite[] = chosen
    .map((e) => ({ guardian: person(e.guardian), children: e.children, code: codes.get(e.guardian.id)! }))
    // Slips are cut and handed out child by child: ordered by the first child's surname.
    .sort((a, b) => bySurname(a.children[0]!, b.children[0]!) || bySurname(a.guardian, b.guardian));
  return { class: { id: cls.id, name: cls.name }, expiresAt, invites, skipped };
}
export type ClassInvites = Awaited<ReturnType<typeof issueClassInvites>>;
