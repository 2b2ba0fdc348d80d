import { lockEndsAt, type SchoolCalendar } from "../../src/journal/rules/calendar.js";
import { BELLS, dateOnly, HOLIDAYS, localMoment, QUARTERS, YEAR } from "./calendar.js";
import { FORMS, type FormKey, SUBJECTS, type SubjectKey } from "./curriculum.js";
import type { Journal, PeriodMarkRow } from "./journal.js";
import type { SchoolPlan } from "./plan.js";
import type { Row, Sink } from "./sink.js";

/** Everything the writer needs besides the plan: the journal and the school's settings. */
export interface SchoolSeed {
  plan: SchoolPlan;
  journal: Journal;
  periodMarks: PeriodMarkRow[];
  /** argon2 hash given to every person with a login. */
  passwordHash: string;
  timeZone: string;
  /** Pupils who joined after 1 September: pupil → date. */
  joined?: ReadonlyMap<number, string>;
  /** Quarters whose results were published to the diary. */
  publishedQuarters: readonly number[];
}

export interface WrittenSchool {
  schoolId: number;
  yearId: number;
  /** Quarter number → id; 0 → the YEAR period. */
  periodIds: Map<number, number>;
  personIds: number[];
  classIds: number[];
  subjectIds: Map<SubjectKey, number>;
  formIds: Map<FormKey, number>;
  assignmentIds: number[];
  lessonIds: number[];
  counts: Record<string, number>;
}

/** How many rows writeSchool inserts (for a progress bar's total). */
export function expectedRows(seed: SchoolSeed): number {
  const { plan, journal } = seed;
  return (
    1 +
    HOLIDAYS.length +
    1 +
    QUARTERS.length +
    1 +
    plan.people.length +
    plan.people.reduce((n, p) => n + p.roles.length, 0) +
    plan.guardianLinks.length +
    new Set(plan.assignments.map((a) => a.subject)).size +
    Object.keys(FORMS).length +
    plan.classes.reduce((n, c) => n + 1 + c.subgroups.length + c.pupils.length, 0) +
    plan.classes.reduce((n, c) => n + c.subgroups.reduce((m, g) => m + g.members.length, 0), 0) +
    plan.assignments.length +
    plan.slots.length +
    journal.topicItems.length +
    journal.lessons.length +
    journal.marks.length +
    journal.attendance.length +
    seed.periodMarks.length
  );
}

/** The moment the timetable was put into the journal: the last working day of August. */
const MATERIALISED_AT = localMoment("2026-08-31", "12:00", "Europe/Moscow");

export async function writeSchool(sink: Sink, seed: SchoolSeed): Promise<WrittenSchool> {
  const { plan, journal } = seed;
  const counts: Record<string, number> = {};
  const insert = async (table: string, rows: readonly Row[]) => {
    await sink.insert(table, rows);
    counts[table] = (counts[table] ?? 0) + rows.length;
  };

  const [schoolId] = await sink.reserve("School", 1);
  await insert("School", [{ id: schoolId, name: plan.name, timeZone: seed.timeZone, fillDeadline: "18:00" }]);
  await insert(
    "Holiday",
    HOLIDAYS.map((h) => ({ schoolId, fromDate: dateOnly(h.from), toDate: dateOnly(h.to), name: h.name })),
  );
  const [yearId] = await sink.reserve("AcademicYear", 1);
  await insert("AcademicYear", [
    { id: yearId, schoolId, name: YEAR.name, startDate: dateOnly(YEAR.start), endDate: dateOnly(YEAR.end) },
  ]);
  const periodIdList = await sink.reserve("Period", QUARTERS.length + 1);
  const periodIds = new Map<number, number>();
  const periodRows: Row[] = QUARTERS.map((q, i) => {
    periodIds.set(q.number, periodIdList[i]!);
    const published = seed.publishedQuarters.includes(q.number);
    return {
      id: periodIdList[i],
      yearId,
      kind: "QUARTER",
      number: q.number,
      name: q.name,
      startDate: dateOnly(q.start),
      endDate: dateOnly(q.end),
      // Results reach the diary within a day of the period's end (002 §8.2).
      publishedAt: published ? localMoment(q.end, "20:00", seed.timeZone) : null,
    };
  });
  periodIds.set(0, periodIdList[QUARTERS.length]!);
  periodRows.push({
    id: periodIdList[QUARTERS.length],
    yearId,
    kind: "YEAR",
    number: 1,
    name: "Год",
    startDate: dateOnly(YEAR.start),
    endDate: dateOnly(YEAR.end),
    publishedAt: null,
  });
  await insert("Period", periodRows);

  const personIds = await sink.reserve("Person", plan.people.length);
  await insert(
    "Person",
    plan.people.map((p, i) => ({
      id: personIds[i],
      schoolId,
      lastName: p.lastName,
      firstName: p.firstName,
      middleName: p.middleName,
      birthDate: p.birthDate ? dateOnly(p.birthDate) : null,
      sex: p.sex,
      email: p.email,
      phone: p.phone,
      login: p.login,
      passwordHash: p.login ? seed.passwordHash : null,
    })),
  );
  await insert(
    "PersonRole",
    plan.people.flatMap((p, i) => p.roles.map((role) => ({ personId: personIds[i], role }))),
  );
  await insert(
    "GuardianLink",
    plan.guardianLinks.map(([g, p, relation]) => ({
      guardianId: personIds[g],
      pupilId: personIds[p],
      relation,
    })),
  );

  const subjectKeys = [...new Set(plan.assignments.map((a) => a.subject))];
  const subjectIdList = await sink.reserve("Subject", subjectKeys.length);
  const subjectIds = new Map(subjectKeys.map((k, i) => [k, subjectIdList[i]!]));
  await insert(
    "Subject",
    subjectKeys.map((k) => ({ id: subjectIds.get(k), schoolId, ...SUBJECTS[k] })),
  );
  const formKeys = Object.keys(FORMS) as FormKey[];
  const formIdList = await sink.reserve("ControlForm", formKeys.length);
  const formIds = new Map(formKeys.map((k, i) => [k, formIdList[i]!]));
  await insert(
    "ControlForm",
    formKeys.map((k) => ({ id: formIds.get(k), schoolId, ...FORMS[k] })),
  );

  const classIds = await sink.reserve("Class", plan.classes.length);
  await insert(
    "Class",
    plan.classes.map((c, i) => ({
      id: classIds[i],
      yearId,
      grade: c.grade,
      letter: c.letter,
      classTeacherId: personIds[c.classTeacher],
    })),
  );
  const subgroupIdList = await sink.reserve(
    "Subgroup",
    plan.classes.reduce((s, c) => s + c.subgroups.length, 0),
  );
  const subgroupIds: number[][] = [];
  const subgroupRows: Row[] = [];
  const memberRows: Row[] = [];
  let next = 0;
  plan.classes.forEach((c, ci) => {
    subgroupIds[ci] = c.subgroups.map((g) => {
      const id = subgroupIdList[next++]!;
      subgroupRows.push({ id, classId: classIds[ci], name: g.name });
      for (const m of g.members) memberRows.push({ subgroupId: id, pupilId: personIds[m] });
      return id;
    });
  });
  await insert("Subgroup", subgroupRows);
  await insert("SubgroupMember", memberRows);
  await insert(
    "Enrolment",
    plan.classes.flatMap((c, ci) =>
      c.pupils.map((p) => {
        const late = seed.joined?.get(p);
        return {
          pupilId: personIds[p],
          classId: classIds[ci],
          joinedOn: dateOnly(late ?? YEAR.start),
          joinOrder: late
            ? `Приказ № ${100 + ci}-у от ${late.split("-").reverse().join(".")}`
            : "Приказ № 58-у от 31.08.2026",
        };
      }),
    ),
  );

  const assignmentIds = await sink.reserve("TeachingAssignment", plan.assignments.length);
  await insert(
    "TeachingAssignment",
    plan.assignments.map((a, i) => ({
      id: assignmentIds[i],
      yearId,
      teacherId: personIds[a.teacher],
      subjectId: subjectIds.get(a.subject),
      classId: classIds[a.cls],
      subgroupId: a.subgroup === null ? null : subgroupIds[a.cls]![a.subgroup],
      hoursPerWeek: a.hours,
    })),
  );
  const slotIds = await sink.reserve("TimetableSlot", plan.slots.length);
  await insert(
    "TimetableSlot",
    plan.slots.map((s, i) => {
      const [startsAt, endsAt] = BELLS[s.lessonNumber - 1]!;
      const a = plan.assignments[s.assignment]!;
      return {
        id: slotIds[i],
        assignmentId: assignmentIds[s.assignment],
        weekday: s.weekday,
        lessonNumber: s.lessonNumber,
        startsAt,
        endsAt,
        room: roomFor(a.subject, a.cls, a.subgroup),
        validFrom: dateOnly(YEAR.start),
        validTo: dateOnly(YEAR.end),
      };
    }),
  );
  const topicIds = await sink.reserve("TopicPlanItem", journal.topicItems.length);
  await insert(
    "TopicPlanItem",
    journal.topicItems.map((t, i) => ({
      id: topicIds[i],
      assignmentId: assignmentIds[t.assignment],
      number: t.number,
      topic: t.topic,
      hours: t.hours,
      plannedDate: dateOnly(t.plannedDate),
    })),
  );

  const lessonIds = await sink.reserve("Lesson", journal.lessons.length);
  await insert(
    "Lesson",
    journal.lessons.map((l, i) => {
      const a = plan.assignments[l.assignment]!;
      return {
        id: lessonIds[i],
        assignmentId: assignmentIds[l.assignment],
        classId: classIds[a.cls],
        subgroupId: a.subgroup === null ? null : subgroupIds[a.cls]![a.subgroup],
        subjectId: subjectIds.get(a.subject),
        slotId: slotIds[l.slot],
        date: dateOnly(l.date),
        lessonNumber: l.lessonNumber,
        startsAt: l.startsAt,
        endsAt: l.endsAt,
        teacherId: personIds[a.teacher],
        topic: l.topic,
        plannedTopicId: l.topicItem === null ? null : topicIds[l.topicItem],
        controlFormId: l.form ? formIds.get(l.form) : null,
        homework: l.homework,
        homeworkNone: l.homeworkNone,
        attendanceAt: l.attendanceAt,
        createdAt: MATERIALISED_AT,
        updatedAt: l.attendanceAt ?? MATERIALISED_AT,
      };
    }),
  );
  // Each mark's lock deadline, as the journal fixes it when a mark is written (the school's
  // defaults: 10 working days, Monday–Friday); one computation per moment of writing.
  const calendar: SchoolCalendar = {
    timeZone: seed.timeZone,
    weekDays: 5,
    markLockDays: 10,
    holidays: HOLIDAYS.map((h) => ({ from: h.from, to: h.to })),
  };
  const deadlines = new Map<number, Date>();
  const lockAt = (createdAt: Date) => {
    const known = deadlines.get(createdAt.getTime());
    if (known) return known;
    const at = lockEndsAt(createdAt, calendar);
    deadlines.set(createdAt.getTime(), at);
    return at;
  };
  await insert(
    "Mark",
    journal.marks.map((m) => ({
      lessonId: lessonIds[m.lesson],
      pupilId: personIds[m.pupil],
      value: m.value,
      value2: m.value2,
      controlFormId: formIds.get(m.form),
      weight: FORMS[m.form].weight,
      comment: m.comment,
      authorId: personIds[m.author],
      createdAt: m.createdAt,
      updatedAt: m.createdAt,
      lockAt: lockAt(m.createdAt),
    })),
  );
  await insert(
    "Attendance",
    journal.attendance.map((r) => ({
      lessonId: lessonIds[r.lesson],
      pupilId: personIds[r.pupil],
      kind: r.kind,
      reason: r.reason,
      markedById: personIds[r.markedBy],
      reasonById: r.reasonBy === null ? null : personIds[r.reasonBy],
      createdAt: r.createdAt,
      updatedAt: r.createdAt,
    })),
  );
  await insert(
    "PeriodMark",
    seed.periodMarks.map((m) => {
      const q = QUARTERS.find((x) => x.number === m.quarter);
      const at = localMoment(q ? q.end : YEAR.end, "16:00", seed.timeZone);
      return {
        pupilId: personIds[m.pupil],
        subjectId: subjectIds.get(m.subject),
        periodId: periodIds.get(m.quarter),
        kind: m.quarter === 0 ? "YEAR" : "PERIOD",
        value: m.value,
        authorId: personIds[m.author],
        createdAt: at,
        updatedAt: at,
        // Visible to families once the quarter was published, like publishPeriod does.
        publishedAt:
          q && seed.publishedQuarters.includes(q.number) ? localMoment(q.end, "20:00", seed.timeZone) : null,
      };
    }),
  );
  return {
    schoolId: schoolId!,
    yearId: yearId!,
    periodIds,
    personIds,
    classIds,
    subjectIds,
    formIds,
    assignmentIds,
    lessonIds,
    counts,
  };
}

function roomFor(subject: SubjectKey, cls: number, subgroup: number | null): string {
  if (subject === "pe") return "Спортзал";
  if (subject === "music") return "Актовый зал";
  if (subject === "informatics") return "Кабинет информатики";
  return String(100 + ((cls * 7 + (subgroup ?? 0) * 3) % 60) + 1);
}
