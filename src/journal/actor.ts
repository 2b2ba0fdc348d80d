import type { Role } from "../generated/prisma/enums.js";

/** Who is acting: every service takes one and checks it. */
export interface Actor {
  personId: number;
  schoolId: number;
  roles: readonly Role[];
}

/** Roles that act school-wide on the journal (002 §4.5, 003 §4.4). */
export const SCHOOL_WIDE: readonly Role[] = ["ADMIN", "DIRECTOR", "DEPUTY"];
/** Roles that may correct a locked mark (003 §7). */
export const CORRECTORS: readonly Role[] = ["ADMIN", "DEPUTY"];
export const STAFF_ROLES: readonly Role[] = ["ADMIN", "DIRECTOR", "DEPUTY", "TEACHER", "TUTOR", "STAFF"];

export const hasRole = (actor: Actor, ...roles: readonly Role[]) =>
  roles.some((r) => actor.roles.includes(r));
export const isSchoolWide = (actor: Actor) => hasRole(actor, ...SCHOOL_WIDE);
export const isStaff = (actor: Actor) => hasRole(actor, ...STAFF_ROLES);
