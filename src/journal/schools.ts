import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import type { PeriodKind } from "../generated/prisma/enums.js";
import { canActSchoolWide, requireRole } from "./access.js";
import type { Actor } from "./actor.js";
import { audit } from "./audit.js";
import { hashPassword, loginSchema, passwordSchema } from "./credentials.js";
import { conflict, forbidden, notFound, validation } from "./errors.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, hhmm, id, int, isoDate, isoOf, line, namePart, parseInput, text } from "./validate.js";

/** The school, its settings and calendar, academic years and their periods (000 §3.3–3.6). */

export async function getSchool(db: DbOrTx, actor: Actor, _input?: unknown) {
  const school = await db.school.findUnique({
    where: { id: actor.schoolId },
    include: { holidays: { orderBy: { fromDate: "asc" } } },
  });
  if (!school) throw notFound("Школа");
  return school;
}

export const updateSchoolSettingsInput = z
  .object({
    name: text(200),
    timeZone: line(64).refine((v) => IANAZone.isValidZone(v), "часовой пояс IANA, например Europe/Moscow"),
    periodSystem: z.enum(["QUARTERS", "TRIMESTERS", "HALVES"]),
    fillDeadline: hhmm,
    markLockDays: int(1, 30),
    weekDays: z.union([z.literal(5), z.literal(6)], "5 или 6 дней в неделю"),
    quietHoursStart: hhmm,
    quietHoursEnd: hhmm,
    /** Only absence alerts wait (a teacher's correction lands first); everything else leaves at once. */
    absenceGraceMinutes: int(0, 120, "от 0 до 120 минут").describe(
      "Задержка уведомления об отсутствии, минут: 0–120, по умолчанию 10",
    ),
    inviteTtlDays: int(1, 30, "от 1 до 30 дней"),
    /** Telegram paid broadcasts for school and class announcements (opt-in: it costs Stars). */
    paidBroadcast: z
      .boolean()
      .describe(
        "Платные рассылки Telegram для объявлений школы и класса (до 1000 сообщений/с), по умолчанию нет",
      ),
  })
  .partial();

export async function updateSchoolSettings(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(updateSchoolSettingsInput, input);
  if (!actor.roles.includes("ADMIN")) {
    throw forbidden("Настройки школы меняет администратор электронного журнала.");
  }
  return db.$transaction(async (tx) => {
    const before = await tx.school.findUniqueOrThrow({ where: { id: actor.schoolId } });
    const after = await tx.school.update({ where: { id: actor.schoolId }, data });
    const changed = Object.keys(data) as (keyof typeof data)[];
    await audit(tx, actor, {
      action: "school.settings",
      entity: "School",
      entityId: actor.schoolId,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: data,
    });
    return after;
  });
}

function requireCalendarEditor(actor: Actor) {
  if (!canActSchoolWide(actor)) {
    throw forbidden("Каникулы и учебный год настраивает администратор журнала или заместитель директора.");
  }
}

export const addHolidayInput = z
  .object({ fromDate: isoDate, toDate: isoDate, name: text(100) })
  .refine((v) => v.fromDate <= v.toDate, { message: "дата окончания раньше даты начала", path: ["toDate"] });

export async function addHoliday(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(addHolidayInput, input);
  requireCalendarEditor(actor);
  return db.$transaction(async (tx) => {
    const row = await tx.holiday.create({
      data: {
        schoolId: actor.schoolId,
        fromDate: dateOnly(data.fromDate),
        toDate: dateOnly(data.toDate),
        name: data.name,
      },
    });
    await audit(tx, actor, { action: "holiday.add", entity: "Holiday", entityId: row.id, after: data });
    return row;
  });
}

export const removeHolidayInput = z.object({ holidayId: id });

export async function removeHoliday(db: Db, actor: Actor, input: unknown): Promise<void> {
  const { holidayId } = parseInput(removeHolidayInput, input);
  requireCalendarEditor(actor);
  await db.$transaction(async (tx) => {
    const row = await tx.holiday.findUnique({ where: { id: holidayId } });
    if (!row || row.schoolId !== actor.schoolId) throw notFound("Период каникул");
    await tx.holiday.delete({ where: { id: holidayId } });
    await audit(tx, actor, { action: "holiday.remove", entity: "Holiday", entityId: holidayId, before: row });
  });
}

const PERIODS: Record<
  "QUARTERS" | "TRIMESTERS" | "HALVES",
  { kind: PeriodKind; count: number; name: string }
> = {
  QUARTERS: { kind: "QUARTER", count: 4, name: "четверть" },
  TRIMESTERS: { kind: "TRIMESTER", count: 3, name: "триместр" },
  HALVES: { kind: "HALF", count: 2, name: "полугодие" },
};

const range = z.object({ startDate: isoDate, endDate: isoDate });

export const createYearInput = z
  .object({
    name: z.string().regex(/^\d{4}\/\d{4}$/, "в виде 2026/2027"),
    startDate: isoDate,
    endDate: isoDate,
    /** The periods' boundaries in order; omitted: the year is split into equal parts. */
    periods: z.array(range).min(2).max(4).optional(),
  })
  .refine((v) => v.startDate < v.endDate, { message: "конец года раньше начала", path: ["endDate"] });

/** Splits [start, end] into n consecutive ranges of nearly equal length. */
export function splitYear(
  startIso: string,
  endIso: string,
  n: number,
): { startDate: string; endDate: string }[] {
  const start = DateTime.fromISO(startIso, { zone: "utc" });
  const days = DateTime.fromISO(endIso, { zone: "utc" }).diff(start, "days").days + 1;
  return Array.from({ length: n }, (_, i) => ({
    startDate: start.plus({ days: Math.round((days * i) / n) }).toISODate()!,
    endDate: start.plus({ days: Math.round((days * (i + 1)) / n) - 1 }).toISODate()!,
  }));
}

/** Refuses periods that are out of order, overlap, or leave the year (a pure rule). */
export function periodsProblem(
  year: { startDate: string; endDate: string },
  periods: readonly { startDate: string; endDate: string }[],
): string | null {
  let previousEnd = "";
  for (const [i, p] of periods.entries()) {
    const n = i + 1;
    if (p.startDate > p.endDate) return `Период ${n}: дата окончания раньше даты начала.`;
    if (p.startDate < year.startDate || p.endDate > year.endDate)
      return `Период ${n} выходит за границы учебного года.`;
    if (previousEnd && p.startDate <= previousEnd)
      return `Период ${n} начинается раньше, чем закончился предыдущий.`;
    previousEnd = p.endDate;
  }
  return null;
}

export async function createYear(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(createYearInput, input);
  requireRole(actor, "ADMIN");
  const school = await db.school.findUniqueOrThrow({
    where: { id: actor.schoolId },
    select: { periodSystem: true },
  });
  const system = PERIODS[school.periodSystem];
  const ranges = data.periods ?? splitYear(data.startDate, data.endDate, system.count);
  if (ranges.length !== system.count) {
    throw validation(
      `В школе принята система «${system.name}»: укажите ${system.count} периода(ов) или не указывайте их вовсе.`,
    );
  }
  const problem = periodsProblem(data, ranges);
  if (problem) throw validation(problem);
  if (await db.academicYear.findFirst({ where: { schoolId: actor.schoolId, name: data.name } })) {
    throw conflict(`Учебный год ${data.name} уже создан.`);
  }
  return db.$transaction(async (tx) => {
    const year = await tx.academicYear.create({
      data: {
        schoolId: actor.schoolId,
        name: data.name,
        startDate: dateOnly(data.startDate),
        endDate: dateOnly(data.endDate),
      },
    });
    const rows = [
      ...ranges.map((r, i) => ({ kind: system.kind, number: i + 1, name: `${i + 1} ${system.name}`, ...r })),
      {
        kind: "YEAR" as PeriodKind,
        number: 1,
        name: "Год",
        startDate: data.startDate,
        endDate: data.endDate,
      },
    ];
    await tx.period.createMany({
      data: rows.map((r) => ({
        ...r,
        yearId: year.id,
        startDate: dateOnly(r.startDate),
        endDate: dateOnly(r.endDate),
      })),
    });
    await audit(tx, actor, {
      action: "year.create",
      entity: "AcademicYear",
      entityId: year.id,
      after: { ...data, periods: rows },
    });
    const periods = await tx.period.findMany({
      where: { yearId: year.id },
      orderBy: [{ startDate: "asc" }, { kind: "asc" }],
    });
    return { ...year, periods };
  });
}

export const listPeriodsInput = z.object({ yearId: id.optional() });

/** Periods of a year (by default the year that contains today, else the latest one). */
export async function listPeriods(db: DbOrTx, actor: Actor, input: unknown = {}) {
  const { yearId } = parseInput(listPeriodsInput, input);
  const year = yearId
    ? await db.academicYear.findUnique({ where: { id: yearId } })
    : await currentYear(db, actor.schoolId);
  if (!year || year.schoolId !== actor.schoolId) throw notFound("Учебный год");
  const periods = await db.period.findMany({
    where: { yearId: year.id },
    orderBy: [{ kind: "asc" }, { number: "asc" }],
  });
  return { year, periods };
}

/** The school's academic years, newest first. */
export const listYears = (db: DbOrTx, actor: Actor, _input?: unknown) =>
  db.academicYear.findMany({ where: { schoolId: actor.schoolId }, orderBy: { startDate: "desc" } });

/** The academic year that contains the school's today, or the latest one. */
export async function currentYear(db: DbOrTx, schoolId: number) {
  const { today } = await loadSchoolToday(db, schoolId);
  const day = dateOnly(today);
  return (
    (await db.academicYear.findFirst({
      where: { schoolId, startDate: { lte: day }, endDate: { gte: day } },
    })) ?? (await db.academicYear.findFirst({ where: { schoolId }, orderBy: { startDate: "desc" } }))
  );
}

export const formatDate = (d: Date) => isoOf(d).split("-").reverse().join(".");

export const createSchoolInput = z.object({
  name: text(200),
  timeZone: updateSchoolSettingsInput.shape.timeZone.unwrap().default("Europe/Moscow"),
  admin: z.object({ lastName: namePart, firstName: namePart, middleName: namePart.optional() }),
  login: loginSchema,
  password: passwordSchema,
});

/**
 * Installs a new school with its first journal admin: the one step no actor can take, so only
 * the IT admin's command line calls it (`npm run journal -- create-school`).
 */
export async function createSchoolWithAdmin(db: Db, input: unknown) {
  const data = parseInput(createSchoolInput, input);
  const passwordHash = await hashPassword(data.password);
  return db.$transaction(async (tx) => {
    if (await tx.person.findUnique({ where: { login: data.login }, select: { id: true } })) {
      throw conflict(`Логин «${data.login}» уже занят: выберите другой.`);
    }
    const school = await tx.school.create({ data: { name: data.name, timeZone: data.timeZone } });
    const admin = await tx.person.create({
      data: {
        schoolId: school.id,
        ...data.admin,
        login: data.login,
        passwordHash,
        roles: { create: [{ role: "ADMIN" }] },
      },
      select: { id: true },
    });
    const actor: Actor = { personId: admin.id, schoolId: school.id, roles: ["ADMIN"] };
    await audit(
      tx,
      actor,
      { action: "school.create", entity: "School", entityId: school.id, after: { name: school.name } },
      { action: "person.create", entity: "Person", entityId: admin.id, after: { roles: ["ADMIN"] } },
    );
    return { schoolId: school.id, adminId: admin.id };
  });
}
