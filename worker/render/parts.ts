import type { Tx } from "../../src/db/client.js";
import { type DomainEvent, parseEvent } from "../../src/events/types.js";
import { dayMonth, initials, markValue, type Texts } from "./texts.js";

/**
 * One event, as one recipient should read it now. Everything is loaded at send time from ids, so
 * a mark changed or an absence corrected while the alert waited is told as it is now.
 */
export interface Item {
  /** First name of the child the item is about (groups lines in combined messages). */
  pupil?: string;
  short: string;
  long: string;
  /** A class message waiting for this reader's "Ознакомлен". */
  ack?: { messageId: number; author: string };
}

export interface RenderContext {
  recipientId: number;
  wards: Set<number>;
  t: Texts;
}

type Handler<T extends DomainEvent["type"]> = (
  tx: Tx,
  ctx: RenderContext,
  payload: Extract<DomainEvent, { type: T }>["payload"],
) => Promise<Item[]>;

const markPosted: Handler<"mark.posted"> = async (tx, { wards, t }, p) => {
  const marks = await tx.mark.findMany({
    where: { id: { in: p.markIds }, pupilId: { in: [...wards] } },
    include: {
      pupil: { select: { firstName: true } },
      lesson: { select: { subject: { select: { name: true } } } },
      controlForm: { select: { name: true } },
    },
    orderBy: { id: "asc" },
  });
  return marks.map((m) => ({
    pupil: m.pupil.firstName,
    short: t.markShort(m.lesson.subject.name, markValue(m)),
    long: t.newMark(m.pupil.firstName, m.lesson.subject.name, markValue(m), m.controlForm?.name ?? null),
  }));
};

const markCorrected: Handler<"mark.corrected"> = async (tx, { wards, t }, p) => {
  const h = await tx.markHistory.findUnique({
    where: { id: p.historyId },
    include: {
      mark: {
        include: {
          pupil: { select: { id: true, firstName: true } },
          lesson: { select: { date: true, subject: { select: { name: true } } } },
        },
      },
    },
  });
  if (!h || !wards.has(h.mark.pupil.id)) return [];
  const from = markValue({ value: h.oldValue, value2: h.oldValue2 });
  const to = markValue({ value: h.newValue, value2: h.newValue2 });
  const reason = [t.reasons[h.change] ?? h.change, h.note].filter(Boolean).join(", ");
  const subj = h.mark.lesson.subject.name;
  return [
    {
      pupil: h.mark.pupil.firstName,
      short: t.correctedShort(subj, from, to),
      long: t.corrected(h.mark.pupil.firstName, subj, dayMonth(h.mark.lesson.date), from, to, reason),
    },
  ];
};

/** The attendance of the recipient's children in that lesson now: a correction wins. */
const attendance: Handler<"attendance.recorded"> = async (tx, { wards, t }, p) => {
  const rows = await tx.attendance.findMany({
    where: { lessonId: p.lessonId, pupilId: { in: [...wards] } },
    include: {
      pupil: { select: { firstName: true } },
      lesson: { select: { date: true, lessonNumber: true, subject: { select: { name: true } } } },
    },
    orderBy: { pupilId: "asc" },
  });
  return rows.map((a) => {
    const { subject, lessonNumber, date } = a.lesson;
    const late = a.kind === "LATE";
    return {
      pupil: a.pupil.firstName,
      short: late ? t.lateShort(subject.name) : t.absentShort(subject.name),
      long: (late ? t.late : t.absent)(a.pupil.firstName, subject.name, lessonNumber, dayMonth(date)),
    };
  });
};

const homework: Handler<"homework.set"> = async (tx, { t }, p) => {
  const l = await tx.lesson.findUnique({
    where: { id: p.lessonId },
    include: { subject: { select: { name: true } }, class: { select: { grade: true, letter: true } } },
  });
  if (!l?.homework) return [];
  return [
    {
      short: t.homeworkShort(l.subject.name, l.homework),
      long: t.homework(l.subject.name, dayMonth(l.date), `${l.class.grade}${l.class.letter}`, l.homework),
    },
  ];
};

const message: Handler<"message.sent"> = async (tx, { recipientId, t }, p) => {
  const m = await tx.message.findUnique({
    where: { id: p.messageId },
    include: {
      author: { select: { lastName: true, firstName: true, middleName: true, sex: true } },
      recipients: { where: { personId: recipientId }, select: { acknowledgedAt: true } },
    },
  });
  if (!m) return [];
  const author = initials(m.author);
  // Acknowledged meanwhile (e.g. from the inbox while a digest waited): no button to press.
  const waiting = m.needsAck && m.recipients.some((r) => r.acknowledgedAt === null);
  return [
    {
      short: t.messageShort(m.author, m.body),
      long: t.message(m.author, m.body, m.urgent, waiting),
      ...(waiting ? { ack: { messageId: m.id, author } } : {}),
    },
  ];
};

const absenceReported: Handler<"absence.reported"> = async (tx, { t }, p) => {
  const n = await tx.absenceNotice.findUnique({
    where: { id: p.noticeId },
    include: {
      pupil: { select: { firstName: true, lastName: true } },
      reportedBy: { select: { lastName: true, firstName: true, middleName: true } },
    },
  });
  if (!n) return [];
  const pupil = `${n.pupil.firstName} ${n.pupil.lastName}`;
  const text = t.absenceNotice(
    initials(n.reportedBy),
    pupil,
    dayMonth(n.fromDate),
    dayMonth(n.toDate),
    t.absenceReasons[n.reason] ?? n.reason,
  );
  return [{ short: text, long: text }];
};

/** A published period mark corrected (003 §7): the old and the new value, the reason. */
const periodMarkCorrected: Handler<"period_mark.corrected"> = async (tx, { wards, t }, p) => {
  const h = await tx.periodMarkHistory.findUnique({
    where: { id: p.historyId },
    include: {
      periodMark: {
        include: {
          pupil: { select: { id: true, firstName: true } },
          subject: { select: { name: true } },
          period: { select: { name: true } },
        },
      },
    },
  });
  if (!h || !wards.has(h.periodMark.pupil.id)) return [];
  const reason = [t.reasons[h.change] ?? h.change, h.note].filter(Boolean).join(", ");
  const subj = h.periodMark.subject.name;
  return [
    {
      pupil: h.periodMark.pupil.firstName,
      short: t.correctedShort(subj, h.oldValue, h.newValue),
      long: t.corrected(
        h.periodMark.pupil.firstName,
        subj,
        h.periodMark.period.name,
        h.oldValue,
        h.newValue,
        reason,
      ),
    },
  ];
};

const periodPublished: Handler<"period.published"> = async (tx, { wards, t }, p) => {
  const period = await tx.period.findUnique({ where: { id: p.periodId } });
  if (!period) return [];
  const marks = await tx.periodMark.findMany({
    // Only what this reader may see now, and only what this publication made visible.
    where: {
      periodId: p.periodId,
      pupilId: { in: [...wards] },
      publishedAt: p.publishedAt ? new Date(p.publishedAt) : { not: null },
    },
    include: { pupil: { select: { firstName: true } }, subject: { select: { name: true } } },
    orderBy: [{ pupilId: "asc" }, { subjectId: "asc" }],
  });
  const byPupil = new Map<string, string[]>();
  for (const m of marks) {
    const list = byPupil.get(m.pupil.firstName) ?? [];
    list.push(t.markShort(m.subject.name, m.value));
    byPupil.set(m.pupil.firstName, list);
  }
  if (byPupil.size === 0) return [];
  const lines = [...byPupil].map(([pupil, list]) => `${pupil}: ${list.join(", ")}`);
  const text = `${t.periodResults(period.name)}\n${lines.join("\n")}`;
  return [{ short: text, long: text }];
};

const person = { select: { lastName: true, firstName: true, middleName: true } } as const;

/** The class's slots named in the event, as they stand now: changed, or gone for those days. */
const timetableChanged: Handler<"timetable.changed"> = async (tx, { t }, p) => {
  const cls = await tx.class.findUnique({ where: { id: p.classId }, select: { grade: true, letter: true } });
  if (!cls) return [];
  const slots = await tx.timetableSlot.findMany({
    where: { id: { in: p.slotIds ?? [] } },
    include: { assignment: { select: { subject: { select: { name: true } } } } },
    orderBy: [{ weekday: "asc" }, { lessonNumber: "asc" }],
  });
  const from = new Date(`${p.from}T00:00:00.000Z`);
  const lines = slots.map((s) =>
    s.validTo && s.validTo < from
      ? t.slotRemoved(s.assignment.subject.name, s.weekday, s.lessonNumber)
      : t.slot(s.assignment.subject.name, s.weekday, s.lessonNumber, s.startsAt, s.endsAt, s.room),
  );
  const name = `${cls.grade}${cls.letter}`;
  const to = p.to ? dayMonth(new Date(`${p.to}T00:00:00.000Z`)) : null;
  return [
    { short: t.timetableShort(name, dayMonth(from)), long: t.timetable(name, dayMonth(from), to, lines) },
  ];
};

const substituted: Handler<"lesson.substituted"> = async (tx, { t }, p) => {
  const l = await tx.lesson.findUnique({
    where: { id: p.lessonId },
    include: {
      subject: { select: { name: true } },
      class: { select: { grade: true, letter: true } },
      teacher: person,
      substitute: person,
    },
  });
  // Changed again while the alert waited: the later event tells the current state.
  if (!l || l.substituteId !== p.substituteId) return [];
  const cls = `${l.class.grade}${l.class.letter}`;
  const who = initials(l.substitute ?? l.teacher);
  const text = (l.substitute ? t.substitute : t.substituteOff)(
    dayMonth(l.date),
    l.lessonNumber,
    l.subject.name,
    cls,
    who,
  );
  return [{ short: t.substituteShort(l.subject.name, who), long: text }];
};

const backupFailed: Handler<"backup.failed"> = async (_tx, { t }, p) => {
  const text = t.backupFailed(p.at.slice(0, 16).replace("T", " "), p.reason);
  return [{ short: text, long: text }];
};

const handlers: { [T in DomainEvent["type"]]?: Handler<T> } = {
  "backup.failed": backupFailed,
  "mark.posted": markPosted,
  "mark.corrected": markCorrected,
  "attendance.recorded": attendance,
  "homework.set": homework,
  "message.sent": message,
  "absence.reported": absenceReported,
  "period.published": periodPublished,
  "period_mark.corrected": periodMarkCorrected,
  "timetable.changed": timetableChanged,
  "lesson.substituted": substituted,
};

export async function renderPart(
  tx: Tx,
  ctx: RenderContext,
  row: { type: string; payload: unknown },
): Promise<Item[]> {
  if (row.type.startsWith("notify.")) {
    const { renderScheduled } = await import("./scheduled.js");
    return renderScheduled(tx, ctx, row);
  }
  let event: DomainEvent;
  try {
    event = parseEvent(row.type, row.payload);
  } catch {
    return [];
  }
  const handler = handlers[event.type] as Handler<typeof event.type> | undefined;
  return handler ? handler(tx, ctx, event.payload as never) : [];
}
