import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import { requirePupilReadable } from "../journal/access.js";
import type { Actor } from "../journal/actor.js";
import { notFound } from "../journal/errors.js";
import { enrolledDuring } from "../journal/membership.js";
import { loadClassSubjectFacts } from "../journal/period-facts.js";
import { formatAverage, weightedAverage } from "../journal/rules/averages.js";
import { roundMark } from "../journal/rules/period-marks.js";
import { dateOnly, id, isoOf, parseInput } from "../journal/validate.js";
import { dynamicsChartPng } from "./chart.js";
import { className, ddmm, fullName, markCell, type ReportDocument, russianRange } from "./document.js";
import { loadPeriod, loadSubject } from "./scope.js";

/**
 * Progress over time for one pupil and subject in a period (000 §2.2): the marks by date, the
 * running weighted average after each date, the pupil's place in the class, and a forecast of
 * the period mark. Guardians see their child's place and the class size, never other pupils.
 */
export const progressDynamicsInput = z.object({ pupilId: id, subjectId: id, periodId: id });

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/**
 * Forecast: an ordinary least-squares line through the running average (y) against the day
 * number (x), read at the period's last day. A straight line over a few weeks runs away, so the
 * result is clamped to the range of the marks the pupil actually got (a running average cannot
 * leave it unless the pupil starts getting other marks) and to 1–5. With one point the trend is
 * flat (the current average); with none there is no forecast.
 */
export function forecastAverage(
  points: { date: string; average: number }[],
  endIso: string,
  range: { min: number; max: number } = { min: 1, max: 5 },
): number | null {
  if (points.length === 0) return null;
  if (points.length === 1) return points[0]!.average;
  const xs = points.map((p) => day(p.date));
  const ys = points.map((p) => p.average);
  const n = points.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const value = my + slope * (day(endIso) - mx);
  const lo = Math.max(1, range.min);
  const hi = Math.min(5, range.max);
  return Math.round(Math.min(hi, Math.max(lo, value)) * 100) / 100;
}

/** Competition ranking: equal averages share a place (1, 2, 2, 4). Pupils without marks have none. */
export function rankOf(averages: Map<number, number | null>, pupilId: number) {
  const own = averages.get(pupilId);
  const ranked = [...averages.values()].filter((v): v is number => v !== null);
  if (own === null || own === undefined) return { place: null, of: ranked.length };
  return { place: 1 + ranked.filter((v) => v > own).length, of: ranked.length };
}

export async function progressDynamics(db: DbOrTx, actor: Actor, input: unknown) {
  const args = parseInput(progressDynamicsInput, input);
  await requirePupilReadable(db, actor, args.pupilId);
  const period = await loadPeriod(db, actor, args.periodId);
  const subject = await loadSubject(db, actor, args.subjectId);
  const from = isoOf(period.startDate);
  const to = isoOf(period.endDate);
  const enrolment = await db.enrolment.findFirst({
    where: {
      pupilId: args.pupilId,
      class: { yearId: period.yearId },
      ...enrolledDuring(period.startDate, period.endDate),
    },
    orderBy: { joinedOn: "desc" },
    include: { class: true, pupil: true },
  });
  if (!enrolment) throw notFound("Ученик в этом периоде");
  const cls = enrolment.class;
  const facts = await loadClassSubjectFacts(db, { classId: cls.id, subjectId: subject.id, from, to });
  const lessonDate = new Map(facts.lessons.map((l) => [l.id, l.date]));
  const own = [...(facts.marks.get(args.pupilId) ?? [])].sort(
    (a, b) => (lessonDate.get(a.lessonId)! < lessonDate.get(b.lessonId)! ? -1 : 1) || a.id - b.id,
  );
  const dates = [...new Set(own.map((m) => lessonDate.get(m.lessonId)!))];
  const points = dates.map((date) => {
    const upTo = own.filter((m) => lessonDate.get(m.lessonId)! <= date);
    const today = own.filter((m) => lessonDate.get(m.lessonId) === date);
    return {
      date,
      marks: today.flatMap((m) => (m.value2 ? [Number(m.value), Number(m.value2)] : [Number(m.value)])),
      average: weightedAverage(upTo),
    };
  });
  const values = points.flatMap((p) => p.marks);
  const forecast = forecastAverage(
    points.filter((p) => p.average !== null).map((p) => ({ date: p.date, average: p.average! })),
    to,
    { min: Math.min(...values), max: Math.max(...values) },
  );
  const subjectAverages = new Map(facts.pupils.map((p) => [p.id, facts.factsOf(p.id).average]));
  // Overall rating: the weighted average of all the pupil's marks in every subject of the period.
  const allMarks = await db.mark.findMany({
    where: { lesson: { classId: cls.id, date: { gte: dateOnly(from), lte: dateOnly(to) } } },
    select: { pupilId: true, value: true, value2: true, weight: true },
  });
  const overall = new Map(
    facts.pupils.map((p) => [p.id, weightedAverage(allMarks.filter((m) => m.pupilId === p.id))]),
  );
  return {
    pupil: { id: args.pupilId, name: fullName(enrolment.pupil) },
    class: { id: cls.id, name: className(cls) },
    subject: { id: subject.id, name: subject.name },
    period: { id: period.id, name: period.name, from, to },
    points,
    average: subjectAverages.get(args.pupilId) ?? null,
    rating: { subject: rankOf(subjectAverages, args.pupilId), overall: rankOf(overall, args.pupilId) },
    forecast: forecast === null ? null : { average: forecast, mark: roundMark(forecast) },
  };
}
export type ProgressDynamics = Awaited<ReturnType<typeof progressDynamics>>;

/** The chart of a dynamics read model as PNG (for the bot's sendPhoto and the PDF). */
export function progressChartPng(d: ProgressDynamics): Buffer {
  return dynamicsChartPng({
    title: `${d.pupil.name} — ${d.subject.name}, ${d.period.name}`,
    points: d.points,
    forecast: d.forecast ? { date: d.period.to, average: d.forecast.average } : null,
    from: d.period.from,
    to: d.period.to,
  });
}

/**
 * For the bot: the chart of one pupil's subject in a period (access as for the read model) and
 * a short Russian caption for sendPhoto.
 */
export async function dynamicsChart(db: DbOrTx, actor: Actor, input: unknown) {
  const d = await progressDynamics(db, actor, input);
  const caption = [
    `${d.pupil.name}, ${d.subject.name}, ${d.period.name}`,
    `Средний балл: ${d.average === null ? "нет отметок" : formatAverage(d.average)}`,
    d.rating.subject.place === null
      ? null
      : `Место в классе: ${d.rating.subject.place} из ${d.rating.subject.of}`,
    d.forecast ? `Прогноз за период: ${d.forecast.mark}` : null,
  ]
    .filter(Boolean)
    .join("\n");
  return { png: progressChartPng(d), caption, model: d };
}

export function progressDynamicsDocument(d: ProgressDynamics): ReportDocument {
  const place = (r: { place: number | null; of: number }) =>
    r.place === null ? "—" : `${r.place} из ${r.of}`;
  return {
    name: `dynamics-${d.pupil.id}-${d.subject.id}-${d.period.id}`,
    title: `Динамика успеваемости: ${d.pupil.name}`,
    class: d.class.name,
    period: `${d.period.name} (${russianRange(d.period.from, d.period.to)})`,
    subtitle: [
      `Предмет: ${d.subject.name}`,
      `Средний балл: ${d.average === null ? "—" : formatAverage(d.average)}; место в классе по предмету: ${place(d.rating.subject)}, по всем предметам: ${place(d.rating.overall)}`,
      `Прогноз отметки за период: ${d.forecast ? `${d.forecast.mark} (по тренду среднего балла ${formatAverage(d.forecast.average)})` : "—"}`,
    ],
    orientation: "portrait",
    tables: [
      {
        title: "Отметки по датам",
        headers: ["Дата", "Отметки", "Средний балл"],
        rows: d.points.map((p) => [
          ddmm(p.date),
          p.marks.length === 1 ? markCell(String(p.marks[0])) : p.marks.join(", "),
          p.average,
        ]),
      },
    ],
    images: [{ png: progressChartPng(d), width: 520 }],
  };
}
