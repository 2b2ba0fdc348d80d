import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { z } from "zod";
import { type Db, type DbOrTx, isUniqueViolation } from "../db/client.js";
import type { Role } from "../generated/prisma/enums.js";
import { type Actor, hasRole, STAFF_ROLES } from "./actor.js";
import { audit } from "./audit.js";
import { conflict, DomainError, forbidden, notFound, validation } from "./errors.js";
import { enrolledOn } from "./membership.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, parseInput, secret } from "./validate.js";

/**
 * Logins and passwords (003 §4.1, 4.5). Staff get them from the journal admin; pupils and
 * guardians from the class teacher of the pupil's class (001 §1.6, 002 §3.9).
 */

export const PASSWORD_MIN = 8;

export const hashPassword = (password: string) => argonHash(password);
export const verifyPassword = (hash: string, password: string) =>
  argonVerify(hash, password).catch(() => false);

export const passwordSchema = secret(200).refine(
  (v) => v.length >= PASSWORD_MIN,
  `не короче ${PASSWORD_MIN} символов`,
);
export const loginSchema = z
  .string()
  .trim()
  .min(3, "не короче 3 символов")
  .max(64, "не длиннее 64 символов")
  .regex(/^[A-Za-z0-9._@-]+$/, "латинские буквы, цифры и символы . _ @ -");

export const setCredentialsInput = z.object({ personId: id, login: loginSchema, password: passwordSchema });
export const changePasswordInput = z.object({
  oldPassword: secret(200, "укажите текущий пароль"),
  newPassword: passwordSchema,
  /** Users may change their login too (003 §4.1). */
  login: loginSchema.optional(),
});
export const blockPersonInput = z.object({ personId: id, blocked: z.boolean().default(true) });

const STAFF_ONLY = "Учётные данные и коды приглашения сотрудникам выдаёт администратор электронного журнала.";
const CLASS_ONLY =
  "Ученикам и родителям учётные данные и коды приглашения выдаёт классный руководитель класса ученика " +
  "(или администратор журнала, заместитель директора).";

export interface ManagedPerson {
  id: number;
  schoolId: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  login: string | null;
  blockedAt: Date | null;
  roles: Role[];
}

/** Classes a pupil is in today; for a guardian, the classes of all their children. */
async function currentClassIds(db: DbOrTx, schoolId: number, personId: number): Promise<number[]> {
  const { today } = await loadSchoolToday(db, schoolId);
  const day = dateOnly(today);
  const rows = await db.enrolment.findMany({
    where: {
      AND: [
        { OR: [{ pupilId: personId }, { pupil: { guardians: { some: { guardianId: personId } } } }] },
        enrolledOn(day),
      ],
    },
    select: { classId: true },
  });
  return [...new Set(rows.map((r) => r.classId))];
}

/**
 * Who may give a person credentials or an invite code: the journal admin for anyone with a
 * staff role; for pupils and guardians also the deputy head and the class teacher of the
 * pupil's class (a guardian's class is any of their children's classes).
 */
export async function requirePersonManager(
  db: DbOrTx,
  actor: Actor,
  personId: number,
  refusals: { staff?: string; family?: string } = {},
): Promise<ManagedPerson> {
  const row = await db.person.findUnique({
    where: { id: personId },
    select: {
      id: true,
      schoolId: true,
      lastName: true,
      firstName: true,
      middleName: true,
      login: true,
      blockedAt: true,
      roles: { select: { role: true } },
    },
  });
  if (!row || row.schoolId !== actor.schoolId) throw notFound("Пользователь");
  const person = { ...row, roles: row.roles.map((r) => r.role) };
  if (person.roles.some((r) => STAFF_ROLES.includes(r))) {
    if (!hasRole(actor, "ADMIN")) throw forbidden(refusals.staff ?? STAFF_ONLY);
    return person;
  }
  if (hasRole(actor, "ADMIN", "DEPUTY")) return person;
  const classIds = await currentClassIds(db, actor.schoolId, personId);
  if (classIds.length > 0) {
    const led = await db.class.count({ where: { id: { in: classIds }, classTeacherId: actor.personId } });
    if (led > 0) return person;
  }
  throw forbidden(refusals.family ?? CLASS_ONLY);
}

const loginTaken = () => conflict("Этот логин уже занят. Выберите другой логин.");

async function saveLogin<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e)) throw loginTaken();
    throw e;
  }
}

/** Sets a person's login and password; their earlier sessions end. */
export async function setCredentials(
  db: Db,
  actor: Actor,
  input: unknown,
): Promise<{ personId: number; login: string }> {
  const data = parseInput(setCredentialsInput, input);
  const person = await requirePersonManager(db, actor, data.personId);
  const taken = await db.person.findFirst({
    where: { login: data.login, id: { not: person.id } },
    select: { id: true },
  });
  if (taken) throw loginTaken();
  const passwordHash = await hashPassword(data.password);
  await saveLogin(() =>
    db.$transaction(async (tx) => {
      await tx.person.update({ where: { id: person.id }, data: { login: data.login, passwordHash } });
      await tx.refreshToken.updateMany({
        where: { personId: person.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      // The password itself never goes to the audit log, only the fact that it was set.
      await audit(tx, actor, {
        action: "credentials.set",
        entity: "Person",
        entityId: person.id,
        before: { login: person.login },
        after: { login: data.login, passwordChanged: true },
      });
    }),
  );
  return { personId: person.id, login: data.login };
}

/** The user's own password (and optionally login) change; the current password is required. */
export async function changePassword(db: Db, actor: Actor, input: unknown): Promise<{ login: string }> {
  const data = parseInput(changePasswordInput, input);
  const me = await db.person.findUnique({
    where: { id: actor.personId },
    select: { id: true, schoolId: true, login: true, passwordHash: true, blockedAt: true },
  });
  if (!me || me.schoolId !== actor.schoolId) throw notFound("Пользователь");
  if (me.blockedAt) throw forbidden("Учётная запись заблокирована. Обратитесь к администратору журнала.");
  if (!me.passwordHash || !me.login) {
    throw validation(
      "У вас ещё нет пароля. Получите логин и пароль у классного руководителя или администратора.",
    );
  }
  if (!(await verifyPassword(me.passwordHash, data.oldPassword))) {
    throw new DomainError("unauthorized", "Текущий пароль указан неверно. Проверьте раскладку и Caps Lock.");
  }
  if (data.oldPassword === data.newPassword)
    throw validation("Новый пароль совпадает с текущим. Придумайте другой.");
  const newLogin = data.login ?? me.login;
  if (newLogin !== me.login) {
    const taken = await db.person.findFirst({ where: { login: newLogin }, select: { id: true } });
    if (taken) throw loginTaken();
  }
  const passwordHash = await hashPassword(data.newPassword);
  await saveLogin(() =>
    db.$transaction(async (tx) => {
      await tx.person.update({ where: { id: me.id }, data: { login: newLogin, passwordHash } });
      await audit(tx, actor, {
        action: "credentials.change",
        entity: "Person",
        entityId: me.id,
        before: { login: me.login },
        after: { login: newLogin, passwordChanged: true },
      });
    }),
  );
  return { login: newLogin };
}

/**
 * Blocks (or unblocks) a person: sign-in, the API and the bot stop answering them at once;
 * refresh tokens are revoked. Only the journal admin, and never themself.
 */
export async function blockPerson(
  db: Db,
  actor: Actor,
  input: unknown,
): Promise<{ personId: number; blockedAt: Date | null }> {
  const data = parseInput(blockPersonInput, input);
  if (!hasRole(actor, "ADMIN"))
    throw forbidden("Блокировать пользователей может только администратор электронного журнала.");
  if (data.personId === actor.personId)
    throw validation("Нельзя заблокировать самого себя. Попросите другого администратора.");
  const person = await db.person.findUnique({
    where: { id: data.personId },
    select: { id: true, schoolId: true, blockedAt: true },
  });
  if (!person || person.schoolId !== actor.schoolId) throw notFound("Пользователь");
  const blockedAt = data.blocked ? (person.blockedAt ?? new Date()) : null;
  await db.$transaction(async (tx) => {
    await tx.person.update({ where: { id: person.id }, data: { blockedAt } });
    if (data.blocked) {
      await tx.refreshToken.updateMany({
        where: { personId: person.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
    }
    await audit(tx, actor, {
      action: data.blocked ? "person.block" : "person.unblock",
      entity: "Person",
      entityId: person.id,
      before: { blockedAt: person.blockedAt },
      after: { blockedAt },
    });
  });
  return { personId: person.id, blockedAt };
}
