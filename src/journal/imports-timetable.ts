import type { Db, Tx } from "../db/client.js";
import { emit } from "../events/outbox.js";
import type { Actor } from "./actor.js";
import { audit } from "./audit.js";
import {
  className,
  matchPerson,
  norm,
  type Problems,
  parseClassName,
  parseTime,
  parseWeekday,
  type StaffEntry,
  weekdayName,
} from "./imports-common.js";
import type { Column, TableRow } from "./imports-table.js";
import { dateOnly, hhmm, text } from "./validate.js";

/**
 * A timetable replaces the current one of every class it names, from `validFrom`: the old slots
 * end the day before, so lessons already held keep their slot. Missing teaching assignments
 * (class × subject × teacher) are created.
 */
export const TIMETABLE_COLUMNS: Column[] = [
  { key: "class", title: "Класс" },
  { key: "weekday", title: "День недели", aliases: ["День"] },
  { key: "lessonNumber", title: "Урок №", aliases: ["Урок", "№ урока"] },
  { key: "startsAt", title: "Начало" },
  { key: "endsAt", title: "Окончание", aliases: ["Конец"] },
  { key: "subject", title: "Предмет" },
  { key: "teacher", title: "Учитель" },
  { key: "subgroup", title: "Подгруппа" },
  { key: "room", title: "Кабинет" },
];
export const TIMETABLE_REQUIRED = [
  "class",
  "weekday",
  "lessonNumber",
  "startsAt",
  "endsAt",
  "subject",
  "teacher",
];

interface SlotPlan {
  row: number;
  classId: number;
  subjectId: number;
  teacherId: number;
  subgroupId: number | null;
  weekday: number;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  room: string | null;
}
export interface TimetablePlan {
  validFrom: string;
  classIds: number[];
  slots: SlotPlan[];
}

export async function planTimetable(
  db: Db,
  actor: Actor,
  yearId: number,
  validFrom: string,
  rows: TableRow[],
  problems: Problems,
): Promise<TimetablePlan> {
  const [classes, subjects, staff] = await Promise.all([
    db.class.findMany({ where: { yearId }, include: { subgroups: true } }),
    db.subject.findMany({ where: { schoolId: actor.schoolId } }),
    db.person.findMany({
      where: { schoolId: actor.schoolId, roles: { some: { role: { in: ["TEACHER", "DEPUTY", "TUTOR"] } } } },
      select: { id: true, lastName: true, firstName: true, middleName: true },
    }),
  ]);
  const slots: SlotPlan[] = [];
  const busy = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cn = parseClassName(cells.class ?? "");
    const cls = cn && classes.find((c) => c.grade === cn.grade && c.letter === cn.letter);
    if (!cn) problems.add(row, "класс вида «5А»", "Класс");
    else if (!cls) problems.add(row, `класса ${className(cn)} нет в этом учебном году`, "Класс");
    const weekday = parseWeekday(cells.weekday ?? "");
    if (!weekday) problems.add(row, "день недели: 1–6 или Пн…Сб", "День недели");
    const n = Number(cells.lessonNumber);
    if (!Number.isInteger(n) || n < 0 || n > 12) problems.add(row, "номер урока 0–12", "Урок №");
    const startsAt = hhmm.safeParse(parseTime(cells.startsAt ?? "") ?? "");
    const endsAt = hhmm.safeParse(parseTime(cells.endsAt ?? "") ?? "");
    if (!startsAt.success) problems.add(row, "время вида 08:30", "Начало");
    if (!endsAt.success) problems.add(row, "время вида 09:15", "Окончание");
    if (startsAt.success && endsAt.success && startsAt.data >= endsAt.data) {
      problems.add(row, "урок заканчивается позже, чем начинается", "Окончание");
    }
    const subject = subjects.find((s) => norm(s.name) === norm(cells.subject ?? ""));
    if (!subject) problems.add(row, `предмета «${cells.subject ?? ""}» нет в школе: добавьте его`, "Предмет");
    const teacher = matchPerson(cells.teacher ?? "", staff as StaffEntry[]);
    if (typeof teacher === "string") problems.add(row, teacher, "Учитель");
    let subgroupId: number | null = null;
    if (cls && cells.subgroup?.trim()) {
      const sg = cls.subgroups.find((s) => norm(s.name) === norm(cells.subgroup!));
      if (!sg) problems.add(row, `в ${className(cls)} нет подгруппы «${cells.subgroup}»`, "Подгруппа");
      else subgroupId = sg.id;
    }
    // The room is stored as written: bounded and free of control characters like any text.
    const room = cells.room?.trim() ? text(20).safeParse(cells.room) : null;
    if (room && !room.success) problems.add(row, room.error.issues[0]?.message ?? "кабинет", "Кабинет");
    if (!cls || !weekday || !startsAt.success || !endsAt.success || !subject || typeof teacher === "string")
      continue;
    if (room && !room.success) continue;
    if (!Number.isInteger(n) || n < 0 || n > 12) continue;
    const at = `${weekday}:${n}`;
    const classKey = `c${cls.id}:${subgroupId ?? "all"}:${at}`;
    const clash = busy.get(classKey) ?? (subgroupId === null ? undefined : busy.get(`c${cls.id}:all:${at}`));
    if (clash)
      problems.add(
        row,
        `у ${className(cls)} уже есть ${n}-й урок в ${weekdayName(weekday)} (строка ${clash})`,
        "Урок №",
      );
    const teacherKey = `t${teacher.id}:${at}`;
    const tClash = busy.get(teacherKey);
    if (tClash)
      problems.add(
        row,
        `учитель уже ведёт ${n}-й урок в ${weekdayName(weekday)} (строка ${tClash})`,
        "Учитель",
      );
    busy.set(classKey, row);
    busy.set(teacherKey, row);
    slots.push({
      row,
      classId: cls.id,
      subjectId: subject.id,
      teacherId: teacher.id,
      subgroupId,
      weekday,
      lessonNumber: n,
      startsAt: startsAt.data,
      endsAt: endsAt.data,
      room: room?.data ?? null,
    });
  }
  return { validFrom, classIds: [...new Set(slots.map((s) => s.classId))], slots };
}

/**
 * Replaces the classes' timetable from `validFrom` on and tells their guardians (one
 * timetable.changed per class, as a change made by hand does), all in the caller's transaction.
 */
export async function applyTimetable(
  tx: Tx,
  actor: Actor,
  yearId: number,
  plan: TimetablePlan,
  today: string,
) {
  const from = dateOnly(plan.validFrom);
  const dayBefore = new Date(from.getTime() - 86_400_000);
  const assignments = await tx.teachingAssignment.findMany({
    where: { yearId, classId: { in: plan.classIds } },
  });
  // Slots that would start after the new timetable are dropped; the rest end the day before.
  const old = await tx.timetableSlot.findMany({
    where: {
      assignment: { classId: { in: plan.classIds }, yearId },
      OR: [{ validTo: null }, { validTo: { gte: from } }],
    },
    select: { id: true, validFrom: true },
  });
  const future = old.filter((s) => s.validFrom >= from).map((s) => s.id);
  if (future.length) await tx.timetableSlot.deleteMany({ where: { id: { in: future } } });
  const ending = old.filter((s) => s.validFrom < from).map((s) => s.id);
  if (ending.length)
    await tx.timetableSlot.updateMany({ where: { id: { in: ending } }, data: { validTo: dayBefore } });
  let created = 0;
  const slotsOf = new Map<number, number[]>();
  for (const s of plan.slots) {
    let a = assignments.find(
      (x) =>
        x.classId === s.classId &&
        x.subjectId === s.subjectId &&
        x.teacherId === s.teacherId &&
        x.subgroupId === s.subgroupId,
    );
    if (!a) {
      a = await tx.teachingAssignment.create({
        data: {
          yearId,
          classId: s.classId,
          subjectId: s.subjectId,
          teacherId: s.teacherId,
          subgroupId: s.subgroupId,
        },
      });
      assignments.push(a);
      await audit(tx, actor, {
        action: "assignment.create",
        entity: "TeachingAssignment",
        entityId: a.id,
        after: { ...a, via: "import" },
      });
    }
    const slot = await tx.timetableSlot.create({
      select: { id: true },
      data: {
        assignmentId: a.id,
        weekday: s.weekday,
        lessonNumber: s.lessonNumber,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        room: s.room,
        validFrom: from,
      },
    });
    created++;
    slotsOf.set(s.classId, [...(slotsOf.get(s.classId) ?? []), slot.id]);
  }
  for (const [classId, slotIds] of slotsOf) {
    await emit(tx, actor.schoolId, {
      type: "timetable.changed",
      // From today when the new timetable started earlier: the past is bookkeeping.
      payload: { classId, from: [plan.validFrom, today].sort()[1]!, slotIds },
    });
  }
  await audit(tx, actor, {
    action: "timetable.import",
    entity: "AcademicYear",
    entityId: yearId,
    before: { endedSlots: ending.length, droppedSlots: future.length },
    after: { classIds: plan.classIds, slots: created, validFrom: plan.validFrom },
  });
  return { slotsCreated: created, slotsEnded: ending.length };
}
