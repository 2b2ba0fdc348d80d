import type { DbOrTx } from "../db/client.js";
import { bySurname } from "./lesson-pupils.js";
import { enrolledDuring, inForceOn, memberDuring } from "./membership.js";
import { weightedAverage } from "./rules/averages.js";
import { isGoodReason, type PupilPeriodFacts } from "./rules/period-marks.js";
import { dateOnly, isoOf } from "./validate.js";

/**
 * What the journal knows about one class × subject over a date range: the pupils enrolled in
 * it, the lessons each of them had, their marks and absences. Period marks and the reports
 * (journal page, summary sheet, control) read the same facts so they never disagree.
 */
export interface FactsPupil {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  from: string;
  to: string | null;
  /** Subgroups the pupil was in at any time of the range. */
  subgroupIds: number[];
  /** The pupil's subgroup stays (membership.ts), to tell which subgroup lessons were theirs. */
  memberships: { subgroupId: number; joinedOn: Date | null; leftOn: Date | null }[];
}
export interface FactsLesson {
  id: number;
  assignmentId: number;
  plannedTopicId: number | null;
  date: string;
  lessonNumber: number;
  endsAt: string;
  subgroupId: number | null;
  teacherId: number;
  substituteId: number | null;
  topic: string | null;
  homework: string | null;
  homeworkNone: boolean;
  attendanceAt: Date | null;
  controlFormId: number | null;
  createdAt: Date;
}
export interface FactsMark {
  id: number;
  lessonId: number;
  value: string;
  value2: string | null;
  weight: number;
  formName: string | null;
  createdAt: Date;
}
export interface FactsAbsence {
  id: number;
  lessonId: number;
  kind: "ABSENT" | "LATE";
  reason: "EXCUSED" | "ILLNESS" | "UNEXCUSED" | null;
}

export interface ClassSubjectFacts {
  pupils: FactsPupil[];
  lessons: FactsLesson[];
  marks: Map<number, FactsMark[]>;
  absences: Map<number, FactsAbsence[]>;
  /** Lessons a pupil was enrolled for (and in the subgroup of). */
  lessonsOf(pupilId: number): FactsLesson[];
  factsOf(pupilId: number): PupilPeriodFacts;
}

export async function loadClassSubjectFacts(
  db: DbOrTx,
  range: { classId: number; subjectId: number; from: string; to: string },
): Promise<ClassSubjectFacts> {
  const from = dateOnly(range.from);
  const to = dateOnly(range.to);
  // Sequential on purpose: inside a transaction all queries share one connection.
  const enrolments = await db.enrolment.findMany({
    where: { classId: range.classId, ...enrolledDuring(from, to) },
    select: {
      joinedOn: true,
      leftOn: true,
      pupil: {
        select: {
          id: true,
          lastName: true,
          firstName: true,
          middleName: true,
          subgroups: {
            where: memberDuring(from, to),
            select: { subgroupId: true, joinedOn: true, leftOn: true },
          },
        },
      },
    },
  });
  const lessons = await db.lesson.findMany({
    where: { classId: range.classId, subjectId: range.subjectId, date: { gte: from, lte: to } },
    orderBy: [{ date: "asc" }, { lessonNumber: "asc" }],
    select: {
      id: true,
      assignmentId: true,
      plannedTopicId: true,
      date: true,
      lessonNumber: true,
      endsAt: true,
      subgroupId: true,
      teacherId: true,
      substituteId: true,
      topic: true,
      homework: true,
      homeworkNone: true,
      attendanceAt: true,
      controlFormId: true,
      createdAt: true,
    },
  });
  const lessonIds = lessons.map((l) => l.id);
  const marks = await db.mark.findMany({
    where: { lessonId: { in: lessonIds } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      lessonId: true,
      pupilId: true,
      value: true,
      value2: true,
      weight: true,
      createdAt: true,
      controlForm: { select: { name: true } },
    },
  });
  const absences = await db.attendance.findMany({
    where: { lessonId: { in: lessonIds } },
    select: { id: true, lessonId: true, pupilId: true, kind: true, reason: true },
  });

  // A pupil transferred out and back has two enrolments: keep one row with the widest range.
  const pupilsById = new Map<number, FactsPupil>();
  for (const e of enrolments) {
    const seen = pupilsById.get(e.pupil.id);
    const fromIso = isoOf(e.joinedOn);
    const toIso = e.leftOn ? isoOf(e.leftOn) : null;
    if (seen) {
      if (fromIso < seen.from) seen.from = fromIso;
      if (seen.to !== null && (toIso === null || toIso > seen.to)) seen.to = toIso;
      continue;
    }
    pupilsById.set(e.pupil.id, {
      id: e.pupil.id,
      lastName: e.pupil.lastName,
      firstName: e.pupil.firstName,
      middleName: e.pupil.middleName,
      from: fromIso,
      to: toIso,
      subgroupIds: [...new Set(e.pupil.subgroups.map((s) => s.subgroupId))],
      memberships: e.pupil.subgroups,
    });
  }
  const pupils = [...pupilsById.values()].sort(bySurname);
  const factsLessons: FactsLesson[] = lessons.map((l) => ({ ...l, date: isoOf(l.date) }));

  const group = <T extends { pupilId: number }, U>(rows: T[], map: (r: T) => U) => {
    const out = new Map<number, U[]>();
    for (const r of rows) {
      const list = out.get(r.pupilId) ?? [];
      list.push(map(r));
      out.set(r.pupilId, list);
    }
    return out;
  };
  const marksBy = group(marks, (m) => ({
    id: m.id,
    lessonId: m.lessonId,
    value: m.value,
    value2: m.value2,
    weight: m.weight,
    formName: m.controlForm?.name ?? null,
    createdAt: m.createdAt,
  }));
  const absencesBy = group(absences, (a) => ({
    id: a.id,
    lessonId: a.lessonId,
    kind: a.kind,
    reason: a.reason,
  }));

  const lessonsOf = (pupilId: number) => {
    const p = pupilsById.get(pupilId);
    if (!p) return [];
    return factsLessons.filter(
      (l) =>
        l.date >= p.from &&
        (p.to === null || l.date <= p.to) &&
        (l.subgroupId === null ||
          p.memberships.some((m) => m.subgroupId === l.subgroupId && inForceOn(m, l.date))),
    );
  };
  const factsOf = (pupilId: number): PupilPeriodFacts => {
    const own = marksBy.get(pupilId) ?? [];
    const missed = (absencesBy.get(pupilId) ?? []).filter((a) => a.kind === "ABSENT");
    const excused = missed.filter((a) => isGoodReason(a.reason)).length;
    return {
      lessons: lessonsOf(pupilId).length,
      marksCount: own.length,
      average: weightedAverage(own),
      missedExcused: excused,
      missedUnexcused: missed.length - excused,
      missedNoReason: missed.filter((a) => a.reason === null).length,
    };
  };
  return { pupils, lessons: factsLessons, marks: marksBy, absences: absencesBy, lessonsOf, factsOf };
}

/**
 * Facts of each class × subject loaded once for the days from `from` to `to` (assignments of one
 * class and subject — a whole class and its subgroups — share a load), for reports over many.
 */
export function classSubjectFactsCache(db: DbOrTx, from: string, to: string) {
  const cache = new Map<string, ClassSubjectFacts>();
  return async (classId: number, subjectId: number): Promise<ClassSubjectFacts> => {
    const key = `${classId}:${subjectId}`;
    let facts = cache.get(key);
    if (!facts) {
      facts = await loadClassSubjectFacts(db, { classId, subjectId, from, to });
      cache.set(key, facts);
    }
    return facts;
  };
}
