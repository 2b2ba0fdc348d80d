import { z } from "zod";
import type { Db, Tx } from "../db/client.js";
import { canActSchoolWide, requireClassTeacher } from "./access.js";
import { type Actor, isSchoolWide, isStaff } from "./actor.js";
import { forbidden, notFound, validation } from "./errors.js";
import {
  applyClassList,
  CLASS_LIST_COLUMNS,
  CLASS_LIST_REQUIRED,
  planClassList,
  summarizeClassList,
} from "./imports-class-list.js";
import { Problems, resolveYear, weekdayName } from "./imports-common.js";
import { type Column, readTable, type TableFormat, writeTable } from "./imports-table.js";
import { applyTimetable, planTimetable, TIMETABLE_COLUMNS, TIMETABLE_REQUIRED } from "./imports-timetable.js";
import {
  applyTopicPlan,
  planTopicPlan,
  TOPIC_PLAN_COLUMNS,
  TOPIC_PLAN_REQUIRED,
} from "./imports-topic-plan.js";
import { enrolledOn } from "./membership.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, isoDate, isoOf, parseInput } from "./validate.js";

/**
 * Imports of class lists (with guardians), timetables and topic plans from CSV/XLSX. Every row
 * is checked first and every problem reported with its row; only a file without problems is
 * written, in one transaction. `dryRun` stops after the check.
 */
export const IMPORT_KINDS = ["class-list", "timetable", "topic-plan"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const COLUMNS: Record<ImportKind, Column[]> = {
  "class-list": CLASS_LIST_COLUMNS,
  timetable: TIMETABLE_COLUMNS,
  "topic-plan": TOPIC_PLAN_COLUMNS,
};

export const importOptionsInput = z.object({
  format: z.enum(["csv", "xlsx"]),
  dryRun: z.boolean().default(false),
  yearId: id.optional(),
  /** Timetable: the first day it applies (default: today). */
  validFrom: isoDate.optional(),
  /** Class list: the enrolment date of new pupils (default: today, not before the year's start). */
  joinedOn: isoDate.optional(),
});

export interface ImportResult {
  kind: ImportKind;
  dryRun: boolean;
  applied: boolean;
  rows: number;
  problems: { row: number; column?: string; message: string }[];
  summary: Record<string, number>;
}

export async function runImport(db: Db, actor: Actor, kind: ImportKind, options: unknown, data: Buffer) {
  const opts = parseInput(importOptionsInput, options);
  if (!isStaff(actor)) throw forbidden("Импорт доступен сотрудникам школы.");
  if (kind === "timetable" && !canActSchoolWide(actor)) {
    throw forbidden("Расписание загружает завуч или администратор журнала.");
  }
  const { today } = await loadSchoolToday(db, actor.schoolId);
  const year = await resolveYear(db, actor, opts.yearId, today);
  const problems = new Problems();
  const result = (rows: number, summary: Record<string, number>, applied: boolean): ImportResult => ({
    kind,
    dryRun: opts.dryRun,
    applied,
    rows,
    problems: problems.list,
    summary,
  });

  if (kind === "class-list") {
    const rows = await readTable(opts.format, data, CLASS_LIST_COLUMNS, CLASS_LIST_REQUIRED);
    const plan = await planClassList(db, actor, year.id, rows, problems);
    const joinedOn = opts.joinedOn ?? [today, isoOf(year.startDate)].sort()[1]!;
    return finish(db, opts.dryRun, problems, result.bind(null, rows.length, summarizeClassList(plan)), (tx) =>
      applyClassList(tx, actor, plan, joinedOn),
    );
  }
  if (kind === "timetable") {
    const rows = await readTable(opts.format, data, TIMETABLE_COLUMNS, TIMETABLE_REQUIRED);
    const validFrom = opts.validFrom ?? today;
    if (validFrom < isoOf(year.startDate) || validFrom > isoOf(year.endDate)) {
      problems.add(1, `дата начала ${validFrom} вне учебного года ${year.name}`);
    }
    const plan = await planTimetable(db, actor, year.id, validFrom, rows, problems);
    const summary = { slots: plan.slots.length, classes: plan.classIds.length };
    return finish(db, opts.dryRun, problems, result.bind(null, rows.length, summary), (tx) =>
      applyTimetable(tx, actor, year.id, plan, today),
    );
  }
  const rows = await readTable(opts.format, data, TOPIC_PLAN_COLUMNS, TOPIC_PLAN_REQUIRED);
  const plan = await planTopicPlan(db, actor, year.id, rows, problems);
  const summary = { plans: plan.plans.length, items: plan.plans.reduce((n, p) => n + p.items.length, 0) };
  return finish(db, opts.dryRun, problems, result.bind(null, rows.length, summary), (tx) =>
    applyTopicPlan(tx, actor, plan),
  );
}

async function finish(
  db: Db,
  dryRun: boolean,
  problems: Problems,
  result: (applied: boolean) => ImportResult,
  apply: (tx: Tx) => Promise<unknown>,
): Promise<ImportResult> {
  if (dryRun) return result(false);
  if (!problems.empty) {
    throw validation(
      `Файл не загружен: ${problems.list.length} ошибок. Исправьте строки из списка (или проверьте файл с dryRun=true).`,
      { problems: problems.list },
    );
  }
  await db.$transaction((tx) => apply(tx), { timeout: 60_000 });
  return result(true);
}

export const exportInput = z.object({
  format: z.enum(["csv", "xlsx"]).default("csv"),
  yearId: id.optional(),
  classId: id.optional(),
  assignmentId: id.optional(),
});

/** Exports in the import shapes, so a file can be edited and loaded back. */
export async function runExport(db: Db, actor: Actor, kind: ImportKind, input: unknown) {
  const q = parseInput(exportInput, input);
  if (!isStaff(actor)) throw forbidden("Выгрузка доступна сотрудникам школы.");
  const { today } = await loadSchoolToday(db, actor.schoolId);
  const year = await resolveYear(db, actor, q.yearId, today);
  const rows = await exportRows(db, actor, kind, year.id, today, q);
  const body = await writeTable(q.format, COLUMNS[kind], rows);
  return { body, filename: `${kind}-${today}.${q.format}`, format: q.format as TableFormat };
}

type Row = Record<string, string | number | null>;
const fmtDate = (d: Date | null) => (d ? isoOf(d).split("-").reverse().join(".") : "");

async function exportRows(
  db: Db,
  actor: Actor,
  kind: ImportKind,
  yearId: number,
  today: string,
  q: z.infer<typeof exportInput>,
): Promise<Row[]> {
  if (kind === "class-list") {
    if (!q.classId) throw validation("Укажите classId: список выгружается по одному классу.");
    // The director reads school-wide; writers of the class list are its class teacher and the deputy.
    if (isSchoolWide(actor)) {
      const cls = await db.class.findFirst({ where: { id: q.classId, year: { schoolId: actor.schoolId } } });
      if (!cls) throw notFound("Класс");
    } else {
      await requireClassTeacher(db, actor, q.classId);
    }
    const enrolments = await db.enrolment.findMany({
      where: {
        classId: q.classId,
        ...enrolledOn(dateOnly(today)),
      },
      include: {
        class: true,
        pupil: { include: { guardians: { include: { guardian: true } } } },
      },
      orderBy: [{ pupil: { lastName: "asc" } }, { pupil: { firstName: "asc" } }],
    });
    return enrolments.flatMap((e) => {
      const p = e.pupil;
      const base: Row = {
        class: `${e.class.grade}${e.class.letter}`,
        lastName: p.lastName,
        firstName: p.firstName,
        middleName: p.middleName,
        birthDate: fmtDate(p.birthDate),
        sex: p.sex === "M" ? "М" : p.sex === "F" ? "Ж" : "",
        joinOrder: e.joinOrder,
      };
      if (p.guardians.length === 0) return [base];
      return p.guardians.map((l) => ({
        ...base,
        guardianLastName: l.guardian.lastName,
        guardianFirstName: l.guardian.firstName,
        guardianMiddleName: l.guardian.middleName,
        guardianRelation: l.relation,
        guardianPhone: l.guardian.phone,
        guardianEmail: l.guardian.email,
      }));
    });
  }
  if (kind === "timetable") {
    const day = dateOnly(today);
    const slots = await db.timetableSlot.findMany({
      where: {
        assignment: {
          yearId,
          ...(q.classId ? { classId: q.classId } : {}),
          class: { year: { schoolId: actor.schoolId } },
        },
        validFrom: { lte: day },
        OR: [{ validTo: null }, { validTo: { gte: day } }],
      },
      include: { assignment: { include: { class: true, subject: true, teacher: true, subgroup: true } } },
      orderBy: [{ weekday: "asc" }, { lessonNumber: "asc" }],
    });
    return slots
      .map((s) => ({
        class: `${s.assignment.class.grade}${s.assignment.class.letter}`,
        weekday: weekdayName(s.weekday),
        lessonNumber: s.lessonNumber,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        subject: s.assignment.subject.name,
        teacher: [
          s.assignment.teacher.lastName,
          s.assignment.teacher.firstName,
          s.assignment.teacher.middleName,
        ]
          .filter(Boolean)
          .join(" "),
        subgroup: s.assignment.subgroup?.name ?? "",
        room: s.room,
        _sort: `${s.assignment.class.grade.toString().padStart(2, "0")}${s.assignment.class.letter}${s.weekday}${String(s.lessonNumber).padStart(2, "0")}`,
      }))
      .sort((a, b) => a._sort.localeCompare(b._sort))
      .map(({ _sort, ...r }) => r);
  }
  if (!q.assignmentId) throw validation("Укажите assignmentId: КТП выгружается по одной нагрузке.");
  const a = await db.teachingAssignment.findUnique({
    where: { id: q.assignmentId },
    include: {
      class: { include: { year: true } },
      subject: true,
      teacher: true,
      topicPlan: { orderBy: { number: "asc" } },
    },
  });
  if (!a || a.class.year.schoolId !== actor.schoolId) throw notFound("Нагрузка");
  const teacher = [a.teacher.lastName, a.teacher.firstName, a.teacher.middleName].filter(Boolean).join(" ");
  return a.topicPlan.map((t) => ({
    class: `${a.class.grade}${a.class.letter}`,
    subject: a.subject.name,
    teacher,
    number: t.number,
    topic: t.topic,
    hours: t.hours,
    plannedDate: fmtDate(t.plannedDate),
  }));
}
