import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import { canActSchoolWide, isClassTeacherOf } from "./access.js";
import { type Actor, hasRole, isSchoolWide, isStaff } from "./actor.js";
import { audit } from "./audit.js";
import { conflict, forbidden, notFound, validation } from "./errors.js";
import { bySurname } from "./lesson-pupils.js";
import { enrolledOn, memberOn } from "./membership.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { currentYear } from "./schools.js";
import { dateOnly, id, int, isoDate, parseInput, text } from "./validate.js";

/**
 * Classes, subgroups, subjects and control forms (000 §3.3, 002 §5.1). People and enrolments
 * live in roster-people.ts and are re-exported here.
 */
export * from "./roster-enrolment.js";
export * from "./roster-people.js";

import { className, loadClass, requireTeacher } from "./roster-people.js";

const ADMIN_ONLY = "Это настраивает администратор журнала или заместитель директора.";

export function requireSchoolWideWriter(actor: Actor, message = ADMIN_ONLY) {
  if (!canActSchoolWide(actor)) throw forbidden(message);
}

const letter = z
  .string()
  .trim()
  .regex(/^[А-ЯЁ]{1,2}$/, "заглавная русская буква, например А");

export const createClassInput = z.object({
  yearId: id,
  grade: int(1, 11, "от 1 до 11"),
  letter,
  classTeacherId: id.nullable().optional(),
});

export async function createClass(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createClassInput, input);
  requireSchoolWideWriter(actor, "Классы создаёт администратор журнала или заместитель директора.");
  const year = await db.academicYear.findUnique({ where: { id: data.yearId } });
  if (!year || year.schoolId !== actor.schoolId) throw notFound("Учебный год");
  if (data.classTeacherId) await requireTeacher(db, actor, data.classTeacherId, "Классный руководитель");
  const dup = await db.class.findFirst({
    where: { yearId: year.id, grade: data.grade, letter: data.letter },
  });
  if (dup) throw conflict(`Класс ${data.grade}${data.letter} в ${year.name} уже есть.`);
  return db.$transaction(async (tx) => {
    const cls = await tx.class.create({ data });
    await audit(tx, actor, { action: "class.create", entity: "Class", entityId: cls.id, after: data });
    return cls;
  });
}

export const updateClassInput = z.object({
  classId: id,
  letter: letter.optional(),
  classTeacherId: id.nullable().optional(),
});

/** Renames a class or appoints its class teacher. */
export async function updateClass(db: Db, actor: Actor, input: unknown) {
  const { classId, ...data } = parseInput(updateClassInput, input);
  requireSchoolWideWriter(
    actor,
    "Классного руководителя назначает администратор журнала или заместитель директора.",
  );
  const cls = await loadClass(db, actor, classId);
  if (data.classTeacherId) await requireTeacher(db, actor, data.classTeacherId, "Классный руководитель");
  if (data.letter && data.letter !== cls.letter) {
    const dup = await db.class.findFirst({
      where: { yearId: cls.yearId, grade: cls.grade, letter: data.letter },
    });
    if (dup) throw conflict(`Класс ${cls.grade}${data.letter} уже есть.`);
  }
  return db.$transaction(async (tx) => {
    const after = await tx.class.update({ where: { id: classId }, data });
    await audit(tx, actor, {
      action: "class.update",
      entity: "Class",
      entityId: classId,
      before: { letter: cls.letter, classTeacherId: cls.classTeacherId },
      after: data,
    });
    return after;
  });
}

export const listClassesInput = z.object({ yearId: id.optional() });

export async function listClasses(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const { yearId } = parseInput(listClassesInput, input);
  const year = yearId
    ? await db.academicYear.findUnique({ where: { id: yearId } })
    : await currentYear(db, actor.schoolId);
  if (!year || year.schoolId !== actor.schoolId) throw notFound("Учебный год");
  const rows = await db.class.findMany({
    where: { yearId: year.id },
    include: {
      classTeacher: { select: { id: true, lastName: true, firstName: true, middleName: true } },
      subgroups: { select: { id: true, name: true }, orderBy: { name: "asc" } },
    },
    orderBy: [{ grade: "asc" }, { letter: "asc" }],
  });
  return rows.map((c) => ({ ...c, name: className(c) }));
}

export const classesLedInput = z.object({ date: isoDate.optional() });

/**
 * The classes the actor leads as class teacher in the year that holds the date (default today),
 * by grade and letter. Asked by staff only; a class teacher is appointed among teachers, so staff
 * without the teacher role (or who lost it) lead none.
 */
export async function classesLed(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const data = parseInput(classesLedInput, input);
  if (!isStaff(actor)) throw forbidden("Классное руководство смотрят сотрудники школы.");
  if (!hasRole(actor, "TEACHER", "TUTOR")) return [];
  const day = dateOnly(data.date ?? (await loadSchoolToday(db, actor.schoolId)).today);
  const rows = await db.class.findMany({
    where: {
      classTeacherId: actor.personId,
      year: { schoolId: actor.schoolId, startDate: { lte: day }, endDate: { gte: day } },
    },
    orderBy: [{ grade: "asc" }, { letter: "asc" }],
    select: { id: true, grade: true, letter: true },
  });
  return rows.map((c) => ({ ...c, name: className(c) }));
}

/** Subgroups are split by the class teacher or the administration; members also by its teacher. */
async function requireSubgroupEditor(db: DbOrTx, actor: Actor, classId: number, subgroupId?: number) {
  if (canActSchoolWide(actor) || (await isClassTeacherOf(db, actor, classId))) return;
  if (subgroupId) {
    const teaches = await db.teachingAssignment.count({ where: { subgroupId, teacherId: actor.personId } });
    if (teaches > 0) return;
  }
  throw forbidden(
    "Подгруппы класса делит классный руководитель, учитель подгруппы или заместитель директора.",
  );
}

export const createSubgroupInput = z.object({ classId: id, name: text(40) });

export async function createSubgroup(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createSubgroupInput, input);
  await loadClass(db, actor, data.classId);
  await requireSubgroupEditor(db, actor, data.classId);
  if (await db.subgroup.findFirst({ where: data }))
    throw conflict(`Подгруппа «${data.name}» в этом классе уже есть.`);
  return db.$transaction(async (tx) => {
    const row = await tx.subgroup.create({ data });
    await audit(tx, actor, { action: "subgroup.create", entity: "Subgroup", entityId: row.id, after: data });
    return row;
  });
}

export const setSubgroupMembersInput = z.object({
  subgroupId: id,
  pupilIds: z.array(id).max(60),
  /** The day the membership is checked against the class list; default today. */
  date: isoDate.optional(),
});

/**
 * Sets a subgroup's members from `date` on (default today); every member must be enrolled in the
 * class then. Membership keeps its history like enrolment: a pupil who leaves gets leftOn = date,
 * one who joins a new row from that date, so lessons before it keep the pupils they had. The
 * subgroup's first composition dates from its start (joinedOn null): lessons already generated
 * for it get their pupils.
 */
export async function setSubgroupMembers(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(setSubgroupMembersInput, input);
  const sg = await db.subgroup.findUnique({ where: { id: data.subgroupId } });
  if (!sg) throw notFound("Подгруппа");
  await loadClass(db, actor, sg.classId).catch(() => {
    throw notFound("Подгруппа");
  });
  await requireSubgroupEditor(db, actor, sg.classId, sg.id);
  const ids = [...new Set(data.pupilIds)];
  const date = dateOnly(data.date ?? (await loadSchoolToday(db, actor.schoolId)).today);
  const enrolled = await db.enrolment.findMany({
    where: { classId: sg.classId, pupilId: { in: ids }, ...enrolledOn(date) },
    select: { pupilId: true },
  });
  if (enrolled.length !== ids.length) {
    const ok = new Set(enrolled.map((e) => e.pupilId));
    throw validation("В подгруппу можно включить только учеников этого класса.", {
      pupilIds: ids.filter((i) => !ok.has(i)),
    });
  }
  return db.$transaction(async (tx) => {
    const ever = await tx.subgroupMember.count({ where: { subgroupId: sg.id } });
    const current = await tx.subgroupMember.findMany({
      where: { subgroupId: sg.id, ...memberOn(date) },
      select: { id: true, pupilId: true, joinedOn: true },
    });
    const wanted = new Set(ids);
    const had = new Set(current.map((m) => m.pupilId));
    const leaving = current.filter((m) => !wanted.has(m.pupilId));
    // A stay that would end the day it began never was: it goes; the others end on `date`.
    const never = leaving.filter((m) => m.joinedOn !== null && m.joinedOn.getTime() >= date.getTime());
    await tx.subgroupMember.deleteMany({ where: { id: { in: never.map((m) => m.id) } } });
    await tx.subgroupMember.updateMany({
      where: { id: { in: leaving.filter((m) => !never.includes(m)).map((m) => m.id) } },
      data: { leftOn: date },
    });
    await tx.subgroupMember.createMany({
      data: ids
        .filter((pupilId) => !had.has(pupilId))
        .map((pupilId) => ({ subgroupId: sg.id, pupilId, joinedOn: ever === 0 ? null : date })),
    });
    await audit(tx, actor, {
      action: "subgroup.members",
      entity: "Subgroup",
      entityId: sg.id,
      before: current.map((b) => b.pupilId),
      after: ids,
    });
    return { subgroupId: sg.id, pupilIds: ids };
  });
}

/** Subject names are written as in the curriculum, with a capital letter (002 §5.1). */
export function subjectNameProblem(name: string): string | null {
  const first = name.trim()[0] ?? "";
  if (first !== first.toUpperCase()) {
    const fixed = first.toUpperCase() + name.trim().slice(1);
    return `Название предмета пишется с заглавной буквы, как в учебном плане: «${fixed}».`;
  }
  return null;
}

export const createSubjectInput = z.object({
  name: text(100),
  graded: z.boolean().default(true),
  doubleMarks: z.boolean().default(false),
});

export async function createSubject(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createSubjectInput, input);
  requireSchoolWideWriter(
    actor,
    "Предметы учебного плана заводит администратор журнала или заместитель директора.",
  );
  const problem = subjectNameProblem(data.name);
  if (problem) throw validation(problem, { fields: { name: problem } });
  if (!data.graded && data.doubleMarks)
    throw validation("В безотметочном предмете не бывает двойных отметок.");
  if (await db.subject.findFirst({ where: { schoolId: actor.schoolId, name: data.name } })) {
    throw conflict(`Предмет «${data.name}» уже есть.`);
  }
  return db.$transaction(async (tx) => {
    const row = await tx.subject.create({ data: { ...data, schoolId: actor.schoolId } });
    await audit(tx, actor, { action: "subject.create", entity: "Subject", entityId: row.id, after: data });
    return row;
  });
}

export const createControlFormInput = z.object({
  name: text(100),
  weight: int(1, 10, "вес от 1 до 10"),
  isControlWork: z.boolean().default(false),
  isWritten: z.boolean().default(false),
});

export async function createControlForm(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createControlFormInput, input);
  requireSchoolWideWriter(
    actor,
    "Формы контроля и их веса задаёт администратор журнала или заместитель директора.",
  );
  const problem = subjectNameProblem(data.name);
  if (problem) throw validation(problem.replace("предмета", "формы контроля"));
  if (await db.controlForm.findFirst({ where: { schoolId: actor.schoolId, name: data.name } })) {
    throw conflict(`Форма контроля «${data.name}» уже есть.`);
  }
  return db.$transaction(async (tx) => {
    const row = await tx.controlForm.create({ data: { ...data, schoolId: actor.schoolId } });
    await audit(tx, actor, {
      action: "control_form.create",
      entity: "ControlForm",
      entityId: row.id,
      after: data,
    });
    return row;
  });
}

export const listSubjects = (db: DbOrTx, actor: Actor, _input?: unknown) =>
  db.subject.findMany({ where: { schoolId: actor.schoolId }, orderBy: { name: "asc" } });

export const listControlForms = (db: DbOrTx, actor: Actor, _input?: unknown) =>
  db.controlForm.findMany({
    where: { schoolId: actor.schoolId },
    orderBy: [{ weight: "asc" }, { name: "asc" }],
  });

export const classPupilsInput = z.object({ classId: id, date: isoDate.optional() });

/**
 * The class list on a date (default today), by surname. Visible to the staff who teach or lead
 * the class and to the administration (002 §9.1.3).
 */
export async function classPupils(db: DbOrTx, actor: Actor, input: unknown) {
  const data = parseInput(classPupilsInput, input);
  const cls = await loadClass(db, actor, data.classId);
  const teaches =
    isSchoolWide(actor) ||
    cls.classTeacherId === actor.personId ||
    (isStaff(actor) &&
      (await db.teachingAssignment.count({ where: { classId: cls.id, teacherId: actor.personId } })) > 0);
  if (!teaches)
    throw forbidden("Список класса видят учителя этого класса, классный руководитель и администрация.");
  const date = dateOnly(data.date ?? (await loadSchoolToday(db, actor.schoolId)).today);
  const rows = await db.enrolment.findMany({
    where: { classId: cls.id, ...enrolledOn(date) },
    select: {
      joinedOn: true,
      joinOrder: true,
      pupil: {
        select: {
          id: true,
          lastName: true,
          firstName: true,
          middleName: true,
          birthDate: true,
          sex: true,
          subgroups: {
            where: { subgroup: { classId: cls.id }, ...memberOn(date) },
            select: { subgroupId: true },
          },
        },
      },
    },
  });
  return rows
    .map(({ pupil: { subgroups, ...p }, joinedOn, joinOrder }) => ({
      ...p,
      joinedOn,
      joinOrder,
      subgroupIds: subgroups.map((s) => s.subgroupId),
    }))
    .sort(bySurname);
}
