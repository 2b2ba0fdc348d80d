import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import { canReadPupil } from "./access.js";
import type { Actor } from "./actor.js";
import { hasRole, isSchoolWide, isStaff } from "./actor.js";
import { forbidden, notFound } from "./errors.js";
import { bySurname } from "./lesson-pupils.js";
import { enrolledOn } from "./membership.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, int, isoDate, parseInput } from "./validate.js";

/** Reading messages: inbox, threads, and who acknowledged an announcement (002 §4.3.10). */

const who = { select: { id: true, lastName: true, firstName: true, middleName: true } } as const;

export const ackStatusInput = z.object({ messageId: id });

export interface AckPerson {
  personId: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  acknowledgedAt: Date | null;
  readAt: Date | null;
  /** For guardians: their children, so the class teacher knows whose parent is silent. */
  children: { id: number; lastName: string; firstName: string }[];
}

/**
 * Who acknowledged a message, who has not yet, and who cannot get it in Telegram at all
 * (no active chat link) and must be reached another way. For its author and the administration.
 */
export async function ackStatus(db: DbOrTx, actor: Actor, input: unknown) {
  const { messageId } = parseInput(ackStatusInput, input);
  const message = await db.message.findUnique({
    where: { id: messageId },
    select: { schoolId: true, authorId: true, needsAck: true },
  });
  if (!message || message.schoolId !== actor.schoolId) throw notFound("Сообщение");
  if (message.authorId !== actor.personId && !isSchoolWide(actor)) {
    throw forbidden("Кто ознакомился с сообщением, видит его автор и администрация школы.");
  }
  const rows = await db.messageRecipient.findMany({
    where: { messageId },
    select: {
      acknowledgedAt: true,
      readAt: true,
      person: {
        select: {
          ...who.select,
          chatLinks: { where: { active: true }, select: { id: true }, take: 1 },
          wards: { select: { pupil: { select: { id: true, lastName: true, firstName: true } } } },
        },
      },
    },
  });
  // Each guardian's children as far as the author may read them: a class message's author
  // does not learn of siblings in classes they do not teach (002 §9.1.3).
  const wardIds = [...new Set(rows.flatMap((r) => r.person.wards.map((w) => w.pupil.id)))];
  const readable = isSchoolWide(actor)
    ? null
    : new Set(
        (await Promise.all(wardIds.map(async (w) => ((await canReadPupil(db, actor, w)) ? w : null)))).filter(
          (w) => w !== null,
        ),
      );
  const acknowledged: AckPerson[] = [];
  const pending: AckPerson[] = [];
  const notLinked: AckPerson[] = [];
  for (const r of rows) {
    const p = r.person;
    const entry: AckPerson = {
      personId: p.id,
      lastName: p.lastName,
      firstName: p.firstName,
      middleName: p.middleName,
      acknowledgedAt: r.acknowledgedAt,
      readAt: r.readAt,
      children: p.wards.map((w) => w.pupil).filter((c) => readable === null || readable.has(c.id)),
    };
    if (r.acknowledgedAt) acknowledged.push(entry);
    else if (p.chatLinks.length === 0) notLinked.push(entry);
    else pending.push(entry);
  }
  return {
    needsAck: message.needsAck,
    acknowledged: acknowledged.sort(bySurname),
    pending: pending.sort(bySurname),
    notLinked: notLinked.sort(bySurname),
  };
}

export const inboxInput = z.object({
  limit: int(1, 100).default(20),
  unreadOnly: z.boolean().default(false),
});

/** Messages to the actor, newest first. */
export async function inbox(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const { limit, unreadOnly } = parseInput(inboxInput, input);
  const rows = await db.messageRecipient.findMany({
    where: {
      personId: actor.personId,
      message: { schoolId: actor.schoolId },
      ...(unreadOnly ? { readAt: null } : {}),
    },
    select: {
      readAt: true,
      acknowledgedAt: true,
      message: {
        include: {
          author: who,
          pupil: { select: { id: true, lastName: true, firstName: true } },
          class: { select: { id: true, grade: true, letter: true } },
        },
      },
    },
    orderBy: { message: { createdAt: "desc" } },
    take: limit,
  });
  return rows.map((r) => ({ ...r.message, readAt: r.readAt, acknowledgedAt: r.acknowledgedAt }));
}

export const threadInput = z.object({ messageId: id });

/** Marks a message read by the actor (the bot calls it when the message is opened). */
export async function markRead(db: Db, actor: Actor, input: unknown): Promise<void> {
  const { messageId } = parseInput(threadInput, input);
  const mine = { messageId, personId: actor.personId, message: { schoolId: actor.schoolId } };
  const marked = await db.messageRecipient.updateMany({
    where: { ...mine, readAt: null },
    data: { readAt: new Date() },
  });
  // Only a recipient marks a message read; to anyone else it does not exist (issue 10 §5).
  if (marked.count === 0 && (await db.messageRecipient.count({ where: mine })) === 0) {
    throw notFound("Сообщение");
  }
}

/** The whole conversation a message belongs to, as far as the actor took part in it. */
export async function thread(db: DbOrTx, actor: Actor, input: unknown) {
  const { messageId } = parseInput(threadInput, input);
  const visible = {
    schoolId: actor.schoolId,
    OR: [{ authorId: actor.personId }, { recipients: { some: { personId: actor.personId } } }],
  };
  let current = await db.message.findFirst({
    where: { id: messageId, ...visible },
    select: { id: true, replyToId: true },
  });
  if (!current) throw notFound("Сообщение");
  // Up to the root (bounded: threads are short, a cycle cannot exist but the loop stays safe).
  for (let i = 0; i < 100 && current.replyToId; i++) {
    const parent: { id: number; replyToId: number | null } | null = await db.message.findUnique({
      where: { id: current.replyToId },
      select: { id: true, replyToId: true },
    });
    if (!parent) break;
    current = parent;
  }
  const ids = [current.id];
  for (let frontier = [current.id], i = 0; frontier.length && i < 100; i++) {
    const children = await db.message.findMany({
      where: { replyToId: { in: frontier } },
      select: { id: true },
    });
    frontier = children.map((c) => c.id);
    ids.push(...frontier);
  }
  return db.message.findMany({
    where: { id: { in: ids }, ...visible },
    include: {
      author: who,
      recipients: { where: { personId: actor.personId }, select: { readAt: true, acknowledgedAt: true } },
    },
    orderBy: { createdAt: "asc" },
  });
}

export const teachersOfPupilInput = z.object({ pupilId: id, date: isoDate.optional() });

export interface PupilTeacher {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** The subject they teach the class; null for the class teacher. */
  subject: string | null;
}

/**
 * Whom a family writes to about a pupil: the class teacher first, then each subject teacher of
 * the pupil's class on the date (default today) once, with the first subject of theirs. For the
 * pupil, their guardians and the school's staff; anyone else learns nothing, not even that the
 * pupil exists.
 */
export async function teachersOfPupil(db: DbOrTx, actor: Actor, input: unknown): Promise<PupilTeacher[]> {
  const data = parseInput(teachersOfPupilInput, input);
  const day = dateOnly(data.date ?? (await loadSchoolToday(db, actor.schoolId)).today);
  // The check and the class in parallel: the list is returned only if the check passes.
  const [, cls] = await Promise.all([
    requireFamilyOrStaff(db, actor, data.pupilId),
    db.class.findFirst({
      where: {
        year: { schoolId: actor.schoolId },
        enrolments: { some: { pupilId: data.pupilId, ...enrolledOn(day) } },
      },
      select: {
        classTeacher: who,
        assignments: {
          orderBy: { id: "asc" },
          select: { subject: { select: { name: true } }, teacher: who },
        },
      },
    }),
  ]);
  if (!cls) return [];
  const list: PupilTeacher[] = cls.classTeacher ? [{ ...cls.classTeacher, subject: null }] : [];
  for (const a of cls.assignments) {
    if (list.some((t) => t.id === a.teacher.id)) continue;
    list.push({ ...a.teacher, subject: a.subject.name });
  }
  return list;
}

/** The pupil themself, one of their guardians, or staff of their school; else "not found". */
async function requireFamilyOrStaff(db: DbOrTx, actor: Actor, pupilId: number): Promise<void> {
  const pupil = await db.person.findUnique({
    where: { id: pupilId },
    select: {
      schoolId: true,
      guardians: { where: { guardianId: actor.personId }, select: { pupilId: true } },
    },
  });
  if (!pupil || pupil.schoolId !== actor.schoolId) throw notFound("Ученик");
  const family = actor.personId === pupilId || (hasRole(actor, "GUARDIAN") && pupil.guardians.length > 0);
  if (!family && !isStaff(actor)) throw notFound("Ученик");
}
