import { DateTime } from "luxon";
import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Prisma } from "../generated/prisma/client.js";
import { requirePupilReadable } from "./access.js";
import { type Actor, isStaff } from "./actor.js";
import { forbidden, notFound } from "./errors.js";
import { enrolledDuring, inForceOn } from "./membership.js";
import { className, loadClass } from "./roster-people.js";
import { isSchoolDay, loadCalendar } from "./rules/calendar.js";
import { dateOnly, id, isoDate, isoOf, parseInput } from "./validate.js";

/**
 * The week's timetable of a class, a teacher or a pupil (002 §8.1: guardians see the timetable
 * and its changes). Generated lessons are shown as they are (substitutions included); days not
 * generated yet are projected from the slots.
 */
export const timetableInput = z
  .object({ classId: id.optional(), teacherId: id.optional(), pupilId: id.optional(), weekOf: isoDate })
  .refine((v) => [v.classId, v.teacherId, v.pupilId].filter(Boolean).length === 1, {
    message: "укажите ровно одно: класс, учителя или ученика",
    path: ["classId"],
  });

export interface TimetableEntry {
  lessonId: number | null;
  assignmentId: number;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  room: string | null;
  subject: { id: number; name: string };
  class: { id: number; name: string };
  subgroup: { id: number; name: string } | null;
  teacher: { id: number; lastName: string; firstName: string; middleName: string | null };
  substitute: { id: number; lastName: string; firstName: string; middleName: string | null } | null;
  topic: string | null;
  homework: string | null;
}
export interface TimetableDay {
  date: string;
  weekday: number;
  holiday: string | null;
  lessons: TimetableEntry[];
}

const who = { select: { id: true, lastName: true, firstName: true, middleName: true } } as const;
const assignmentParts = {
  subject: { select: { id: true, name: true } },
  class: { select: { id: true, grade: true, letter: true } },
  subgroup: { select: { id: true, name: true } },
  teacher: who,
} as const;

async function requireTimetableReader(db: DbOrTx, actor: Actor, input: z.infer<typeof timetableInput>) {
  if (input.pupilId) return requirePupilReadable(db, actor, input.pupilId);
  if (input.teacherId) {
    const t = await db.person.findUnique({ where: { id: input.teacherId }, select: { schoolId: true } });
    if (!t || t.schoolId !== actor.schoolId) throw notFound("Учитель");
    if (!isStaff(actor))
      throw forbidden("Расписание учителя видят сотрудники школы. Откройте расписание своего ребёнка.");
    return;
  }
  const cls = await loadClass(db, actor, input.classId!);
  if (isStaff(actor)) return;
  // A pupil or guardian sees the timetable of a class they (or their child) belong to.
  const member = await db.enrolment.count({
    where: {
      classId: cls.id,
      OR: [{ pupilId: actor.personId }, { pupil: { guardians: { some: { guardianId: actor.personId } } } }],
    },
  });
  if (member === 0) throw notFound("Класс");
}

export async function timetable(
  db: DbOrTx,
  actor: Actor,
  input: unknown,
): Promise<{ from: string; to: string; days: TimetableDay[] }> {
  const data = parseInput(timetableInput, input);
  await requireTimetableReader(db, actor, data);
  const cal = await loadCalendar(db, actor.schoolId);
  const monday = DateTime.fromISO(data.weekOf, { zone: "utc" }).startOf("week");
  const dates = Array.from({ length: cal.weekDays }, (_, i) => monday.plus({ days: i }).toISODate()!);
  const from = dates[0]!;
  const to = dates.at(-1)!;

  // Which class (and subgroups) a pupil is in on each day.
  let pupilPlace: ((iso: string) => { classId: number; subgroupIds: Set<number> } | null) | null = null;
  if (data.pupilId) {
    const [enrolments, groups] = await Promise.all([
      db.enrolment.findMany({
        where: { pupilId: data.pupilId, ...enrolledDuring(dateOnly(from), dateOnly(to)) },
      }),
      db.subgroupMember.findMany({
        where: { pupilId: data.pupilId },
        select: { subgroupId: true, joinedOn: true, leftOn: true },
      }),
    ]);
    // The class and the subgroups of that very day: a regrouped pupil's week shows each day's.
    pupilPlace = (iso) => {
      const e = enrolments.find((x) => inForceOn(x, iso));
      const subgroupIds = new Set(groups.filter((g) => inForceOn(g, iso)).map((g) => g.subgroupId));
      return e ? { classId: e.classId, subgroupIds } : null;
    };
    if (enrolments.length === 0)
      return {
        from,
        to,
        days: dates.map((date, i) => ({ date, weekday: i + 1, holiday: null, lessons: [] })),
      };
  }
  const classIds = data.classId ? [data.classId] : undefined;
  const lessonWhere: Prisma.LessonWhereInput = {
    date: { gte: dateOnly(from), lte: dateOnly(to) },
    class: {
      year: { schoolId: actor.schoolId },
      ...(data.pupilId ? { enrolments: { some: { pupilId: data.pupilId } } } : {}),
    },
    ...(classIds ? { classId: { in: classIds } } : {}),
    ...(data.teacherId ? { OR: [{ teacherId: data.teacherId }, { substituteId: data.teacherId }] } : {}),
  };
  const assignmentWhere: Prisma.TeachingAssignmentWhereInput = {
    year: { schoolId: actor.schoolId },
    ...(classIds ? { classId: { in: classIds } } : {}),
    ...(data.teacherId ? { teacherId: data.teacherId } : {}),
    ...(data.pupilId ? { class: { enrolments: { some: { pupilId: data.pupilId } } } } : {}),
  };
  const [lessons, slots, holidays] = await Promise.all([
    db.lesson.findMany({
      where: lessonWhere,
      include: { ...assignmentParts, substitute: who, slot: { select: { room: true } } },
    }),
    db.timetableSlot.findMany({
      where: {
        validFrom: { lte: dateOnly(to) },
        OR: [{ validTo: null }, { validTo: { gte: dateOnly(from) } }],
        assignment: assignmentWhere,
      },
      include: { assignment: { include: assignmentParts } },
    }),
    db.holiday.findMany({
      where: { schoolId: actor.schoolId, fromDate: { lte: dateOnly(to) }, toDate: { gte: dateOnly(from) } },
    }),
  ]);
  const fits = (iso: string, classId: number, subgroupId: number | null) => {
    if (!pupilPlace) return true;
    const place = pupilPlace(iso);
    return !!place && place.classId === classId && (subgroupId === null || place.subgroupIds.has(subgroupId));
  };

  const days = dates.map((date, i): TimetableDay => {
    const holiday = holidays.find((h) => isoOf(h.fromDate) <= date && date <= isoOf(h.toDate));
    const entries = new Map<string, TimetableEntry>();
    const key = (assignmentId: number, n: number) => `${assignmentId}:${n}`;
    if (isSchoolDay(date, cal)) {
      for (const s of slots) {
        if (s.weekday !== i + 1 || date < isoOf(s.validFrom) || (s.validTo && date > isoOf(s.validTo)))
          continue;
        const a = s.assignment;
        if (!fits(date, a.classId, a.subgroupId)) continue;
        entries.set(key(a.id, s.lessonNumber), {
          lessonId: null,
          assignmentId: a.id,
          lessonNumber: s.lessonNumber,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          room: s.room,
          subject: a.subject,
          class: { id: a.class.id, name: className(a.class) },
          subgroup: a.subgroup,
          teacher: a.teacher,
          substitute: null,
          topic: null,
          homework: null,
        });
      }
    }
    // A generated lesson replaces its slot's projection (it may carry a substitute or new times).
    for (const l of lessons) {
      if (isoOf(l.date) !== date || !fits(date, l.classId, l.subgroupId)) continue;
      entries.set(key(l.assignmentId, l.lessonNumber), {
        lessonId: l.id,
        assignmentId: l.assignmentId,
        lessonNumber: l.lessonNumber,
        startsAt: l.startsAt,
        endsAt: l.endsAt,
        room: l.slot?.room ?? null,
        subject: l.subject,
        class: { id: l.class.id, name: className(l.class) },
        subgroup: l.subgroup,
        teacher: l.teacher,
        substitute: l.substitute,
        topic: l.topic,
        homework: l.homework,
      });
    }
    const list = [...entries.values()].sort(
      (a, b) => a.lessonNumber - b.lessonNumber || a.startsAt.localeCompare(b.startsAt),
    );
    return { date, weekday: i + 1, holiday: holiday?.name ?? null, lessons: list };
  });
  return { from, to, days };
}
