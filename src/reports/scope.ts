import type { DbOrTx } from "../db/client.js";
import { type Actor, isSchoolWide } from "../journal/actor.js";
import { forbidden, notFound } from "../journal/errors.js";

/**
 * Who reads which report: the administration (director, deputy head, admin) everything; the
 * class teacher their class's; the subject teacher the journal page of what they teach.
 */
export async function loadClassForReport(db: DbOrTx, actor: Actor, classId: number, subjectId?: number) {
  const cls = await db.class.findUnique({
    where: { id: classId },
    include: { year: true, classTeacher: true },
  });
  if (!cls || cls.year.schoolId !== actor.schoolId) throw notFound("Класс");
  if (isSchoolWide(actor) || cls.classTeacherId === actor.personId) return cls;
  if (subjectId !== undefined) {
    // The page shows the whole class: a subgroup's teacher reads their group in the journal grid.
    const teaches = await db.teachingAssignment.findFirst({
      where: { classId, subjectId, teacherId: actor.personId, subgroupId: null },
      select: { id: true },
    });
    if (teaches) return cls;
  }
  throw forbidden("Этот отчёт доступен администрации, классному руководителю и учителю предмета.");
}

export function requireAdministration(actor: Actor) {
  if (!isSchoolWide(actor))
    throw forbidden("Отчёт доступен директору, заместителю директора и администратору.");
}

export async function loadPeriod(db: DbOrTx, actor: Actor, periodId: number) {
  const period = await db.period.findUnique({ where: { id: periodId }, include: { year: true } });
  if (!period || period.year.schoolId !== actor.schoolId) throw notFound("Период");
  return period;
}

export async function loadSubject(db: DbOrTx, actor: Actor, subjectId: number) {
  const subject = await db.subject.findUnique({ where: { id: subjectId } });
  if (!subject || subject.schoolId !== actor.schoolId) throw notFound("Предмет");
  return subject;
}
