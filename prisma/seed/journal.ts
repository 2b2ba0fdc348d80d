import type { AbsenceReason } from "../../src/generated/prisma/enums.js";
import { BELLS, localMoment, schoolDays, YEAR } from "./calendar.js";
import {
  controlFormFor,
  FORMS,
  type FormKey,
  LAB_SUBJECTS,
  SAFETY_BRIEFING,
  SUBJECTS,
  type SubjectKey,
} from "./curriculum.js";
import { pupilsOf, type SchoolPlan } from "./plan.js";
import type { Rng } from "./random.js";
import { homeworkFor, NO_HOMEWORK, topicList } from "./topics.js";

/**
 * The journal "as it was kept": lessons from the timetable, topics following the topic plan,
 * homework, attendance with reasons, marks with forms of control. Everything here obeys the
 * regulations: no marks in grade 1 or in ungraded subjects, double marks only for written works
 * in subjects that allow them, a control work gives every present pupil a mark, a pupil who got
 * "2" is asked again at the next lesson, grade 1 has no homework.
 */
export interface JournalOptions {
  /** Lessons are materialised for school days from…to. */
  from: string;
  to: string;
  /** Lessons dated before this day are filled in (topic, attendance, marks). */
  fillBefore: string;
  /** Absences dated before this day already have a reason from the class teacher. */
  reasonsBefore: string;
  timeZone: string;
  /** Pupils who joined after 1 September: pupil index → join date. */
  joined?: ReadonlyMap<number, string>;
  /** Assignments that get a topic plan (all when absent). */
  withPlan?: (assignment: number) => boolean;
}

export interface LessonRow {
  assignment: number;
  slot: number;
  date: string;
  lessonNumber: number;
  startsAt: string;
  endsAt: string;
  topic: string | null;
  /** Index into topicItems. */
  topicItem: number | null;
  form: FormKey | null;
  homework: string | null;
  homeworkNone: boolean;
  attendanceAt: Date | null;
}
export interface TopicItemRow {
  assignment: number;
  number: number;
  topic: string;
  hours: number;
  plannedDate: string;
}
export interface MarkRow {
  lesson: number;
  pupil: number;
  value: string;
  value2: string | null;
  form: FormKey;
  comment: string | null;
  author: number;
  createdAt: Date;
}
export interface AttendanceRow {
  lesson: number;
  pupil: number;
  kind: "ABSENT" | "LATE";
  reason: AbsenceReason | null;
  markedBy: number;
  reasonBy: number | null;
  createdAt: Date;
}
export interface PeriodMarkRow {
  pupil: number;
  subject: SubjectKey;
  /** Quarter number, or 0 for the year mark. */
  quarter: number;
  value: string;
  author: number;
}
export interface Journal {
  lessons: LessonRow[];
  topicItems: TopicItemRow[];
  marks: MarkRow[];
  attendance: AttendanceRow[];
}

const gaussian = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const clampMark = (x: number) => String(Math.min(5, Math.max(2, Math.round(x))));

const quote = (text: string) => `«${text.replace(/«/g, "„").replace(/»/g, "“")}»`;

type DayAbsence = { reason: "ILLNESS" | "EXCUSED" };

/** Whole days a pupil is away: illnesses of 2–6 school days, family reasons of 1–2 days. */
function absenceDays(rng: Rng, days: readonly string[]): Map<string, DayAbsence> {
  const out = new Map<string, DayAbsence>();
  for (let i = 0; i < days.length; i++) {
    if (rng.chance(0.013)) {
      const len = rng.int(2, 6);
      for (let k = 0; k < len && i + k < days.length; k++) out.set(days[i + k]!, { reason: "ILLNESS" });
      i += len;
    } else if (rng.chance(0.006)) {
      const len = rng.int(1, 2);
      for (let k = 0; k < len && i + k < days.length; k++) out.set(days[i + k]!, { reason: "EXCUSED" });
      i += len;
    }
  }
  return out;
}

type Kind = "normal" | "control" | "independent" | "lab" | "review";

/** What each lesson of an assignment's year is: monthly control works, С.р., Л.р., reviews. */
function lessonKinds(rng: Rng, subject: SubjectKey, grade: number, hours: number, dates: readonly string[]) {
  const kinds: Kind[] = dates.map(() => "normal");
  const graded = SUBJECTS[subject].graded && grade > 1;
  if (!graded) return { kinds, controlForms: new Map<number, FormKey>() };
  const controlForms = new Map<number, FormKey>();
  if (hours >= 2) {
    const byMonth = new Map<string, number[]>();
    dates.forEach((d, i) => {
      const m = d.slice(0, 7);
      if (!byMonth.has(m)) byMonth.set(m, []);
      byMonth.get(m)!.push(i);
    });
    let nth = 0;
    for (const idx of byMonth.values()) {
      if (idx.length < 3) continue;
      const form = controlFormFor(subject, nth);
      if (!form) break;
      const at = idx[Math.min(idx.length - 2, Math.floor(idx.length * 0.55) + rng.int(0, 2))]!;
      kinds[at] = "control";
      controlForms.set(at, form);
      if (at + 1 < kinds.length) kinds[at + 1] = "review";
      nth++;
    }
  }
  const practice = [
    "math",
    "algebra",
    "geometry",
    "russian",
    "english",
    "physics",
    "chemistry",
    "informatics",
  ];
  for (let i = 1; i < kinds.length; i++) {
    if (kinds[i] !== "normal") continue;
    if (LAB_SUBJECTS.has(subject) && rng.chance(0.18)) kinds[i] = "lab";
    else if (practice.includes(subject) && rng.chance(0.1)) kinds[i] = "independent";
  }
  return { kinds, controlForms };
}

export function generateJournal(plan: SchoolPlan, opts: JournalOptions, rng: Rng): Journal {
  const yearDays = schoolDays(YEAR.start, YEAR.end);
  const dayIsos = yearDays.map((d) => d.iso);
  const journal: Journal = { lessons: [], topicItems: [], marks: [], attendance: [] };

  // Each pupil's general level and days away, fixed for the year.
  const ability = new Map<number, number>();
  const away = new Map<number, Map<string, DayAbsence>>();
  for (const cls of plan.classes) {
    for (const p of cls.pupils) {
      ability.set(p, Math.min(4.95, Math.max(2.7, 4.2 + gaussian(rng) * 0.5)));
      away.set(p, absenceDays(rng, dayIsos));
    }
  }

  // The year's lessons of each assignment, from its slots.
  const slotsByAssignment = new Map<number, number[]>();
  plan.slots.forEach((s, i) => {
    if (!slotsByAssignment.has(s.assignment)) slotsByAssignment.set(s.assignment, []);
    slotsByAssignment.get(s.assignment)!.push(i);
  });

  plan.assignments.forEach((a, ai) => {
    const cls = plan.classes[a.cls]!;
    const subject = SUBJECTS[a.subject];
    const gradeable = subject.graded && cls.grade > 1;
    const slotIdx = slotsByAssignment.get(ai) ?? [];
    const year: { date: string; slot: number }[] = [];
    for (const day of yearDays) {
      for (const si of slotIdx)
        if (plan.slots[si]!.weekday === day.weekday) year.push({ date: day.iso, slot: si });
    }
    year.sort(
      (x, y) =>
        x.date.localeCompare(y.date) || plan.slots[x.slot]!.lessonNumber - plan.slots[y.slot]!.lessonNumber,
    );
    if (year.length === 0) return;

    // Topic plan: the subject's topics spread over the year's lessons.
    const topics = topicList(a.subject, cls.grade);
    const perTopic = Math.max(1, Math.floor(year.length / topics.length));
    const itemOf: number[] = [];
    const withPlan = opts.withPlan?.(ai) ?? true;
    const firstItem = journal.topicItems.length;
    topics.forEach((topic, ti) => {
      const start = ti * perTopic;
      if (start >= year.length) return;
      const hours = ti === topics.length - 1 ? year.length - start : perTopic;
      if (withPlan) {
        journal.topicItems.push({
          assignment: ai,
          number: ti + 1,
          topic,
          hours,
          plannedDate: year[start]!.date,
        });
      }
      for (let k = 0; k < hours; k++) itemOf.push(ti);
    });

    const { kinds, controlForms } = lessonKinds(
      rng,
      a.subject,
      cls.grade,
      a.hours,
      year.map((y) => y.date),
    );
    const pupils = pupilsOf(plan, a);
    const subjectBias = new Map(pupils.map((p) => [p, gaussian(rng) * 0.25]));
    const owes = new Set<number>();
    let controlNo = 0;
    let labNo = 0;

    year.forEach((entry, li) => {
      if (entry.date < opts.from || entry.date > opts.to) return;
      const slot = plan.slots[entry.slot]!;
      const [startsAt, endsAt] = BELLS[slot.lessonNumber - 1]!;
      const ti = itemOf[li] ?? topics.length - 1;
      const topicText = topics[ti]!;
      const kind = kinds[li]!;
      const lessonIndex = journal.lessons.length;
      const filled = entry.date < opts.fillBefore;
      const row: LessonRow = {
        assignment: ai,
        slot: entry.slot,
        date: entry.date,
        lessonNumber: slot.lessonNumber,
        startsAt,
        endsAt,
        topic: null,
        topicItem: null,
        form: null,
        homework: null,
        homeworkNone: false,
        attendanceAt: null,
      };
      journal.lessons.push(row);
      if (kind === "control") controlNo++;
      if (kind === "lab") labNo++;
      if (!filled) return;

      // Topic line (002 §5.18–5.20, 5.25).
      const form =
        kind === "control"
          ? controlForms.get(li)!
          : kind === "independent"
            ? "independent"
            : kind === "lab"
              ? "lab"
              : null;
      row.form = form;
      // A control work checks what was just studied: the previous lesson's topic, quoted with
      // inner „…“ where the topic has its own «…».
      const tested = quote(topics[itemOf[Math.max(0, li - 1)] ?? ti]!);
      if (kind === "review") row.topic = "Анализ контрольной работы. Работа над ошибками";
      else if (form === "dictation")
        row.topic = `Контрольный диктант № ${controlNo} с грамматическим заданием по теме ${tested}`;
      else if (form === "essay") row.topic = `Р.р. Сочинение по теме ${tested}`;
      else if (form === "control") row.topic = `К.р. № ${controlNo} по теме ${tested}`;
      else if (form === "lab") row.topic = `Л.р. № ${labNo} ${quote(topicText)}`;
      else if (form === "independent") row.topic = `${topicText}. С.р.`;
      else row.topic = topicText;
      if (li === 0 && SAFETY_BRIEFING.has(a.subject)) row.topic = `Инструктаж по ТБ. ${row.topic}`;
      if (withPlan && kind !== "review") row.topicItem = firstItem + ti;

      // Homework: never in grade 1 (002 §3.7); "не задано" where the subject does not set it.
      if (cls.grade > 1) {
        if (NO_HOMEWORK.has(a.subject) || !subject.graded || rng.chance(0.08)) row.homeworkNone = true;
        else row.homework = homeworkFor(a.subject, li, rng);
      }

      const endedAt = localMoment(entry.date, endsAt, opts.timeZone);
      row.attendanceAt = endedAt;
      const present: number[] = [];
      for (const p of pupils) {
        const joined = opts.joined?.get(p);
        if (joined && joined > entry.date) continue;
        const day = away.get(p)!.get(entry.date);
        const withReason = entry.date < opts.reasonsBefore;
        if (day) {
          journal.attendance.push({
            lesson: lessonIndex,
            pupil: p,
            kind: "ABSENT",
            reason: withReason ? day.reason : null,
            markedBy: a.teacher,
            reasonBy: withReason ? cls.classTeacher : null,
            createdAt: endedAt,
          });
          continue;
        }
        if (cls.grade >= 7 && rng.chance(0.004)) {
          journal.attendance.push({
            lesson: lessonIndex,
            pupil: p,
            kind: "ABSENT",
            reason: withReason ? "UNEXCUSED" : null,
            markedBy: a.teacher,
            reasonBy: withReason ? cls.classTeacher : null,
            createdAt: endedAt,
          });
          continue;
        }
        if (rng.chance(0.006)) {
          journal.attendance.push({
            lesson: lessonIndex,
            pupil: p,
            kind: "LATE",
            reason: null,
            markedBy: a.teacher,
            reasonBy: null,
            createdAt: endedAt,
          });
        }
        present.push(p);
      }
      if (!gradeable || present.length === 0) return;

      // Who gets a mark: everyone present at a control work (002 §5.7), most at С.р./Л.р.,
      // about a third otherwise, and anyone who got "2" last time (002 §5.6).
      let marked: number[];
      if (kind === "control") marked = present;
      else if (kind === "lab") marked = present.filter(() => rng.chance(0.9));
      else if (kind === "independent") marked = present.filter(() => rng.chance(0.7));
      else {
        const share = 0.2 + rng.next() * 0.25;
        marked = present.filter((p) => owes.has(p) || rng.chance(share));
      }
      for (const p of marked) {
        const markForm: FormKey = form ?? (rng.chance(0.7) ? "oral" : "homework");
        const level = ability.get(p)! + subjectBias.get(p)! - (kind === "control" ? 0.15 : 0);
        const value = clampMark(level + gaussian(rng) * 0.7);
        const double = FORMS[markForm].isWritten && subject.doubleMarks;
        const value2 = double ? clampMark(level + gaussian(rng) * 0.7 - 0.2) : null;
        const retake = owes.has(p);
        owes.delete(p);
        if (value === "2" || value2 === "2") owes.add(p);
        journal.marks.push({
          lesson: lessonIndex,
          pupil: p,
          value,
          value2,
          form: markForm,
          comment: retake && kind === "normal" ? "Повторный опрос после неудовлетворительной отметки" : null,
          author: a.teacher,
          createdAt: new Date(endedAt.getTime() + rng.int(0, 180) * 60_000),
        });
      }
    });
  });
  return journal;
}
