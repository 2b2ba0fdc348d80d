import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import { Role } from "../generated/prisma/enums.js";
import { canActSchoolWide, canReadPupil, isClassTeacherOf } from "./access.js";
import { type Actor, hasRole, isSchoolWide, isStaff, STAFF_ROLES } from "./actor.js";
import { audit } from "./audit.js";
import { requirePersonManager } from "./credentials.js";
import { forbidden, notFound, validation } from "./errors.js";
import { openEnrolment } from "./roster-enrolment.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, int, isoDate, line, namePart, parseInput, text } from "./validate.js";

/** People, roles and guardians. Re-exported by roster.ts. */

/** A class of the actor's school (another school's answers not found). */
export async function loadClass(db: DbOrTx, actor: Actor, classId: number) {
  const cls = await db.class.findUnique({
    where: { id: classId },
    include: { year: { select: { schoolId: true, startDate: true, endDate: true, name: true } } },
  });
  if (!cls || cls.year.schoolId !== actor.schoolId) throw notFound("Класс");
  return cls;
}

export const className = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;

export async function requireTeacher(db: DbOrTx, actor: Actor, personId: number, what = "Учитель") {
  const p = await db.person.findUnique({ where: { id: personId }, include: { roles: true } });
  if (!p || p.schoolId !== actor.schoolId) throw notFound(what);
  if (!p.roles.some((r) => r.role === "TEACHER" || r.role === "TUTOR")) {
    throw validation(
      `${p.lastName} ${p.firstName} не имеет роли «учитель»: попросите администратора добавить роль.`,
    );
  }
  return p;
}

/** Full names as in documents: each part starts with a capital letter (002 §5.3). */
const name = namePart.refine((v) => v[0] === v[0]?.toUpperCase(), "с заглавной буквы");
const roles = z.array(z.enum(Role)).min(1, "укажите хотя бы одну роль");

function rolesProblem(list: readonly Role[]): string | null {
  // A pupil must never act with staff rights (001 §1.6, 002 §3.9).
  if (list.includes("PUPIL") && list.length > 1)
    return "Ученик не может иметь другие роли. Заведите отдельную учётную запись.";
  return null;
}

export const createPersonInput = z.object({
  lastName: name,
  firstName: name,
  middleName: name.optional(),
  birthDate: isoDate.optional(),
  sex: z.enum(["M", "F"]).optional(),
  email: z.email("адрес электронной почты").optional(),
  phone: z
    .string()
    .regex(/^\+?[\d ()-]{6,20}$/, "номер телефона")
    .optional(),
  roles,
  /** PUPIL: the class to enrol in. */
  classId: id.optional(),
  joinedOn: isoDate.optional(),
  joinOrder: text(40).optional(),
  /** GUARDIAN: their children. */
  wardIds: z.array(id).max(10).optional(),
  relation: text(40).optional(),
});

export async function requireClassWriter(db: DbOrTx, actor: Actor, classId: number) {
  if (canActSchoolWide(actor) || (await isClassTeacherOf(db, actor, classId))) return;
  throw forbidden(
    "Это делает классный руководитель этого класса, администратор журнала или заместитель директора.",
  );
}

/**
 * Creates a person. Staff are created by the journal admin; pupils and guardians by the class
 * teacher of the pupil's class (or the administration): a pupil is enrolled and a guardian linked
 * to their children in the same transaction.
 */
export async function createPerson(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createPersonInput, input);
  const list = [...new Set(data.roles)];
  const problem = rolesProblem(list);
  if (problem) throw validation(problem);
  if (list.some((r) => STAFF_ROLES.includes(r)) && !hasRole(actor, "ADMIN")) {
    throw forbidden("Сотрудников заводит администратор электронного журнала.");
  }
  if (list.includes("PUPIL")) {
    if (!data.classId) throw validation("Укажите класс, в который зачисляется ученик.");
    await requireClassWriter(db, actor, data.classId);
  }
  if (list.includes("GUARDIAN")) {
    if (!data.wardIds?.length)
      throw validation("Укажите ребёнка (детей) родителя: родитель привязывается к ученику.");
    for (const pupilId of data.wardIds) {
      await requirePersonManager(db, actor, pupilId, {
        family:
          "Родителя заводит классный руководитель класса его ребёнка (или администратор журнала, заместитель директора).",
      });
    }
  }
  if (!list.some((r) => STAFF_ROLES.includes(r)) && !list.includes("PUPIL") && !list.includes("GUARDIAN")) {
    throw validation("Укажите роль: сотрудник, ученик или родитель.");
  }
  const today = data.joinedOn ?? (await loadSchoolToday(db, actor.schoolId)).today;
  return db.$transaction(async (tx) => {
    const person = await tx.person.create({
      data: {
        schoolId: actor.schoolId,
        lastName: data.lastName,
        firstName: data.firstName,
        middleName: data.middleName ?? null,
        birthDate: data.birthDate ? dateOnly(data.birthDate) : null,
        sex: data.sex ?? null,
        email: data.email ?? null,
        phone: data.phone ?? null,
        roles: { create: list.map((role) => ({ role })) },
      },
      include: { roles: true },
    });
    if (list.includes("PUPIL") && data.classId) {
      await openEnrolment(tx, actor, person.id, data.classId, today, data.joinOrder);
    }
    if (list.includes("GUARDIAN") && data.wardIds) {
      await tx.guardianLink.createMany({
        data: [...new Set(data.wardIds)].map((pupilId) => ({
          guardianId: person.id,
          pupilId,
          relation: data.relation ?? null,
        })),
      });
    }
    // Personal fields stay out of the audit log: the row id and roles say what happened.
    await audit(tx, actor, {
      action: "person.create",
      entity: "Person",
      entityId: person.id,
      after: { roles: list, classId: data.classId, wardIds: data.wardIds },
    });
    return { ...person, roles: list };
  });
}

export const setRolesInput = z.object({ personId: id, roles });

export async function setRoles(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(setRolesInput, input);
  if (!hasRole(actor, "ADMIN")) throw forbidden("Роли назначает администратор электронного журнала.");
  const list = [...new Set(data.roles)];
  const problem = rolesProblem(list);
  if (problem) throw validation(problem);
  if (data.personId === actor.personId && !list.includes("ADMIN")) {
    throw validation("Нельзя снять роль администратора с самого себя: попросите другого администратора.");
  }
  const person = await db.person.findUnique({ where: { id: data.personId }, include: { roles: true } });
  if (!person || person.schoolId !== actor.schoolId) throw notFound("Пользователь");
  return db.$transaction(async (tx) => {
    await tx.personRole.deleteMany({ where: { personId: person.id } });
    await tx.personRole.createMany({ data: list.map((role) => ({ personId: person.id, role })) });
    await audit(tx, actor, {
      action: "person.roles",
      entity: "Person",
      entityId: person.id,
      before: person.roles.map((r) => r.role),
      after: list,
    });
    return { personId: person.id, roles: list };
  });
}

export const getPersonInput = z.object({ personId: id });

/**
 * A person's card. Pupils are visible to those who may read them (002 §9.1.3), guardians to
 * those who may read one of their children; staff names to everyone in the school, their
 * contacts to staff only.
 */
export async function getPerson(db: DbOrTx, actor: Actor, input: unknown) {
  const { personId } = parseInput(getPersonInput, input);
  const p = await db.person.findUnique({
    where: { id: personId },
    select: {
      id: true,
      schoolId: true,
      lastName: true,
      firstName: true,
      middleName: true,
      birthDate: true,
      sex: true,
      email: true,
      phone: true,
      login: true,
      blockedAt: true,
      roles: { select: { role: true } },
      enrolments: {
        include: { class: { select: { id: true, grade: true, letter: true } } },
        orderBy: { joinedOn: "asc" },
      },
      wards: { select: { relation: true, pupil: { select: { id: true, lastName: true, firstName: true } } } },
      guardians: {
        select: {
          relation: true,
          guardian: { select: { id: true, lastName: true, firstName: true, middleName: true } },
        },
      },
    },
  });
  if (!p || p.schoolId !== actor.schoolId) throw notFound("Пользователь");
  const roleList = p.roles.map((r) => r.role);
  const staffTarget = roleList.some((r) => STAFF_ROLES.includes(r));
  let visible = p.id === actor.personId || isSchoolWide(actor) || staffTarget;
  if (!visible && roleList.includes("PUPIL")) visible = await canReadPupil(db, actor, p.id);
  if (!visible && isStaff(actor)) {
    for (const w of p.wards) if (!visible) visible = await canReadPupil(db, actor, w.pupil.id);
  }
  if (!visible) throw notFound("Пользователь");
  const full = p.id === actor.personId || isStaff(actor);
  // A guardian's card lists only the children the reader may read (002 §9.1.3).
  let wards = p.wards;
  if (p.id !== actor.personId && !isSchoolWide(actor)) {
    const readable = await Promise.all(p.wards.map((w) => canReadPupil(db, actor, w.pupil.id)));
    wards = p.wards.filter((_, i) => readable[i]);
  }
  return {
    ...p,
    wards,
    roles: roleList,
    email: full ? p.email : null,
    phone: full ? p.phone : null,
    birthDate: full ? p.birthDate : null,
    login: p.id === actor.personId || hasRole(actor, "ADMIN") ? p.login : null,
  };
}

export const searchPeopleInput = z.object({
  query: line(60, 0).default(""),
  role: z.enum(Role).optional(),
  limit: int(1, 100).default(20),
});

/** Staff search people by surname; a teacher finds pupils and guardians of the classes they teach. */
export async function searchPeople(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const data = parseInput(searchPeopleInput, input);
  if (!isStaff(actor)) throw forbidden("Поиск людей доступен сотрудникам школы.");
  let scope = {};
  if (!isSchoolWide(actor)) {
    // Pupils the teacher teaches: the whole class they lead or teach, a subgroup's members only.
    const classes = {
      OR: [
        { classTeacherId: actor.personId },
        { assignments: { some: { teacherId: actor.personId, subgroupId: null } } },
      ],
    };
    const taught = {
      OR: [
        { enrolments: { some: { leftOn: null, class: classes } } },
        { subgroups: { some: { subgroup: { assignments: { some: { teacherId: actor.personId } } } } } },
      ],
    };
    scope = {
      OR: [
        { roles: { some: { role: { in: [...STAFF_ROLES] } } } },
        taught,
        { wards: { some: { pupil: taught } } },
      ],
    };
  }
  const rows = await db.person.findMany({
    where: {
      schoolId: actor.schoolId,
      ...(data.query ? { lastName: { startsWith: data.query, mode: "insensitive" as const } } : {}),
      ...(data.role ? { roles: { some: { role: data.role } } } : {}),
      AND: [scope],
    },
    select: {
      id: true,
      lastName: true,
      firstName: true,
      middleName: true,
      roles: { select: { role: true } },
    },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    take: data.limit,
  });
  return rows.map((r) => ({ ...r, roles: r.roles.map((x) => x.role) }));
}

export const linkGuardianInput = z.object({ guardianId: id, pupilId: id, relation: text(40).optional() });
export const unlinkGuardianInput = z.object({ guardianId: id, pupilId: id });

async function guardianPair(db: DbOrTx, actor: Actor, guardianId: number, pupilId: number) {
  const pupil = await requirePersonManager(db, actor, pupilId, {
    family:
      "Родителей к ученику привязывает классный руководитель его класса (или администратор журнала, заместитель директора).",
  });
  if (!pupil.roles.includes("PUPIL")) throw validation("Родителя привязывают к ученику.");
  const g = await db.person.findUnique({ where: { id: guardianId }, include: { roles: true } });
  if (!g || g.schoolId !== actor.schoolId) throw notFound("Родитель");
  if (!g.roles.some((r) => r.role === "GUARDIAN")) {
    throw validation("У этого человека нет роли «родитель»: попросите администратора журнала добавить роль.");
  }
}

export async function linkGuardian(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(linkGuardianInput, input);
  await guardianPair(db, actor, data.guardianId, data.pupilId);
  return db.$transaction(async (tx) => {
    const row = await tx.guardianLink.upsert({
      where: { guardianId_pupilId: { guardianId: data.guardianId, pupilId: data.pupilId } },
      create: { guardianId: data.guardianId, pupilId: data.pupilId, relation: data.relation ?? null },
      update: { relation: data.relation ?? null },
    });
    await audit(tx, actor, {
      action: "guardian.link",
      entity: "GuardianLink",
      entityId: `${data.guardianId}:${data.pupilId}`,
      after: data,
    });
    return row;
  });
}

export async function unlinkGuardian(db: Db, actor: Actor, input: unknown): Promise<void> {
  const data = parseInput(unlinkGuardianInput, input);
  await guardianPair(db, actor, data.guardianId, data.pupilId);
  await db.$transaction(async (tx) => {
    const gone = await tx.guardianLink.deleteMany({ where: data });
    if (gone.count === 0) throw notFound("Связь родителя с учеником");
    await audit(tx, actor, {
      action: "guardian.unlink",
      entity: "GuardianLink",
      entityId: `${data.guardianId}:${data.pupilId}`,
      before: data,
    });
  });
}
