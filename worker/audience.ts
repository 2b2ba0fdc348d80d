import type { Tx } from "../src/db/client.js";
import type { DomainEvent } from "../src/events/types.js";
import { enrolledOn, memberOn } from "../src/journal/membership.js";
import { schoolToday } from "../src/journal/rules/calendar.js";

/**
 * Who hears about an event. Guardians of the pupils concerned for marks, attendance and homework;
 * the addressed people for messages; the class teacher for a guardian's absence notice; the
 * guardians of a class for its timetable changes and substitutions (as school notices: "messages").
 */
export type AlertKind = "marks" | "homework" | "absences" | "messages";

export interface Audience {
  recipientId: number;
  kind: AlertKind;
  urgent: boolean;
  /** Subject to the absence grace and re-checked at send time. */
  isAbsence: boolean;
  /** May be merged with other alerts of the same recipient into one message. */
  coalescable: boolean;
}

/** Event types whose alerts may be merged into one "Сегодня: …" message. */
export const COALESCABLE_TYPES = ["mark.posted", "homework.set", "attendance.recorded"] as const;

async function guardiansOf(tx: Tx, pupilIds: number[]): Promise<number[]> {
  if (pupilIds.length === 0) return [];
  const links = await tx.guardianLink.findMany({
    where: { pupilId: { in: pupilIds } },
    select: { guardianId: true },
  });
  return [...new Set(links.map((l) => l.guardianId))];
}

/** Pupils enrolled in a class on a date (subgroup members for a subgroup lesson). */
export async function pupilsOfLesson(
  tx: Tx,
  lesson: { classId: number; subgroupId: number | null; date: Date },
): Promise<number[]> {
  const enrolled = await tx.enrolment.findMany({
    where: { classId: lesson.classId, ...enrolledOn(lesson.date) },
    select: { pupilId: true },
  });
  let ids = enrolled.map((e) => e.pupilId);
  if (lesson.subgroupId) {
    const members = await tx.subgroupMember.findMany({
      where: { subgroupId: lesson.subgroupId, ...memberOn(lesson.date) },
      select: { pupilId: true },
    });
    const set = new Set(members.map((m) => m.pupilId));
    ids = ids.filter((id) => set.has(id));
  }
  return ids;
}

const each = (ids: number[], a: Omit<Audience, "recipientId">): Audience[] =>
  ids.map((recipientId) => ({ recipientId, ...a }));

const plain = { urgent: false, isAbsence: false, coalescable: false };

/** Guardians of the pupils enrolled in a class on a day. */
async function guardiansOfClass(tx: Tx, classId: number, day: Date): Promise<number[]> {
  return guardiansOf(tx, await pupilsOfLesson(tx, { classId, subgroupId: null, date: day }));
}

export async function audienceOf(tx: Tx, event: DomainEvent, now: Date = new Date()): Promise<Audience[]> {
  switch (event.type) {
    case "mark.posted": {
      const marks = await tx.mark.findMany({
        where: { id: { in: event.payload.markIds } },
        select: { pupilId: true },
      });
      const guardians = await guardiansOf(
        tx,
        marks.map((m) => m.pupilId),
      );
      return each(guardians, { kind: "marks", ...plain, coalescable: true });
    }
    case "mark.corrected": {
      const mark = await tx.mark.findUnique({
        where: { id: event.payload.markId },
        select: { pupilId: true },
      });
      return mark ? each(await guardiansOf(tx, [mark.pupilId]), { kind: "marks", ...plain }) : [];
    }
    case "period_mark.corrected": {
      const mark = await tx.periodMark.findUnique({
        where: { id: event.payload.periodMarkId },
        select: { pupilId: true, publishedAt: true },
      });
      // Only a published mark's correction is news to the family.
      return mark?.publishedAt
        ? each(await guardiansOf(tx, [mark.pupilId]), { kind: "marks", ...plain })
        : [];
    }
    case "attendance.recorded": {
      // Guardians of every pupil whose state changed: those of pupils now present only get their
      // pending alert cancelled (see fanout.ts), the others a fresh alert.
      const guardians = await guardiansOf(tx, event.payload.pupilIds);
      return each(guardians, { kind: "absences", urgent: false, isAbsence: true, coalescable: true });
    }
    case "homework.set": {
      const lesson = await tx.lesson.findUnique({ where: { id: event.payload.lessonId } });
      if (!lesson?.homework) return [];
      const guardians = await guardiansOf(tx, await pupilsOfLesson(tx, lesson));
      return each(guardians, { kind: "homework", ...plain, coalescable: true });
    }
    case "absence.reported": {
      const enrolment = await tx.enrolment.findFirst({
        where: { pupilId: event.payload.pupilId, leftOn: null },
        select: { class: { select: { classTeacherId: true } } },
      });
      const teacher = enrolment?.class.classTeacherId;
      return teacher ? each([teacher], { kind: "absences", ...plain }) : [];
    }
    case "message.sent": {
      const message = await tx.message.findUnique({
        where: { id: event.payload.messageId },
        select: { authorId: true, urgent: true, recipients: { select: { personId: true } } },
      });
      if (!message) return [];
      const ids = message.recipients.map((r) => r.personId).filter((id) => id !== message.authorId);
      return each(ids, { kind: "messages", ...plain, urgent: message.urgent });
    }
    case "backup.failed": {
      const admins = await tx.personRole.findMany({
        where: { role: "ADMIN", person: { schoolId: event.payload.schoolId, blockedAt: null } },
        select: { personId: true },
      });
      return each([...new Set(admins.map((a) => a.personId))], { kind: "messages", ...plain, urgent: true });
    }
    case "period.published": {
      // The pupils whose marks this publication made visible, and only they: a sibling's class
      // not yet published stays silent, a class published before is not told again.
      const { periodId, publishedAt } = event.payload;
      const marks = await tx.periodMark.findMany({
        where: { periodId, publishedAt: publishedAt ? new Date(publishedAt) : { not: null } },
        select: { pupilId: true },
        distinct: ["pupilId"],
      });
      const guardians = await guardiansOf(
        tx,
        marks.map((m) => m.pupilId),
      );
      return each(guardians, { kind: "marks", ...plain });
    }
    case "timetable.changed": {
      const day = new Date(`${event.payload.from}T00:00:00.000Z`);
      return each(await guardiansOfClass(tx, event.payload.classId, day), { kind: "messages", ...plain });
    }
    case "lesson.substituted": {
      const lesson = await tx.lesson.findUnique({
        where: { id: event.payload.lessonId },
        select: {
          classId: true,
          subgroupId: true,
          date: true,
          class: { select: { year: { select: { school: { select: { timeZone: true } } } } } },
        },
      });
      // A substitution recorded after the lesson is bookkeeping: nobody needs to be told.
      if (!lesson) return [];
      const today = schoolToday(lesson.class.year.school.timeZone, now);
      if (lesson.date.toISOString().slice(0, 10) < today) return [];
      return each(await guardiansOf(tx, await pupilsOfLesson(tx, lesson)), { kind: "messages", ...plain });
    }
    default:
      // Reasons, acknowledgements and lesson edits are visible in the journal only.
      return [];
  }
}
