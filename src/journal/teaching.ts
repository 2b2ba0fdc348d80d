import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import type { Actor } from "./actor.js";
import { isStaff } from "./actor.js";
import { audit } from "./audit.js";
import { conflict, forbidden, notFound, validation } from "./errors.js";
import { loadClass, requireSchoolWideWriter, requireTeacher } from "./roster.js";
import { id, int, parseInput } from "./validate.js";

/** The teaching load: which teacher teaches which subject to which class or subgroup (000 §3.3). */

export const createAssignmentInput = z.object({
  teacherId: id,
  subjectId: id,
  classId: id,
  subgroupId: id.nullable().optional(),
  hoursPerWeek: int(1, 12, "от 1 до 12 часов").default(2),
});

export async function createAssignment(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createAssignmentInput, input);
  requireSchoolWideWriter(
    actor,
    "Учебную нагрузку распределяет администратор журнала или заместитель директора.",
  );
  const cls = await loadClass(db, actor, data.classId);
  await requireTeacher(db, actor, data.teacherId);
  const subject = await db.subject.findUnique({ where: { id: data.subjectId } });
  if (!subject || subject.schoolId !== actor.schoolId) throw notFound("Предмет");
  const subgroupId = data.subgroupId ?? null;
  if (subgroupId) {
    const sg = await db.subgroup.findUnique({ where: { id: subgroupId } });
    if (!sg || sg.classId !== cls.id) throw validation("Подгруппа должна быть из того же класса.");
  }
  // A NULL subgroup does not take part in the unique index, so the duplicate is checked here.
  const dup = await db.teachingAssignment.findFirst({
    where: {
      yearId: cls.yearId,
      teacherId: data.teacherId,
      subjectId: subject.id,
      classId: cls.id,
      subgroupId,
    },
  });
  if (dup) throw conflict("Такая нагрузка уже есть: измените часы в ней, а не заводите вторую.");
  return db.$transaction(async (tx) => {
    const row = await tx.teachingAssignment.create({
      data: {
        yearId: cls.yearId,
        teacherId: data.teacherId,
        subjectId: subject.id,
        classId: cls.id,
        subgroupId,
        hoursPerWeek: data.hoursPerWeek,
      },
    });
    await audit(tx, actor, {
      action: "assignment.create",
      entity: "TeachingAssignment",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export const listAssignmentsInput = z.object({
  classId: id.optional(),
  teacherId: id.optional(),
  yearId: id.optional(),
});

export async function listAssignments(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const data = parseInput(listAssignmentsInput, input);
  if (!isStaff(actor)) throw forbidden("Учебную нагрузку видят сотрудники школы.");
  return db.teachingAssignment.findMany({
    where: {
      year: { schoolId: actor.schoolId },
      ...(data.classId ? { classId: data.classId } : {}),
      ...(data.teacherId ? { teacherId: data.teacherId } : {}),
      ...(data.yearId ? { yearId: data.yearId } : {}),
    },
    include: {
      subject: { select: { id: true, name: true, graded: true, doubleMarks: true } },
      class: { select: { id: true, grade: true, letter: true } },
      subgroup: { select: { id: true, name: true } },
      teacher: { select: { id: true, lastName: true, firstName: true, middleName: true } },
    },
    orderBy: [{ class: { grade: "asc" } }, { class: { letter: "asc" } }, { subject: { name: "asc" } }],
  });
}

export async function loadAssignment(db: DbOrTx, actor: Actor, assignmentId: number) {
  const a = await db.teachingAssignment.findUnique({
    where: { id: assignmentId },
    include: { year: { select: { schoolId: true, startDate: true, endDate: true } } },
  });
  if (!a || a.year.schoolId !== actor.schoolId) throw notFound("Учебная нагрузка");
  return a;
}

export const deleteAssignmentInput = z.object({ assignmentId: id });

/**
 * Removes a load entered by mistake. Lessons that already hold journal data keep it: marks are
 * never deleted, so such a load is refused.
 */
export async function deleteAssignment(db: Db, actor: Actor, input: unknown): Promise<void> {
  const { assignmentId } = parseInput(deleteAssignmentInput, input);
  requireSchoolWideWriter(
    actor,
    "Учебную нагрузку распределяет администратор журнала или заместитель директора.",
  );
  const a = await loadAssignment(db, actor, assignmentId);
  await db.$transaction(async (tx) => {
    const filled = await tx.lesson.count({
      where: {
        assignmentId,
        OR: [
          { marks: { some: {} } },
          { attendance: { some: {} } },
          // Attendance taken with everyone present leaves no rows, only the time it was taken.
          { attendanceAt: { not: null } },
          { topic: { not: null } },
          { homework: { not: null } },
        ],
      },
    });
    if (filled > 0) {
      throw conflict(
        "По этой нагрузке уже заполнен журнал (темы, отметки или посещаемость), удалить её нельзя. " +
          "Завершите её слоты расписания или назначьте замену.",
      );
    }
    await tx.teachingAssignment.delete({ where: { id: assignmentId } });
    const { year: _y, ...before } = a;
    await audit(tx, actor, {
      action: "assignment.delete",
      entity: "TeachingAssignment",
      entityId: assignmentId,
      before,
    });
  });
}
