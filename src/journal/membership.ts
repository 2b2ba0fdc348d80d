import { Prisma } from "../db/client.js";
import { isoOf } from "./validate.js";

/**
 * "Who was in this class (or subgroup) on that day": the one home of the rule, as a SQL fragment,
 * a Prisma filter and a TS predicate. An enrolment or a subgroup membership is in force on `day`
 * when it began on or before it and has not ended: joinedOn ≤ day < leftOn (leftOn is the first
 * day away). A subgroup membership without joinedOn dates from the subgroup's first composition.
 * Every read of a past lesson's pupils goes through here, so regrouping or a transfer never
 * rewrites history (002 §5.36).
 */

/** Rows with a start and an optional end, as Prisma or a JSON read gives them. */
export interface Stay {
  joinedOn: Date | string | null;
  leftOn: Date | string | null;
}

const iso = (d: Date | string) => (typeof d === "string" ? d.slice(0, 10) : isoOf(d));

/** Whether the stay is in force on the local date `day` ("YYYY-MM-DD"). */
export function inForceOn(stay: Stay, day: string): boolean {
  return (
    (stay.joinedOn === null || iso(stay.joinedOn) <= day) && (stay.leftOn === null || day < iso(stay.leftOn))
  );
}

/** Whether the stay overlaps the days from `from` to `to` inclusive. */
export function overlaps(stay: Stay, from: string, to: string): boolean {
  return (
    (stay.joinedOn === null || iso(stay.joinedOn) <= to) && (stay.leftOn === null || from < iso(stay.leftOn))
  );
}

/** The day as SQL: a Date or "YYYY-MM-DD" goes as a text-cast date (no session zone can shift it). */
const daySql = (day: Date | string | Prisma.Sql): Prisma.Sql =>
  day instanceof Date || typeof day === "string"
    ? Prisma.sql`${typeof day === "string" ? day : isoOf(day)}::date`
    : day;

/**
 * SQL condition: row `alias` of "Enrolment" or "SubgroupMember" is in force on `day` (a value, or
 * a SQL expression such as Prisma.raw("l.date") for the lesson of the same query).
 */
export function inForceSql(alias: string, day: Date | string | Prisma.Sql): Prisma.Sql {
  const a = Prisma.raw(alias);
  const d = daySql(day);
  return Prisma.sql`(${a}."joinedOn" IS NULL OR ${a}."joinedOn" <= ${d}) AND (${a}."leftOn" IS NULL OR ${a}."leftOn" > ${d})`;
}

/** SQL condition: row `alias` of "Enrolment" or "SubgroupMember" overlaps the days [from, to]. */
export function overlapsSql(alias: string, from: Prisma.Sql, to: Prisma.Sql): Prisma.Sql {
  const a = Prisma.raw(alias);
  return Prisma.sql`(${a}."joinedOn" IS NULL OR ${a}."joinedOn" <= ${to}) AND (${a}."leftOn" IS NULL OR ${a}."leftOn" > ${from})`;
}

/** SQL condition: pupil `pupil` (an SQL expression) is enrolled in `classId` on `day`. */
export function enrolledSql(
  pupil: Prisma.Sql,
  classId: Prisma.Sql,
  day: Date | string | Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Enrolment" e
    WHERE e."pupilId" = ${pupil} AND e."classId" = ${classId} AND ${inForceSql("e", day)})`;
}

/** SQL condition: pupil `pupil` is a member of `subgroupId` on `day`. */
export function memberSql(
  pupil: Prisma.Sql,
  subgroupId: Prisma.Sql,
  day: Date | string | Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "SubgroupMember" sm
    WHERE sm."pupilId" = ${pupil} AND sm."subgroupId" = ${subgroupId} AND ${inForceSql("sm", day)})`;
}

/** Prisma filter for Enrolment rows in force on `day` (UTC midnight Date of the local date). */
export const enrolledOn = (day: Date) => ({
  joinedOn: { lte: day },
  OR: [{ leftOn: null }, { leftOn: { gt: day } }],
});

/** Prisma filter for Enrolment rows overlapping [from, to]. */
export const enrolledDuring = (from: Date, to: Date) => ({
  joinedOn: { lte: to },
  OR: [{ leftOn: null }, { leftOn: { gt: from } }],
});

/** Prisma filter for SubgroupMember rows in force on `day`. */
export const memberOn = (day: Date) => ({
  AND: [
    { OR: [{ joinedOn: null }, { joinedOn: { lte: day } }] },
    { OR: [{ leftOn: null }, { leftOn: { gt: day } }] },
  ],
});

/** Prisma filter for SubgroupMember rows overlapping [from, to]. */
export const memberDuring = (from: Date, to: Date) => ({
  AND: [
    { OR: [{ joinedOn: null }, { joinedOn: { lte: to } }] },
    { OR: [{ leftOn: null }, { leftOn: { gt: from } }] },
  ],
});
