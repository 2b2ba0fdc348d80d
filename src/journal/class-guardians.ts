import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import { isClassTeacherOf } from "./access.js";
import { type Actor, isSchoolWide, STAFF_ROLES } from "./actor.js";
import { forbidden, notFound } from "./errors.js";
import { bySurname } from "./lesson-pupils.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, parseInput } from "./validate.js";

/**
 * The class teacher's view of who in the class's families can be reached, and how (002 §4.3.10,
 * 004 §5.2: the class teacher follows which guardians actually use the system).
 */

/** How a guardian gets the journal's alerts: a linked Telegram chat, e-mail alerts, or nothing. */
export type LinkStatus = "telegram" | "email" | "none";

/** A person's reach: Telegram wins over e-mail, which counts only with an address and alerts on. */
export function linkStatus(p: { telegram: boolean; hasEmail: boolean; emailAlerts: boolean }): LinkStatus {
  if (p.telegram) return "telegram";
  if (p.hasEmail && p.emailAlerts) return "email";
  return "none";
}

export interface ClassGuardian {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  relation: string | null;
  status: LinkStatus;
  telegram: boolean;
  hasEmail: boolean;
  emailAlerts: boolean;
  blocked: boolean;
  /** Holds a staff role: only the journal admin issues their codes (credentials.ts). */
  staff: boolean;
  /** An unused code issued earlier is still valid until then; null — none. */
  inviteExpiresAt: Date | null;
}

export interface ClassFamily {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  guardians: ClassGuardian[];
}

export const classGuardiansInput = z.object({ classId: id });

/** The class in the actor's school, or 404: another school's class does not exist for them. */
export async function loadSchoolClass(db: DbOrTx, actor: Actor, classId: number) {
  const cls = await db.class.findUnique({
    where: { id: classId },
    select: {
      id: true,
      grade: true,
      letter: true,
      classTeacherId: true,
      year: { select: { schoolId: true } },
    },
  });
  if (!cls || cls.year.schoolId !== actor.schoolId) throw notFound("Класс");
  return { id: cls.id, grade: cls.grade, letter: cls.letter, name: `${cls.grade}${cls.letter}` };
}

/**
 * The pupils in the class today, each with their guardians and how each guardian is reached.
 * Guardians appear under every child of theirs in the class.
 */
export async function loadClassFamilies(
  db: DbOrTx,
  schoolId: number,
  classId: number,
): Promise<ClassFamily[]> {
  const { today } = await loadSchoolToday(db, schoolId);
  const day = dateOnly(today);
  const now = new Date();
  const rows = await db.enrolment.findMany({
    where: { classId, joinedOn: { lte: day }, OR: [{ leftOn: null }, { leftOn: { gt: day } }] },
    select: {
      pupil: {
        select: {
          id: true,
          lastName: true,
          firstName: true,
          middleName: true,
          guardians: {
            select: {
              relation: true,
              guardian: {
                select: {
                  id: true,
                  lastName: true,
                  firstName: true,
                  middleName: true,
                  email: true,
                  blockedAt: true,
                  roles: { select: { role: true } },
                  preferences: { select: { email: true } },
                  chatLinks: { where: { active: true }, select: { id: true }, take: 1 },
                  invites: {
                    where: { usedAt: null, expiresAt: { gt: now } },
                    select: { expiresAt: true },
                    orderBy: { expiresAt: "desc" },
                    take: 1,
                  },
                },
              },
            },
          },
        },
      },
    },
  });
  return rows
    .map(({ pupil: { guardians, ...p } }) => ({
      ...p,
      guardians: guardians
        .map(({ relation, guardian: g }) => {
          const reach = {
            telegram: g.chatLinks.length > 0,
            hasEmail: Boolean(g.email),
            emailAlerts: g.preferences?.email ?? false,
          };
          return {
            id: g.id,
            lastName: g.lastName,
            firstName: g.firstName,
            middleName: g.middleName,
            relation,
            status: linkStatus(reach),
            ...reach,
            blocked: g.blockedAt !== null,
            staff: g.roles.some((r) => STAFF_ROLES.includes(r.role)),
            inviteExpiresAt: g.invites[0]?.expiresAt ?? null,
          };
        })
        .sort(bySurname),
    }))
    .sort(bySurname);
}

/**
 * The class list with each guardian's link status: for the class teacher of this class and the
 * school's administration; other staff are refused.
 */
export async function classGuardians(db: DbOrTx, actor: Actor, input: unknown) {
  const { classId } = parseInput(classGuardiansInput, input);
  const cls = await loadSchoolClass(db, actor, classId);
  if (!isSchoolWide(actor) && !(await isClassTeacherOf(db, actor, classId))) {
    throw forbidden(
      "Список родителей класса видят классный руководитель этого класса и администрация школы.",
    );
  }
  const pupils = await loadClassFamilies(db, actor.schoolId, classId);
  const seen = new Map<number, LinkStatus>();
  for (const p of pupils) for (const g of p.guardians) seen.set(g.id, g.status);
  const statuses = [...seen.values()];
  return {
    class: { id: cls.id, name: cls.name },
    pupils,
    totals: {
      guardians: seen.size,
      telegram: statuses.filter((s) => s === "telegram").length,
      email: statuses.filter((s) => s === "email").length,
      none: statuses.filter((s) => s === "none").length,
    },
  };
}
export type ClassGuardians = Awaited<ReturnType<typeof classGuardians>>;
