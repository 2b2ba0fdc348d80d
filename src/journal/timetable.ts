import { DateTime } from "luxon";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.js";
import { emit } from "../events/outbox.js";
import type { Prisma } from "../generated/prisma/client.js";
import { canActSchoolWide } from "./access.js";
import { type Actor, isStaff } from "./actor.js";
import { audit } from "./audit.js";
import { conflict, forbidden, notFound, validation } from "./errors.js";
import { className } from "./roster.js";
import { isSchoolDay, loadCalendar, loadSchoolToday } from "./rules/calendar.js";
import { findClash, type SlotShape, WEEKDAY_NAMES } from "./rules/timetable.js";
import { loadAssignment } from "./teaching.js";
import { dateOnly, hhmm, id, int, isoDate, isoOf, parseInput, text } from "./validate.js";

/** Timetable slots (000 §3.5) and the lessons they materialise into. */
export { timetable, timetableInput } from "./timetable-view.js";

const WRITERS = "Расписание составляет администратор журнала или заместитель директора.";
const requireWriter = (actor: Actor) => {
  if (!canActSchoolWide(actor)) throw forbidden(WRITERS);
};

const slotFields = {
  weekday: int(1, 6, "день недели от 1 (пн) до 6 (сб)"),
  lessonNumber: int(1, 10, "номер урока от 1 до 10"),
  startsAt: hhmm,
  endsAt: hhmm,
  room: text(20).nullable().optional(),
  validFrom: isoDate,
  validTo: isoDate.nullable().optional(),
};
const timesInOrder = (v: { startsAt?: string; endsAt?: string }) =>
  !v.startsAt || !v.endsAt || v.startsAt < v.endsAt;
const datesInOrder = (v: { validFrom?: string; validTo?: string | null }) =>
  !v.validFrom || !v.validTo || v.validFrom <= v.validTo;

export const createSlotInput = z
  .object({ assignmentId: id, ...slotFields })
  .refine(timesInOrder, { message: "урок должен начинаться раньше, чем заканчивается", path: ["endsAt"] })
  .refine(datesInOrder, { message: "«действует до» раньше «действует с»", path: ["validTo"] });

type SlotRow = Prisma.TimetableSlotGetPayload<{ include: { assignment: true } }>;

const shapeOf = (s: SlotRow): SlotShape => ({
  id: s.id,
  classId: s.assignment.classId,
  subgroupId: s.assignment.subgroupId,
  teacherId: s.assignment.teacherId,
  weekday: s.weekday,
  lessonNumber: s.lessonNumber,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  validFrom: isoOf(s.validFrom),
  validTo: s.validTo ? isoOf(s.validTo) : null,
});

/** Refuses a slot that clashes with the class's or the teacher's other slots (checked in tx). */
async function requireNoClash(tx: Tx, actor: Actor, candidate: SlotShape) {
  // One timetable writer per school at a time, so two clashing slots cannot both pass the check.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7302, ${actor.schoolId}::int)`;
  const existing = await tx.timetableSlot.findMany({
    where: {
      weekday: candidate.weekday,
      assignment: {
        year: { schoolId: actor.schoolId },
        OR: [{ classId: candidate.classId }, { teacherId: candidate.teacherId }],
      },
    },
    include: { assignment: true },
  });
  const clash = findClash(candidate, existing.map(shapeOf));
  if (!clash) return;
  const o = clash.with;
  const when = `${WEEKDAY_NAMES[o.weekday]}, ${o.lessonNumber}-й урок (${o.startsAt}–${o.endsAt})`;
  throw conflict(
    clash.kind === "class"
      ? `У класса уже стоит урок: ${when}. Выберите другой номер урока или завершите прежний слот датой раньше.`
      : `Учитель в это время уже ведёт урок: ${when}. Учитель не может быть в двух местах сразу — выберите другое время.`,
    { slotId: o.id, kind: clash.kind },
  );
}

const nextDay = (iso: string) => DateTime.fromISO(iso, { zone: "utc" }).plus({ days: 1 }).toISODate()!;

/**
 * Tells guardians (through the outbox, in the caller's transaction) that the class's timetable
 * changed for [from, to]. Only what reaches today or later: correcting the past is bookkeeping.
 */
async function emitChange(
  tx: Tx,
  actor: Actor,
  change: { classId: number; slotId: number; from: string; to: string | null; today: string },
) {
  const { classId, slotId, from, to, today } = change;
  if (to && (to < today || to < from)) return;
  await emit(tx, actor.schoolId, {
    type: "timetable.changed",
    // ISO dates: the later of the two sorts last.
    payload: { classId, from: [from, today].sort()[1]!, ...(to ? { to } : {}), slotIds: [slotId] },
  });
}

async function checkSlotDates(
  db: DbOrTx,
  actor: Actor,
  weekday: number,
  year: { startDate: Date; endDate: Date },
  from: string,
  to: string | null,
) {
  const school = await db.school.findUniqueOrThrow({
    where: { id: actor.schoolId },
    select: { weekDays: true },
  });
  if (weekday > school.weekDays) {
    throw validation(
      `В школе ${school.weekDays}-дневная неделя: выберите день с понедельника по ${WEEKDAY_NAMES[school.weekDays]}.`,
    );
  }
  if (from < isoOf(year.startDate) || from > isoOf(year.endDate) || (to && to > isoOf(year.endDate))) {
    throw validation("Слот расписания должен действовать в пределах учебного года нагрузки.");
  }
}

export async function createSlot(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createSlotInput, input);
  requireWriter(actor);
  const a = await loadAssignment(db, actor, data.assignmentId);
  await checkSlotDates(db, actor, data.weekday, a.year, data.validFrom, data.validTo ?? null);
  const { today } = await loadSchoolToday(db, actor.schoolId);
  return db.$transaction(async (tx) => {
    await requireNoClash(tx, actor, {
      classId: a.classId,
      subgroupId: a.subgroupId,
      teacherId: a.teacherId,
      ...data,
      validTo: data.validTo ?? null,
    });
    const slot = await tx.timetableSlot.create({
      data: {
        ...data,
        room: data.room ?? null,
        validFrom: dateOnly(data.validFrom),
        validTo: data.validTo ? dateOnly(data.validTo) : null,
      },
    });
    await audit(tx, actor, {
      action: "slot.create",
      entity: "TimetableSlot",
      entityId: slot.id,
      after: data,
    });
    await emitChange(tx, actor, {
      classId: a.classId,
      slotId: slot.id,
      from: data.validFrom,
      to: data.validTo ?? null,
      today,
    });
    return slot;
  });
}

export const updateSlotInput = z
  .object({
    slotId: id,
    startsAt: hhmm.optional(),
    endsAt: hhmm.optional(),
    room: text(20).nullable().optional(),
  })
  .refine(timesInOrder, { message: "урок должен начинаться раньше, чем заканчивается", path: ["endsAt"] });

async function loadSlot(db: DbOrTx, actor: Actor, slotId: number) {
  const slot = await db.timetableSlot.findUnique({
    where: { id: slotId },
    include: {
      assignment: { include: { year: { select: { schoolId: true, startDate: true, endDate: true } } } },
    },
  });
  if (!slot || slot.assignment.year.schoolId !== actor.schoolId) throw notFound("Слот расписания");
  return slot;
}

/** Blank lessons of a slot from a date on: no marks, attendance, topic or homework yet. */
const blankLessonsOf = (slotId: number, from: Date): Prisma.LessonWhereInput => ({
  slotId,
  date: { gte: from },
  marks: { none: {} },
  attendance: { none: {} },
  topic: null,
  homework: null,
  homeworkNone: false,
  attendanceAt: null,
  plannedTopicId: null,
  controlFormId: null,
});

/**
 * Corrects a slot's bell times or room. Already generated future lessons take the new times.
 * Moving a lesson to another day or number is a new slot: end this one and create another.
 */
export async function updateSlot(db: Db, actor: Actor, input: unknown) {
  const { slotId, ...data } = parseInput(updateSlotInput, input);
  requireWriter(actor);
  const slot = await loadSlot(db, actor, slotId);
  const next = { startsAt: data.startsAt ?? slot.startsAt, endsAt: data.endsAt ?? slot.endsAt };
  if (next.startsAt >= next.endsAt) throw validation("Урок должен начинаться раньше, чем заканчивается.");
  const { today } = await loadSchoolToday(db, actor.schoolId);
  return db.$transaction(async (tx) => {
    await requireNoClash(tx, actor, { ...shapeOf(slot), ...next });
    const after = await tx.timetableSlot.update({ where: { id: slotId }, data });
    if (data.startsAt || data.endsAt) {
      await tx.lesson.updateMany({ where: { slotId, date: { gte: dateOnly(today) } }, data: next });
    }
    await audit(tx, actor, {
      action: "slot.update",
      entity: "TimetableSlot",
      entityId: slotId,
      before: { startsAt: slot.startsAt, endsAt: slot.endsAt, room: slot.room },
      after: data,
    });
    const changed =
      next.startsAt !== slot.startsAt ||
      next.endsAt !== slot.endsAt ||
      (data.room !== undefined && (data.room ?? null) !== slot.room);
    if (changed) {
      await emitChange(tx, actor, {
        classId: slot.assignment.classId,
        slotId,
        from: isoOf(slot.validFrom),
        to: slot.validTo ? isoOf(slot.validTo) : null,
        today,
      });
    }
    return after;
  });
}

export const endSlotInput = z.object({ slotId: id, validTo: isoDate });

/**
 * Ends a slot after `validTo` (its last day). Blank lessons generated after that day go; lessons
 * that already hold journal data stay and are counted in `keptLessons`.
 */
export async function endSlot(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(endSlotInput, input);
  requireWriter(actor);
  const slot = await loadSlot(db, actor, data.slotId);
  if (data.validTo < isoOf(slot.validFrom)) {
    throw validation(
      "Слот не может закончиться раньше, чем начал действовать. Если он создан по ошибке, завершите его днём начала.",
    );
  }
  const after = nextDay(data.validTo);
  const { today } = await loadSchoolToday(db, actor.schoolId);
  const oldTo = slot.validTo ? isoOf(slot.validTo) : null;
  return db.$transaction(async (tx) => {
    // Extending a slot may run it into another one.
    await requireNoClash(tx, actor, { ...shapeOf(slot), validTo: data.validTo });
    const updated = await tx.timetableSlot.update({
      where: { id: slot.id },
      data: { validTo: dateOnly(data.validTo) },
    });
    const removed = await tx.lesson.deleteMany({ where: blankLessonsOf(slot.id, dateOnly(after)) });
    const kept = await tx.lesson.count({ where: { slotId: slot.id, date: { gte: dateOnly(after) } } });
    await audit(tx, actor, {
      action: "slot.end",
      entity: "TimetableSlot",
      entityId: slot.id,
      before: { validTo: slot.validTo },
      after: { validTo: data.validTo, removedLessons: removed.count, keptLessons: kept },
    });
    if (oldTo !== data.validTo) {
      // The days between the old and the new last day gain or lose this lesson.
      const [first, last] = oldTo === null ? [data.validTo, null] : [oldTo, data.validTo].sort();
      await emitChange(tx, actor, {
        classId: slot.assignment.classId,
        slotId: slot.id,
        from: nextDay(first!),
        to: oldTo === null ? null : last!,
        today,
      });
    }
    return { slot: updated, removedLessons: removed.count, keptLessons: kept };
  });
}

export const listSlotsInput = z.object({
  classId: id.optional(),
  teacherId: id.optional(),
  date: isoDate.optional(),
});

export async function listSlots(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const data = parseInput(listSlotsInput, input);
  if (!isStaff(actor))
    throw forbidden("Слоты расписания видят сотрудники; ученикам и родителям — расписание на неделю.");
  const day = data.date ? dateOnly(data.date) : undefined;
  const rows = await db.timetableSlot.findMany({
    where: {
      assignment: {
        year: { schoolId: actor.schoolId },
        ...(data.classId ? { classId: data.classId } : {}),
        ...(data.teacherId ? { teacherId: data.teacherId } : {}),
      },
      ...(day ? { validFrom: { lte: day }, OR: [{ validTo: null }, { validTo: { gte: day } }] } : {}),
    },
    include: {
      assignment: {
        include: {
          subject: { select: { id: true, name: true } },
          class: { select: { id: true, grade: true, letter: true } },
          subgroup: { select: { id: true, name: true } },
          teacher: { select: { id: true, lastName: true, firstName: true, middleName: true } },
        },
      },
    },
    orderBy: [{ weekday: "asc" }, { lessonNumber: "asc" }, { startsAt: "asc" }],
  });
  return rows.map((r) => ({ ...r, className: className(r.assignment.class) }));
}

export const generateLessonsInput = z
  .object({ from: isoDate, to: isoDate, classId: id.optional() })
  .refine((v) => v.from <= v.to, { message: "конец периода раньше начала", path: ["to"] })
  .refine((v) => DateTime.fromISO(v.to).diff(DateTime.fromISO(v.from), "days").days <= 366, {
    message: "не больше года за раз",
    path: ["to"],
  });

/**
 * Materialises lessons from the slots for every school day in [from, to] (weekends by the
 * school's week, holidays skipped). Idempotent: a lesson that exists is left as it is.
 */
export async function generateLessons(db: Db, actor: Actor, input: unknown): Promise<{ created: number }> {
  const data = parseInput(generateLessonsInput, input);
  requireWriter(actor);
  const cal = await loadCalendar(db, actor.schoolId);
  const from = dateOnly(data.from);
  const to = dateOnly(data.to);
  const slots = await db.timetableSlot.findMany({
    where: {
      validFrom: { lte: to },
      OR: [{ validTo: null }, { validTo: { gte: from } }],
      assignment: { year: { schoolId: actor.schoolId }, ...(data.classId ? { classId: data.classId } : {}) },
    },
    include: { assignment: { include: { year: { select: { startDate: true, endDate: true } } } } },
  });
  const rows: Prisma.LessonCreateManyInput[] = [];
  for (
    let d = DateTime.fromISO(data.from, { zone: "utc" });
    d.toISODate()! <= data.to;
    d = d.plus({ days: 1 })
  ) {
    const iso = d.toISODate()!;
    if (!isSchoolDay(iso, cal)) continue;
    for (const s of slots) {
      const a = s.assignment;
      if (s.weekday !== d.weekday || iso < isoOf(s.validFrom) || (s.validTo && iso > isoOf(s.validTo)))
        continue;
      if (iso < isoOf(a.year.startDate) || iso > isoOf(a.year.endDate)) continue;
      rows.push({
        assignmentId: a.id,
        classId: a.classId,
        subgroupId: a.subgroupId,
        subjectId: a.subjectId,
        teacherId: a.teacherId,
        slotId: s.id,
        date: dateOnly(iso),
        lessonNumber: s.lessonNumber,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
      });
    }
  }
  return db.$transaction(
    async (tx) => {
      let created = 0;
      for (let i = 0; i < rows.length; i += 5000) {
        const r = await tx.lesson.createMany({ data: rows.slice(i, i + 5000), skipDuplicates: true });
        created += r.count;
      }
      await audit(tx, actor, {
        action: "lessons.generate",
        entity: "Lesson",
        entityId: data.classId ?? "*",
        after: { ...data, created },
      });
      return { created };
    },
    { timeout: 120_000 },
  );
}
