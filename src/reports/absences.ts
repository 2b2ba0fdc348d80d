import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { bySurname } from "../journal/lesson-pupils.js";
import { dateOnly, id, isoDate, isoOf, parseInput } from "../journal/validate.js";
import { className, fullName, type ReportDocument } from "./document.js";
import { loadClassForReport } from "./scope.js";

/**
 * Сведения о пропущенных уроках (002 §5.37): lessons missed per pupil per month, by reason, with
 * totals per pupil and for the class. Only absences count ("опоздание" is not a missed lesson);
 * an absence whose reason the class teacher has not recorded yet is shown as "не указана".
 */
export const absenceReportInput = z.object({ classId: id, from: isoDate.optional(), to: isoDate.optional() });

const MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
export const monthName = (ym: string) => `${MONTHS[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;

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
  const enrolments = await db.enrolment.findMany({
    where: { classId: cls.id },
    select: { pupil: { select: { id: true, lastName: true, firstName: true, middleName: true } } },
  });
  const months = [...new Set(rows.map((r) => isoOf(r.lesson.date).slice(0, 7)))].sort();
  const seen = new Set<number>();
  const pupils = enrolments
    .map((e) => e.pupil)
    .filter((p) => !seen.has(p.id) && seen.add(p.id))
    .sort(bySurname)
    .map((p) => {
      const byMonth = new Map(months.map((m) => [m, zero()]));
      const total = zero();
      for (const r of rows.filter((x) => x.pupilId === p.id)) {
        add(byMonth.get(isoOf(r.lesson.date).slice(0, 7))!, r.reason);
        add(total, r.reason);
      }
      return {
        pupilId: p.id,
        name: fullName(p),
        months: months.map((m) => ({ month: m, ...byMonth.get(m)! })),
        total,
      };
    });
  const classTotal = zero();
  for (const r of rows) add(classTotal, r.reason);
  return {
    class: { id: cls.id, name: className(cls) },
    year: cls.year.name,
    from,
    to,
    months,
    pupils,
    total: classTotal,
  };
}
export type AbsenceReport = Awaited<ReturnType<typeof absenceReport>>;

export function absenceReportDocument(r: AbsenceReport): ReportDocument {
  const headers = ["Ученик", "Месяц", "Уважит.", "Болезнь", "Без уважит.", "Не указана", "Всего"];
  const counts = (c: AbsenceCounts) => [c.excused, c.illness, c.unexcused, c.unknown, c.total];
  const rows = r.pupils.flatMap((p) => [
    ...p.months.filter((m) => m.total > 0).map((m) => [p.name, monthName(m.month), ...counts(m)]),
    [p.name, "Итого", ...counts(p.total)],
  ]);
  rows.push(["Всего по классу", "", ...counts(r.total)]);
  return {
    name: `absences-${r.class.id}`,
    title: `Сведения о пропущенных уроках, ${r.class.name} класс`,
    subtitle: [`${r.year} учебный год, с ${r.from} по ${r.to}`],
    orientation: "portrait",
    tables: [
      { title: "Пропущенные уроки", headers, rows, totalsRow: true, widths: ["*", 50, 40, 40, 48, 44, 34] },
    ],
    signatures: ["Классный руководитель"],
  };
}
