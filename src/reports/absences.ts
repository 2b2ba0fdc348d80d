import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { bySurname } from "../journal/lesson-pupils.js";
import { shortName } from "../journal/names.js";
import { dateOnly, id, isoDate, isoOf, parseInput } from "../journal/validate.js";
import {
  className,
  fullName,
  MONTHS_NOMINATIVE,
  type ReportDocument,
  russianRange,
  schoolYear,
} from "./document.js";
import { loadClassForReport } from "./scope.js";

/**
 * Сведения о пропущенных уроках (002 §5.37), in the form deputy heads keep: one row per pupil,
 * the lessons missed in each month of the range as columns, then the totals by reason (excused,
 * illness, unexcused, not yet given) and the lessons and whole days missed. Only absences count
 * ("опоздание" is not a missed lesson); a day counts when the pupil missed every lesson of the
 * class that day that was theirs (their subgroup's or the whole class's).
 */
export const absenceReportInput = z.object({ classId: id, from: isoDate.optional(), to: isoDate.optional() });

/** "2026-11" → «ноябрь» (a column header; the year is in the document's period). */
export const monthName = (ym: string) => MONTHS_NOMINATIVE[Number(ym.slice(5, 7)) - 1]!;

/** Every month from `from` to `to`, "YYYY-MM". */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = to.slice(0, 7);
  for (;;) {
    const ym = `${y}-${String(m).padStart(2, "0")}`;
    if (ym > end) return out;
    out.push(ym);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
}

/** Days missed entirely: the dates on which every lesson the pupil had was missed. */
export function wholeDaysMissed(had: Map<string, number>, missed: Map<string, number>): number {
  let n = 0;
  for (const [date, count] of missed) if (count > 0 && count >= (had.get(date) ?? Infinity)) n++;
  return n;
}

export interface AbsenceCounts {
  excused: number;
  illness: number;
  unexcused: number;
  unknown: number;
  total: number;
}
const zero = (): AbsenceCounts => ({ excused: 0, illness: 0, unexcused: 0, unknown: 0, total: 0 });
const add = (c: AbsenceCounts, reason: string | null) => {
  if (reason === "EXCUSED") c.excused++;
  else if (reason === "ILLNESS") c.illness++;
  else if (reason === "UNEXCUSED") c.unexcused++;
  else c.unknown++;
  c.total++;
};

export async function absenceReport(db: DbOrTx, actor: Actor, input: unknown) {
  const args = parseInput(absenceReportInput, input);
  const cls = await loadClassForReport(db, actor, args.classId);
  const from = args.from ?? isoOf(cls.year.startDate);
  const to = args.to ?? isoOf(cls.year.endDate);
  const rows = await db.attendance.findMany({
    where: { kind: "ABSENT", lesson: { classId: cls.id, date: { gte: dateOnly(from), lte: dateOnly(to) } } },
    select: { pupilId: true, reason: true, lesson: { select: { date: true } } },
  });
  const lessons = await db.lesson.findMany({
    where: { classId: cls.id, date: { gte: dateOnly(from), lte: dateOnly(to) } },
    select: { date: true, subgroupId: true },
  });
  const enrolments = await db.enrolment.findMany({
    where: { classId: cls.id },
    select: {
      pupil: {
        select: {
          id: true,
          lastName: true,
          firstName: true,
          middleName: true,
          subgroups: { select: { subgroupId: true } },
        },
      },
    },
  });
  const months = monthsBetween(from, to);
  const seen = new Set<number>();
  const pupils = enrolments
    .map((e) => e.pupil)
    .filter((p) => !seen.has(p.id) && seen.add(p.id))
    .sort(bySurname)
    .map((p) => {
      const byMonth = new Map(months.map((m) => [m, zero()]));
      const total = zero();
      const missed = new Map<string, number>();
      for (const r of rows.filter((x) => x.pupilId === p.id)) {
        const date = isoOf(r.lesson.date);
        add(byMonth.get(date.slice(0, 7))!, r.reason);
        add(total, r.reason);
        missed.set(date, (missed.get(date) ?? 0) + 1);
      }
      const groups = new Set(p.subgroups.map((g) => g.subgroupId));
      const had = new Map<string, number>();
      for (const l of lessons)
        if (l.subgroupId === null || groups.has(l.subgroupId))
          had.set(isoOf(l.date), (had.get(isoOf(l.date)) ?? 0) + 1);
      return {
        pupilId: p.id,
        name: fullName(p),
        months: months.map((m) => ({ month: m, ...byMonth.get(m)! })),
        total,
        days: wholeDaysMissed(had, missed),
      };
    });
  const classTotal = zero();
  for (const r of rows) add(classTotal, r.reason);
  return {
    class: { id: cls.id, name: className(cls) },
    classTeacher: cls.classTeacher ? shortName(cls.classTeacher) : null,
    year: cls.year.name,
    from,
    to,
    months,
    pupils,
    total: classTotal,
    days: pupils.reduce((s, p) => s + p.days, 0),
  };
}
export type AbsenceReport = Awaited<ReturnType<typeof absenceReport>>;

export function absenceReportDocument(r: AbsenceReport): ReportDocument {
  const reasons = (c: AbsenceCounts) => [c.excused, c.illness, c.unexcused, c.unknown];
  const monthsOf = (list: { total: number }[]) => list.map((m) => m.total);
  const headers = [
    "№",
    "Ученик",
    ...r.months.map(monthName),
    "По уважит. причине",
    "По болезни",
    "Без уважит. причины",
    "Причина не указана",
    "Всего уроков",
    "Дней",
  ];
  const rows = r.pupils.map((p, i) => [
    i + 1,
    p.name,
    ...monthsOf(p.months),
    ...reasons(p.total),
    p.total.total,
    p.days,
  ]);
  const byMonth = r.months.map((m) =>
    r.pupils.reduce((s, p) => s + (p.months.find((x) => x.month === m)?.total ?? 0), 0),
  );
  rows.push(["", "Всего по классу", ...byMonth, ...reasons(r.total), r.total.total, r.days]);
  return {
    name: `absences-${r.class.id}`,
    title: `Сведения о пропущенных уроках, ${r.class.name} класс`,
    class: r.class.name,
    period: `${schoolYear(r.year)}, ${russianRange(r.from, r.to)}`,
    subtitle: ["Уроков пропущено по месяцам и всего, по причинам; дней — пропущенных целиком."],
    orientation: r.months.length > 4 ? "landscape" : "portrait",
    tables: [{ title: "Пропущенные уроки", headers, rows, totalsRow: true, keyColumns: 2, fontSize: 8 }],
    signatures: [
      { role: "Классный руководитель", name: r.classTeacher },
      { role: "Заместитель директора по УВР", who: "DEPUTY" },
    ],
  };
}
