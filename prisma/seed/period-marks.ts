import { weightedAverage } from "../../src/journal/rules/averages.js";
import { roundMark, suggestYearMark } from "../../src/journal/rules/period-marks.js";
import { QUARTERS } from "./calendar.js";
import { FORMS } from "./curriculum.js";
import type { Journal, PeriodMarkRow } from "./journal.js";
import type { SchoolPlan } from "./plan.js";

/**
 * Period marks that reflect the current marks (002 §5.13): the weighted average of the pupil's
 * marks in the quarter, rounded as rules/period-marks does; the year mark from the quarters.
 */
export function periodMarks(
  plan: SchoolPlan,
  journal: Journal,
  quarters: readonly number[],
  withYear: boolean,
): PeriodMarkRow[] {
  const out: PeriodMarkRow[] = [];
  const quarterOfDate = (iso: string) => QUARTERS.find((q) => q.start <= iso && iso <= q.end)?.number ?? 0;
  // assignment → pupil → quarter → marks
  const acc = new Map<
    number,
    Map<number, Map<number, { value: string; value2: string | null; weight: number }[]>>
  >();
  for (const m of journal.marks) {
    const lesson = journal.lessons[m.lesson]!;
    const q = quarterOfDate(lesson.date);
    if (!quarters.includes(q)) continue;
    if (!acc.has(lesson.assignment)) acc.set(lesson.assignment, new Map());
    const byPupil = acc.get(lesson.assignment)!;
    if (!byPupil.has(m.pupil)) byPupil.set(m.pupil, new Map());
    const byQ = byPupil.get(m.pupil)!;
    if (!byQ.has(q)) byQ.set(q, []);
    byQ.get(q)!.push({ value: m.value, value2: m.value2, weight: FORMS[m.form].weight });
  }
  for (const [ai, byPupil] of acc) {
    const a = plan.assignments[ai]!;
    for (const [pupil, byQ] of byPupil) {
      const values: (string | null)[] = [];
      for (const q of quarters) {
        const avg = weightedAverage(byQ.get(q) ?? []);
        const value = avg === null ? null : roundMark(avg);
        values.push(value);
        if (value) out.push({ pupil, subject: a.subject, quarter: q, value, author: a.teacher });
      }
      const year = withYear ? suggestYearMark(values) : null;
      if (year) out.push({ pupil, subject: a.subject, quarter: 0, value: year, author: a.teacher });
    }
  }
  return out;
}
