import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import { emit } from "../events/outbox.js";
import { canActSchoolWide, isClassTeacherOf } from "./access.js";
import { type Actor, hasRole, isSchoolWide, isStaff, STAFF_ROLES } from "./actor.js";
import { audit } from "./audit.js";
import { forbidden, notFound, validation } from "./errors.js";
import { enrolledOn } from "./membership.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, parseInput, text } from "./validate.js";

/**
 * Messages between school and families (000 §4.3, 002 §10.5, 003 §5.3): class announcements,
 * a teacher's remark or praise to a pupil's guardians, guardians writing to their child's
 * teachers, replies in threads, school announcements.
 */
export {
  ackStatus,
  ackStatusInput,
  inbox,
  inboxInput,
  markRead,
  thread,
  threadInput,
} from "./messages-read.js";

export const sendMessageInput = z.object({
  kind: z.enum(["DIRECT", "CLASS", "SCHOOL", "REMARK", "PRAISE"]),
  classId: id.optional(),
  pupilId: id.optional(),
  recipientIds: z.array(id).min(1).max(50).optional(),
  body: text(4000),
  needsAck: z.boolean().default(false),
  urgent: z.boolean().default(false),
  replyToId: id.optional(),
});
type SendInput = z.infer<typeof sendMessageInput>;

interface Plan {
  kind: SendInput["kind"];
  classId: number | null;
  pupilId: number | null;
  recipientIds: number[];
}

/** The classes a pupil is in today. */
async function pupilClassIds(db: DbOrTx, pupilId: number, day: Date): Promise<number[]> {
  const rows = await db.enrolment.findMany({
    where: { pupilId, ...enrolledOn(day) },
    select: { classId: true },
  });
  return rows.map((r) => r.classId);
}

/** The class teacher and the subject teachers of a pupil's current class. */
async function teachersOf(db: DbOrTx, pupilId: number, day: Date): Promise<Set<number>> {
  const classIds = await pupilClassIds(db, pupilId, day);
  const classes = await db.class.findMany({
    where: { id: { in: classIds } },
    select: { classTeacherId: true, assignments: { select: { teacherId: true } } },
  });
  const ids = new Set<number>();
  for (const c of classes) {
    if (c.classTeacherId) ids.add(c.classTeacherId);
    for (const a of c.assignments) ids.add(a.teacherId);
  }
  return ids;
}

async function guardiansOfPupil(db: DbOrTx, actor: Actor, pupilId: number): Promise<number[]> {
  const pupil = await db.person.findUnique({ where: { id: pupilId }, select: { schoolId: true } });
  if (!pupil || pupil.schoolId !== actor.schoolId) throw notFound("Ученик");
  const rows = await db.guardianLink.findMany({ where: { pupilId }, select: { guardianId: true } });
  return rows.map((r) => r.guardianId);
}

async function planClass(db: DbOrTx, actor: Actor, data: SendInput, day: Date): Promise<Plan> {
  if (!data.classId) throw validation("Укажите класс, родителям которого адресовано объявление.");
  const cls = await db.class.findUnique({
    where: { id: data.classId },
    select: { year: { select: { schoolId: true } } },
  });
  if (!cls || cls.year.schoolId !== actor.schoolId) throw notFound("Класс");
  if (!canActSchoolWide(actor) && !(await isClassTeacherOf(db, actor, data.classId))) {
    throw forbidden(
      "Объявление родителям класса отправляет классный руководитель. Чтобы написать родителям одного ученика, выберите ученика.",
    );
  }
  const rows = await db.guardianLink.findMany({
    where: { pupil: { enrolments: { some: { classId: data.classId, ...enrolledOn(day) } } } },
    select: { guardianId: true },
  });
  return { kind: "CLASS", classId: data.classId, pupilId: null, recipientIds: rows.map((r) => r.guardianId) };
}

async function planSchool(db: DbOrTx, actor: Actor, day: Date): Promise<Plan> {
  if (!hasRole(actor, "ADMIN", "DIRECTOR", "DEPUTY")) {
    throw forbidden(
      "Объявления для всей школы публикуют директор, заместитель директора или администратор журнала.",
    );
  }
  const rows = await db.person.findMany({
    where: {
      schoolId: actor.schoolId,
      blockedAt: null,
      OR: [
        { roles: { some: { role: { in: [...STAFF_ROLES] } } } },
        { wards: { some: { pupil: { enrolments: { some: enrolledOn(day) } } } } },
      ],
    },
    select: { id: true },
  });
  return { kind: "SCHOOL", classId: null, pupilId: null, recipientIds: rows.map((r) => r.id) };
}

/** Staff → the guardians of one pupil they teach (remark, praise or a direct message). */
async function planAboutPupil(db: DbOrTx, actor: Actor, data: SendInput, day: Date): Promise<Plan> {
  const pupilId = data.pupilId!;
  const guardians = await guardiansOfPupil(db, actor, pupilId);
  const teaches = isSchoolWide(actor) || (await teachersOf(db, pupilId, day)).has(actor.personId);
  if (!teaches)
    throw forbidden(
      "Писать родителям ученика может учитель, который у него ведёт, или классный руководитель.",
    );
  let recipientIds = guardians;
  if (data.recipientIds) {
    const bad = data.recipientIds.filter((r) => !guardians.includes(r));
    if (bad.length)
      throw validation("Получатели должны быть родителями этого ученика.", { recipientIds: bad });
    recipientIds = data.recipientIds;
  }
  const [cls] = await pupilClassIds(db, pupilId, day);
  if (recipientIds.length === 0) {
    throw validation(
      "У ученика не указан ни один родитель. Попросите классного руководителя привязать родителя.",
    );
  }
  return { kind: data.kind, classId: cls ?? null, pupilId, recipientIds };
}

/** A guardian → their child's class teacher or subject teachers. */
async function planFromGuardian(db: DbOrTx, actor: Actor, data: SendInput, day: Date): Promise<Plan> {
  if (data.kind !== "DIRECT") throw forbidden("Родитель может отправить учителю личное сообщение.");
  if (data.needsAck || data.urgent)
    throw validation("Отметки «срочно» и «требует подтверждения» ставит школа.");
  if (!data.recipientIds?.length) throw validation("Выберите учителя, которому пишете.");
  const wards = await db.guardianLink.findMany({
    where: { guardianId: actor.personId },
    select: { pupilId: true },
  });
  const children = data.pupilId ? wards.filter((w) => w.pupilId === data.pupilId) : wards;
  if (children.length === 0) throw notFound("Ученик");
  const allowed = new Set<number>();
  for (const c of children) for (const t of await teachersOf(db, c.pupilId, day)) allowed.add(t);
  const bad = data.recipientIds.filter((r) => !allowed.has(r));
  if (bad.length) {
    throw forbidden(
      "Написать можно классному руководителю или учителю, который ведёт урок у вашего ребёнка.",
      { recipientIds: bad },
    );
  }
  const pupilId = data.pupilId ?? (children.length === 1 ? children[0]!.pupilId : null);
  return { kind: "DIRECT", classId: null, pupilId, recipientIds: data.recipientIds };
}

/** Staff ↔ staff of the same school. */
async function planStaffDirect(db: DbOrTx, actor: Actor, data: SendInput): Promise<Plan> {
  if (!data.recipientIds?.length)
    throw validation("Выберите получателя или ученика, родителям которого пишете.");
  const staff = await db.person.count({
    where: {
      id: { in: data.recipientIds },
      schoolId: actor.schoolId,
      roles: { some: { role: { in: [...STAFF_ROLES] } } },
    },
  });
  if (staff !== new Set(data.recipientIds).size) {
    throw validation("Родителям пишут через ученика: укажите ученика, и сообщение получат его родители.");
  }
  return { kind: "DIRECT", classId: null, pupilId: null, recipientIds: data.recipientIds };
}

/** A reply goes to the parent's author; the author's own follow-up goes to the parent's recipients. */
async function planReply(db: DbOrTx, actor: Actor, replyToId: number): Promise<Plan> {
  const parent = await db.message.findUnique({
    where: { id: replyToId },
    include: { recipients: { select: { personId: true } } },
  });
  const mine = parent?.recipients.some((r) => r.personId === actor.personId);
  if (!parent || parent.schoolId !== actor.schoolId || (parent.authorId !== actor.personId && !mine)) {
    throw notFound("Сообщение");
  }
  const recipientIds =
    parent.authorId === actor.personId ? parent.recipients.map((r) => r.personId) : [parent.authorId];
  return { kind: "DIRECT", classId: parent.classId, pupilId: parent.pupilId, recipientIds };
}

export async function sendMessage(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(sendMessageInput, input);
  const { today } = await loadSchoolToday(db, actor.schoolId);
  const day = dateOnly(today);
  let plan: Plan;
  if (data.replyToId) plan = await planReply(db, actor, data.replyToId);
  else if (data.kind === "CLASS") plan = await planClass(db, actor, data, day);
  else if (data.kind === "SCHOOL") plan = await planSchool(db, actor, day);
  else if (hasRole(actor, "GUARDIAN") && !isStaff(actor)) plan = await planFromGuardian(db, actor, data, day);
  else if (!isStaff(actor)) throw forbidden("Отправлять сообщения могут сотрудники школы и родители.");
  else if (data.pupilId) plan = await planAboutPupil(db, actor, data, day);
  else if (data.kind === "DIRECT") plan = await planStaffDirect(db, actor, data);
  else throw validation("Замечание или похвала относятся к ученику: укажите ученика.");

  const recipientIds = [...new Set(plan.recipientIds)].filter((r) => r !== actor.personId);
  if (recipientIds.length === 0) {
    throw validation(
      "Некому отправить: у адресатов нет ни одного получателя. Проверьте, привязаны ли родители к ученикам.",
    );
  }
  if (!isStaff(actor) && (data.needsAck || data.urgent)) {
    throw validation("Отметки «срочно» и «требует подтверждения» ставит школа.");
  }
  return db.$transaction(async (tx) => {
    const message = await tx.message.create({
      data: {
        schoolId: actor.schoolId,
        authorId: actor.personId,
        kind: plan.kind,
        classId: plan.classId,
        pupilId: plan.pupilId,
        replyToId: data.replyToId ?? null,
        body: data.body,
        needsAck: data.needsAck,
        urgent: data.urgent,
        recipients: { createMany: { data: recipientIds.map((personId) => ({ personId })) } },
      },
    });
    // The body is personal correspondence: the audit row records who wrote to whom, not the text.
    await audit(tx, actor, {
      action: "message.send",
      entity: "Message",
      entityId: message.id,
      after: {
        kind: plan.kind,
        classId: plan.classId,
        pupilId: plan.pupilId,
        replyToId: message.replyToId,
        recipients: recipientIds.length,
      },
    });
    await emit(tx, actor.schoolId, { type: "message.sent", payload: { messageId: message.id } });
    return { ...message, recipientIds };
  });
}

export const acknowledgeInput = z.object({ messageId: id });

/** "Ознакомлен(а)": only a recipient of a message that asks for it; repeating is harmless. */
export async function acknowledge(db: Db, actor: Actor, input: unknown) {
  const { messageId } = parseInput(acknowledgeInput, input);
  return db.$transaction(async (tx) => {
    const row = await tx.messageRecipient.findUnique({
      where: { messageId_personId: { messageId, personId: actor.personId } },
      include: { message: { select: { schoolId: true, needsAck: true } } },
    });
    if (!row || row.message.schoolId !== actor.schoolId) throw notFound("Сообщение");
    if (!row.message.needsAck) throw validation("Это сообщение не требует подтверждения.");
    if (row.acknowledgedAt) return { messageId, acknowledgedAt: row.acknowledgedAt };
    const now = new Date();
    await tx.messageRecipient.update({
      where: { messageId_personId: { messageId, personId: actor.personId } },
      data: { acknowledgedAt: now, readAt: row.readAt ?? now },
    });
    await audit(tx, actor, {
      action: "message.acknowledge",
      entity: "Message",
      entityId: messageId,
      after: { acknowledgedAt: now },
    });
    await emit(tx, actor.schoolId, {
      type: "message.acknowledged",
      payload: { messageId, personId: actor.personId },
    });
    return { messageId, acknowledgedAt: now };
  });
}
