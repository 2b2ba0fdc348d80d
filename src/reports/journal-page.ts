import { z } from "zod";
import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { notFound } from "../journal/errors.js";
import { shortName } from "../journal/names.js";
import { loadClassSubjectFacts } from "../journal/period-facts.js";
import { formatMark } from "../journal/rules/marks.js";
import { id, isoOf, parseInput } from "../journal/validate.js";
import { className, ddmm, fullName, markCell, type ReportDocument, russianRange } from "./document.js";
import { loadClassForReport, loadPeriod, loadSubject } from "./scope.js";

/**
 * The class journal page as on paper: the left page is the grid of pupils × lesson dates with
 * marks and "н", the average and the period mark; the right page lists the lessons with their
 * dates, topics and homework.
 */
export const journalPageInput = z.object({ classId: id, subjectId: id, periodId: id });

export async function journalPage(db: DbOrTx, actor: Actor, input: unknown) {
  const args = parseInput(journalPageInput, input);
  const cls = await loadClassForReport(db, actor, args.classId, args.subjectId);
  const period = await loadPeriod(db, actor, args.periodId);
  if (period.yearId !== cls.yearId) throw notFound("Период");
  const subject = await loadSubject(db, actor, args.subjectId);
  const facts = await loadClassSubjectFacts(db, {
    classId: cls.id,
    subjectId: subject.id,
    from: isoOf(period.startDate),
    to: isoOf(period.endDate),
  });
  const teachers = await db.teachingAssignment.findMany({
    where: { classId: cls.id, subjectId: subject.id },
    select: { teacher: { select: { lastName: true, firstName: true, middleName: true } } },
  });
  const periodMarks = await db.periodMark.findMany({
    where: { periodId: period.id, subjectId: subject.id, kind: "PERIOD" },
    select: { pupilId: true, value: true },
  });
  const pupils = facts.pupils.map((p) => {
    const marks = facts.marks.get(p.id) ?? [];
    const absences = facts.absences.get(p.id) ?? [];
    const mine = new Set(facts.lessonsOf(p.id).map((l) => l.id));
    const cells = facts.lessons.map((l) => {
      if (!mine.has(l.id)) return "";
      const m = marks.find((x) => x.lessonId === l.id);
      const a = absences.find((x) => x.lessonId === l.id && x.kind === "ABSENT");
      return [a ? "н" : "", m ? formatMark(m) : ""].filter(Boolean).join(" ");
    });
    return {
      pupilId: p.id,
      name: fullName(p),
      cells,
      average: facts.factsOf(p.id).average,
      periodMark: periodMarks.find((m) => m.pupilId === p.id)?.value ?? null,
    };
  });
  return {
    class: { id: cls.id, name: className(cls) },
    subject: { id: subject.id, name: subject.name },
    period: { id: period.id, name: period.name, from: isoOf(period.startDate), to: isoOf(period.endDate) },
    year: cls.year.name,
    teachers: teachers.map((t) => fullName(t.teacher)),
    teachersSign: teachers.map((t) => shortName(t.teacher)),
    lessons: facts.lessons.map((l) => ({
      id: l.id,
      date: l.date,
      topic: l.topic,
      homework: l.homeworkNone ? "не задано" : l.homework,
    })),
    pupils,
  };
}
export type JournalPage = Awaited<ReturnType<typeof journalPage>>;

/** Lessons per grid table: a long period spreads over several pages, as in the paper journal. */
export const LESSONS_PER_PAGE = 24;

export function journalPageDocument(page: JournalPage): ReportDocument {
  const grids = [];
  const chunks = Math.max(1, Math.ceil(page.lessons.length / LESSONS_PER_PAGE));
  for (let c = 0; c < chunks; c++) {
    const from = c * LESSONS_PER_PAGE;
    const lessons = page.lessons.slice(from, from + LESSONS_PER_PAGE);
    const last = c === chunks - 1;
    const dates = lessons.map((l) => ddmm(l.date));
    grids.push({
      title: chunks === 1 ? "Отметки и посещаемость" : `Отметки и посещаемость (${c + 1})`,
      headers: ["№", "Ученик", ...dates, ...(last ? ["Ср. балл", page.period.name] : [])],
      rows: page.pupils.map((p, i) => [
        i + 1,
        p.name,
        ...p.cells.slice(from, from + LESSONS_PER_PAGE).map(markCell),
        ...(last ? [p.average, markCell(p.periodMark)] : []),
      ]),
      keyColumns: 2,
      fontSize: 7,
    });
  }
  return {
    name: `journal-${page.class.id}-${page.subject.id}-${page.period.id}`,
    title: `Классный журнал ${page.class.name} — ${page.subject.name}`,
    class: page.class.name,
    period: `${page.period.name} ${page.year} учебного года (${russianRange(page.period.from, page.period.to)})`,
    subtitle: [`Предмет: ${page.subject.name}`, `Учитель: ${page.teachers.join(", ") || "—"}`],
    orientation: "landscape",
    tables: [
      ...grids,
      {
        title: "Записи уроков",
        headers: ["№", "Дата", "Тема урока", "Домашнее задание"],
        rows: page.lessons.map((l, i) => [i + 1, ddmm(l.date), l.topic ?? "", l.homework ?? ""]),
        wrapColumns: [2, 3],
      },
    ],
    signatures: (page.teachersSign.length ? page.teachersSign : [null]).map((name) => ({
      role: "Учитель",
      name,
    })),
  };
}
