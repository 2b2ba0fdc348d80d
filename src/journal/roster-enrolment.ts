import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.js";
import type { Actor } from "./actor.js";
import { audit } from "./audit.js";
import { conflict, notFound, validation } from "./errors.js";
import { className, loadClass, requireClassWriter } from "./roster-people.js";
import { dateOnly, id, isoDate, isoOf, parseInput, text } from "./validate.js";

/**
 * Enrolment history (002 §5.36): joining, transfer between classes and leaving, each with its
 * date and order number. A pupil is in one class at a time. Re-exported by roster.ts.
 */

const ddmmyyyy = (d: Date | string) => (typeof d === "string" ? d : isoOf(d)).split("-").reverse().join(".");

/**
 * Serialises enrolment changes of one pupil: the "one class at a time" check and the write
 * must not interleave with another transaction doing the same for that pupil.
 */
export async function lockPupil(tx: Tx, pupilId: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7301, ${pupilId}::int)`;
}

export async function openEnrolment(
  tx: Tx,
  actor: Actor,
  pupilId: number,
  classId: number,
  joinedOn: string,
  order?: string,
) {
  await lockPupil(tx, pupilId);
  const cls = await loadClass(tx, actor, classId);
  const day = dateOnly(joinedOn);
  if (day < cls.year.startDate || day > cls.year.endDate) {
    throw validation(`Дата зачисления вне учебного года ${cls.year.name} этого класса.`);
  }
  const overlap = await tx.enrolment.findFirst({
    where: { pupilId, OR: [{ leftOn: null }, { leftOn: { gt: day } }] },
    include: { class: true },
  });
  if (overlap) {
    throw conflict(
      `Ученик уже числится в ${className(overlap.class)} с ${ddmmyyyy(overlap.joinedOn)}. ` +
        "Чтобы перевести его в другой класс, оформите перевод; чтобы зачислить заново, сначала оформите выбытие.",
    );
  }
  return tx.enrolment.create({ data: { pupilId, classId, joinedOn: day, joinOrder: order ?? null } });
}

const order = text(40);

export const enrolPupilInput = z.object({ pupilId: id, classId: id, joinedOn: isoDate, order });

async function loadPupil(db: DbOrTx, actor: Actor, pupilId: number) {
  const p = await db.person.findUnique({ where: { id: pupilId }, include: { roles: true } });
  if (!p || p.schoolId !== actor.schoolId) throw notFound("Ученик");
  if (!p.roles.some((r) => r.role === "PUPIL"))
    throw validation("Этот человек не ученик: зачислять можно только учеников.");
  return p;
}

export async function enrolPupil(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(enrolPupilInput, input);
  await loadPupil(db, actor, data.pupilId);
  await loadClass(db, actor, data.classId);
  await requireClassWriter(db, actor, data.classId);
  return db.$transaction(async (tx) => {
    const row = await openEnrolment(tx, actor, data.pupilId, data.classId, data.joinedOn, data.order);
    await audit(tx, actor, { action: "enrolment.join", entity: "Enrolment", entityId: row.id, after: data });
    return row;
  });
}

/** The enrolment a pupil has on a date; later ones make the change ambiguous and are refused. */
async function enrolmentOn(tx: Tx, pupilId: number, day: Date) {
  await lockPupil(tx, pupilId);
  const current = await tx.enrolment.findFirst({
    where: { pupilId, joinedOn: { lte: day }, OR: [{ leftOn: null }, { leftOn: { gt: day } }] },
    include: { class: true },
  });
  if (!current)
    throw validation(`На ${ddmmyyyy(day)} ученик не числится ни в одном классе: сначала зачислите его.`);
  if (current.leftOn) {
    throw conflict(
      `Ученик уже выбыл из ${className(current.class)} ${ddmmyyyy(current.leftOn)}: укажите дату до выбытия.`,
    );
  }
  return current;
}

export const transferPupilInput = z.object({ pupilId: id, toClassId: id, date: isoDate, order });

/** Transfer: the current stay ends on the date and the stay in the new class starts that day. */
export async function transferPupil(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(transferPupilInput, input);
  await loadPupil(db, actor, data.pupilId);
  await loadClass(db, actor, data.toClassId);
  const day = dateOnly(data.date);
  return db.$transaction(async (tx) => {
    const current = await enrolmentOn(tx, data.pupilId, day);
    await requireClassWriter(tx, actor, current.classId);
    if (current.classId === data.toClassId) throw validation("Ученик уже учится в этом классе.");
    const closed = await tx.enrolment.update({
      where: { id: current.id },
      data: { leftOn: day, leftReason: "TRANSFERRED", leftOrder: data.order },
    });
    const opened = await openEnrolment(tx, actor, data.pupilId, data.toClassId, data.date, data.order);
    await audit(
      tx,
      actor,
      { action: "enrolment.leave", entity: "Enrolment", entityId: closed.id, before: current, after: closed },
      { action: "enrolment.join", entity: "Enrolment", entityId: opened.id, after: opened },
    );
    return { closed, opened };
  });
}

export const leavePupilInput = z.object({
  pupilId: id,
  date: isoDate,
  order,
  reason: z.enum(["LEFT", "GRADUATED"]).default("LEFT"),
});

export async function leavePupil(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(leavePupilInput, input);
  await loadPupil(db, actor, data.pupilId);
  const day = dateOnly(data.date);
  return db.$transaction(async (tx) => {
    const current = await enrolmentOn(tx, data.pupilId, day);
    await requireClassWriter(tx, actor, current.classId);
    const closed = await tx.enrolment.update({
      where: { id: current.id },
      data: { leftOn: day, leftReason: data.reason, leftOrder: data.order },
    });
    await audit(tx, actor, {
      action: "enrolment.leave",
      entity: "Enrolment",
      entityId: closed.id,
      before: current,
      after: closed,
    });
    return closed;
  });
}
