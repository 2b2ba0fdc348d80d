import { type DbOrTx, Prisma, queryRows } from "../db/client.js";
import { validation } from "./errors.js";
import { enrolledSql, memberSql } from "./membership.js";
import { isoOf } from "./validate.js";

/** Where a lesson happens: its class (or subgroup) on its date. */
export interface LessonPlace {
  classId: number;
  subgroupId: number | null;
  date: Date;
}

export interface LessonPupil {
  id: number;
  lastName: string;
  firstName: string;
}

const collator = new Intl.Collator("ru");
/** Surname, then first name, in Russian alphabetical order: how the journal lists people. */
export const bySurname = (
  a: { lastName: string; firstName: string },
  b: { lastName: string; firstName: string },
) => collator.compare(a.lastName, b.lastName) || collator.compare(a.firstName, b.firstName);

/**
 * The condition "person `p` belongs to the lesson": enrolled in its class on its date and, for a
 * subgroup lesson, a member of that subgroup on that date (membership.ts, the one home of "in
 * force on a day"). The lesson comes as values, or as "lesson row": the row `l` of "Lesson" in the
 * same query. The day goes as text so no session time zone can shift it.
 */
export function inLessonSql(place: LessonPlace | "lesson row"): Prisma.Sql {
  const pupil = Prisma.raw("p.id");
  if (place === "lesson row") {
    const day = Prisma.raw("l.date");
    return Prisma.sql`${enrolledSql(pupil, Prisma.raw(`l."classId"`), day)}
      AND (l."subgroupId" IS NULL OR ${memberSql(pupil, Prisma.raw(`l."subgroupId"`), day)})`;
  }
  const day = isoOf(place.date);
  return Prisma.sql`${enrolledSql(pupil, Prisma.sql`${place.classId}::int`, day)}
    ${place.subgroupId ? Prisma.sql`AND ${memberSql(pupil, Prisma.sql`${place.subgroupId}::int`, day)}` : Prisma.empty}`;
}

/**
 * Pupils who belong to a lesson (see inLessonSql). One query, in raw SQL: this check sits on
 * every marks and attendance write.
 */
export async function lessonPupils(
  db: DbOrTx,
  place: LessonPlace,
  onlyIds?: readonly number[],
): Promise<LessonPupil[]> {
  const rows = await queryRows<LessonPupil>(
    db,
    Prisma.sql`
    SELECT p.id, p."lastName", p."firstName"
    FROM "Person" p
    WHERE ${inLessonSql(place)}
      ${onlyIds ? Prisma.sql`AND p.id = ANY(${[...onlyIds]}::int[])` : Prisma.empty}`,
  );
  return rows.sort(bySurname);
}

/** Refuses pupils who are not in the lesson's class (or subgroup) on its date, naming them. */
export async function requireLessonPupils(
  db: DbOrTx,
  place: LessonPlace,
  pupilIds: readonly number[],
): Promise<LessonPupil[]> {
  const unique = [...new Set(pupilIds)];
  if (unique.length === 0) return [];
  const found = await lessonPupils(db, place, unique);
  refuseOutsiders(
    place,
    unique,
    found.map((p) => p.id),
  );
  return found;
}

/** The refusal of requireLessonPupils, for callers that looked the pupils up themselves. */
export function refuseOutsiders(
  place: LessonPlace,
  wanted: readonly number[],
  found: readonly number[],
): void {
  const ok = new Set(found);
  const missing = [...new Set(wanted)].filter((id) => !ok.has(id));
  if (missing.length > 0) {
    throw validation(
      place.subgroupId
        ? "Не все ученики занимаются в подгруппе этого урока на его дату: уберите их из списка или проверьте состав подгруппы."
        : "Не все ученики числятся в классе на дату урока: уберите их из списка или проверьте зачисление.",
      { pupilIds: missing },
    );
  }
}

/** Refuses a list that names one pupil twice (two cells for one pupil would be ambiguous). */
export function requireDistinct(pupilIds: readonly number[]): void {
  const seen = new Set<number>();
  const twice = pupilIds.filter((id) => seen.size === seen.add(id).size);
  if (twice.length > 0) {
    throw validation("Один ученик указан дважды: оставьте одну запись на ученика.", { pupilIds: twice });
  }
}
