import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { bySurname } from "../journal/lesson-pupils.js";
import { shortName } from "../journal/names.js";
import { NOT_ATTESTED } from "../journal/rules/period-marks.js";
import { id, isoOf, parseInput } from "../journal/validate.js";
import { className, type DocTable, fullName, markCell, type ReportDocument, schoolYear } from "./document.js";
import { loadClassForReport } from "./scope.js";

/**
 * Сводная ведомость (002 §5.33): every pupil × graded subject, the period marks and the year
 * mark, and the pedagogical council's decision. The decision column is a proposal from the
 * year marks: all positive → promoted; a "2" or "н/а" → promoted conditionally (academic debt,
 * 273-FZ art. 58); no year marks yet → empty, to be written by the council.
 */
export const summarySheetInput = z.object({ classId: id });

export function councilDecision(yearMarks: (string | null)[], grade: number): string {
  if (yearMarks.length === 0 || yearMarks.some((m) => m === null)) return "";
  const debts = yearMarks.filter((m) => m === "2" || m === NOT_ATTESTED).length;
  if (debts > 0) return `Переведён(а) в ${grade + 1} класс условно (академ. задолженность: ${debts})`;
  return grade >= 11 ? "Допущен(а) к ГИА" : `Переведён(а) в ${grade + 1} класс`;
}

export async function summarySheet(db: DbOrTx, actor: Actor, input: unknown) {
  const args = parseInput(summarySheetInput, input);
  const cls = await loadClassForReport(db, actor, args.classId);
  const periods = await db.period.findMany({
    where: { yearId: cls.yearId },
    orderBy: [{ kind: "asc" }, { number: "asc" }],
  });
  const terms = periods.filter((p) => p.kind !== "YEAR");
  const yearPeriod = periods.find((p) => p.kind === "YEAR");
  const subjects = await db.subject.findMany({
    where: { graded: true, assignments: { some: { classId: cls.id } } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const enrolments = await db.enrolment.findMany({
    where: { classId: cls.id },
    select: {
      leftOn: true,
      pupil: { select: { id: true, lastName: true, firstName: true, middleName: true } },
    },
  });
  const pupilIds = [...new Set(enrolments.map((e) => e.pupil.id))];
  const marks = await db.periodMark.findMany({
    where: { pupilId: { in: pupilIds }, period: { yearId: cls.yearId } },
    select: { pupilId: true, subjectId: true, periodId: true, kind: true, value: true },
  });
  const find = (pupilId: number, subjectId: number, periodId: number | undefined, kind: string) =>
    marks.find(
      (m) => m.pupilId === pupilId && m.subjectId === subjectId && m.periodId === periodId && m.kind === kind,
    )?.value ?? null;
  const seen = new Set<number>();
  const pupils = enrolments
    .filter((e) => !seen.has(e.pupil.id) && seen.add(e.pupil.id))
    .map((e) => ({ ...e.pupil, left: e.leftOn ? isoOf(e.leftOn) : null }))
    .sort(bySurname)
    .map((p) => {
      const bySubject = subjects.map((s) => ({
        subjectId: s.id,
        periods: terms.map((t) => find(p.id, s.id, t.id, "PERIOD")),
        year: find(p.id, s.id, yearPeriod?.id, "YEAR"),
        exam: find(p.id, s.id, yearPeriod?.id, "EXAM"),
        final: find(p.id, s.id, yearPeriod?.id, "FINAL"),
      }));
      return {
        pupilId: p.id,
        name: fullName(p),
        left: p.left,
        subjects: bySubject,
        decision: councilDecision(
          bySubject.map((s) => s.final ?? s.year),
          cls.grade,
        ),
      };
    });
  return {
    class: { id: cls.id, name: className(cls), grade: cls.grade },
    year: cls.year.name,
    classTeacher: cls.classTeacher ? fullName(cls.classTeacher) : null,
    classTeacherSigns: cls.classTeacher ? shortName(cls.classTeacher) : null,
    periods: terms.map((t) => ({ id: t.id, name: t.name })),
    subjects,
    pupils,
  };
}
export type SummarySheet = Awaited<ReturnType<typeof summarySheet>>;

/**
 * One table per period and one for the year with the council's decision: subjects are the
 * columns, as on the paper sheet, so a full curriculum fits a landscape page.
 */
export function summarySheetDocument(sheet: SummarySheet): ReportDocument {
  const name = (p: SummarySheet["pupils"][number]) => (p.left ? `${p.name} (выбыл(а) ${p.left})` : p.name);
  const subjects = sheet.subjects.map((s) => s.name);
  const tables: DocTable[] = sheet.periods.map((period, k) => ({
    title: period.name,
    headers: ["№", "Ученик", ...subjects],
    rows: sheet.pupils.map((p, i) => [i + 1, name(p), ...p.subjects.map((s) => markCell(s.periods[k]))]),
    keyColumns: 2,
    fontSize: 7,
  }));
  tables.push({
    title: "Год и решение педсовета",
    headers: ["№", "Ученик", ...subjects, "Решение педагогического совета"],
    rows: sheet.pupils.map((p, i) => [
      i + 1,
      name(p),
      ...p.subjects.map((s) => markCell(s.final ?? s.year)),
      p.decision,
    ]),
    keyColumns: 2,
    wrapColumns: [subjects.length + 2],
    fontSize: 7,
  });
  return {
    name: `summary-${sheet.class.id}`,
    title: `Сводная ведомость учёта успеваемости, ${sheet.class.name} класс`,
    class: sheet.class.name,
    period: schoolYear(sheet.year),
    subtitle: [`Классный руководитель: ${sheet.classTeacher ?? "—"}`],
    orientation: "landscape",
    tables,
    signatures: [
      { role: "Классный руководитель", name: sheet.classTeacherSigns },
      { role: "Заместитель директора по УВР", who: "DEPUTY" },
    ],
  };
}
