import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { periodResults, periodSummary, publishPeriod, setPeriodMarks } from "../../src/journal/periods.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
const DATES = [
  "2026-09-01",
  "2026-09-02",
  "2026-09-03",
  "2026-09-04",
  "2026-09-07",
  "2026-09-08",
  "2026-09-09",
  "2026-09-10",
];

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  const lessons = [];
  for (const date of DATES) lessons.push(await s.lesson(s.assignments.math5, date));
  const { ivanov, ivanova, petrov, sidorova, smirnov } = s.pupils;
  const mark = (lessonId: number, pupilId: number, value: string, weight = 1) =>
    t.db.mark.create({ data: { lessonId, pupilId, value, weight, authorId: s.people.math.id } });
  // Иванов: 6 marks (math is 5 h/week → 6 needed): 5,5,4,5,5 and a control work 4 (×3).
  for (const [i, v] of ["5", "5", "4", "5", "5"].entries()) await mark(lessons[i]!.id, ivanov.id, v);
  await mark(lessons[5]!.id, ivanov.id, "4", 3);
  // Иванова: only 5 marks.
  for (const [i, v] of ["3", "4", "3", "4", "3"].entries()) await mark(lessons[i]!.id, ivanova.id, v);
  // Смирнов: 6 marks of 4.
  for (let i = 0; i < 6; i++) await mark(lessons[i]!.id, smirnov.id, "4");
  // Петров missed 7 of 8 without good reason; Сидорова missed 7 of 8 ill.
  for (let i = 0; i < 7; i++) {
    await t.db.attendance.create({
      data: {
        lessonId: lessons[i]!.id,
        pupilId: petrov.id,
        kind: "ABSENT",
        reason: "UNEXCUSED",
        markedById: s.people.math.id,
      },
    });
    await t.db.attendance.create({
      data: {
        lessonId: lessons[i]!.id,
        pupilId: sidorova.id,
        kind: "ABSENT",
        reason: "ILLNESS",
        markedById: s.people.math.id,
      },
    });
  }
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-10-26T09:00:00+03:00"));
});
afterAll(async () => {
  vi.useRealTimers();
  await t.drop();
});

const q1 = () => ({
  periodId: s.periods[0]!.id,
  subjectId: s.subjects.math.id,
  classId: s.classes.class5.id,
});

describe("period summary", () => {
  it("gives averages, counts, absences and suggestions computed from the journal", async () => {
    const sum = await periodSummary(t.db, s.people.math.actor, q1());
    expect(sum.minMarks).toBe(6);
    expect(sum.open).toBe(true);
    const row = (last: string) => sum.rows.find((r) => r.lastName === last)!;
    // (5+5+4+5+5+4·3)/8 = 36/8 = 4.5 → "5"
    expect(row("Иванов")).toMatchObject({ average: 4.5, marksCount: 6, suggested: "5", enoughMarks: true });
    expect(row("Иванова")).toMatchObject({ average: 3.4, marksCount: 5, suggested: "3", enoughMarks: false });
    expect(row("Петров")).toMatchObject({
      marksCount: 0,
      missedUnexcused: 7,
      missedExcused: 0,
      suggested: "н/а",
    });
    expect(row("Сидорова")).toMatchObject({ missedExcused: 7, suggested: null, extend: true });
    expect(sum.rows.map((r) => r.lastName)).toEqual(["Иванов", "Иванова", "Петров", "Сидорова", "Смирнов"]);
  });
  it("is refused to a guardian", async () => {
    await expect(periodSummary(t.db, s.guardians.petrovaMother.actor, q1())).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("setting period marks", () => {
  it("refuses before the end of the period's last lesson by the timetable, allows after (002 §5.12)", async () => {
    // Lessons exist only up to 10.09, but the timetable goes on to Friday 23.10 (the quarter ends
    // on Sunday 25.10): the last lesson that exists does not close the period.
    for (const now of ["2026-09-10T09:16:00+03:00", "2026-10-23T09:14:00+03:00"]) {
      vi.setSystemTime(new Date(now));
      await expect(
        setPeriodMarks(t.db, s.people.math.actor, {
          ...q1(),
          marks: [{ pupilId: s.pupils.ivanov.id, value: "5" }],
        }),
      ).rejects.toThrow(/после последнего урока периода \(2026-10-23 09:15\)/);
      expect((await periodSummary(t.db, s.people.math.actor, q1())).open).toBe(false);
    }
    vi.setSystemTime(new Date("2026-10-23T09:16:00+03:00"));
    const r = await setPeriodMarks(t.db, s.people.math.actor, {
      ...q1(),
      marks: [{ pupilId: s.pupils.ivanov.id, value: "5" }],
    });
    expect(r.marks).toEqual([
      expect.objectContaining({ pupilId: s.pupils.ivanov.id, kind: "PERIOD", value: "5" }),
    ]);
    vi.setSystemTime(new Date("2026-10-26T09:00:00+03:00"));
  });
  it("writes audit and a period_mark.set event with the mark", async () => {
    const row = await t.db.periodMark.findFirstOrThrow({ where: { pupilId: s.pupils.ivanov.id } });
    expect(await t.db.auditLog.count({ where: { entity: "PeriodMark", entityId: String(row.id) } })).toBe(1);
    const events = await t.db.outbox.findMany({ where: { type: "period_mark.set" } });
    expect(events.map((e) => e.payload)).toContainEqual({ periodMarkIds: [row.id] });
  });
  it("refuses a mark with too few current marks", async () => {
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.ivanova.id, value: "3" }],
      }),
    ).rejects.toThrow(/Иванова Мария: Недостаточно текущих отметок: 5.*не меньше 6/);
  });
  it("writes н/а for >75% missed without good reason, refuses it after illness and with marks", async () => {
    await setPeriodMarks(t.db, s.people.math.actor, {
      ...q1(),
      marks: [{ pupilId: s.pupils.petrov.id, value: "н/а" }],
    });
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.sidorova.id, value: "н/а" }],
      }),
    ).rejects.toThrow(/период продлевается/);
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.smirnov.id, value: "н/а" }],
      }),
    ).rejects.toThrow(/выставьте отметку/);
  });
  it("refuses values outside 2–5/н/а and pupils of another class", async () => {
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.smirnov.id, value: "1" }],
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.kozlov.id, value: "4" }],
      }),
    ).rejects.toThrow(/не учится в этом классе/);
  });
  it("is the subject teacher's or the deputy's, not another teacher's", async () => {
    await expect(
      setPeriodMarks(t.db, s.people.russian.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.smirnov.id, value: "4" }],
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const r = await setPeriodMarks(t.db, s.people.deputy.actor, {
      ...q1(),
      marks: [{ pupilId: s.pupils.smirnov.id, value: "4" }],
    });
    expect(r.marks[0]!.value).toBe("4");
  });
  it("writes nothing when one mark of the batch is refused", async () => {
    const audits = await t.db.auditLog.count();
    const events = await t.db.outbox.count();
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...q1(),
        marks: [
          { pupilId: s.pupils.smirnov.id, value: "5" },
          { pupilId: s.pupils.ivanova.id, value: "3" },
        ],
      }),
    ).rejects.toThrow(/Иванова Мария/);
    const smirnov = await t.db.periodMark.findFirstOrThrow({ where: { pupilId: s.pupils.smirnov.id } });
    expect(smirnov.value).toBe("4");
    expect([await t.db.auditLog.count(), await t.db.outbox.count()]).toEqual([audits, events]);
  });
  it("refuses marks in grade 1", async () => {
    const lesson = await s.lesson(s.assignments.math1, "2026-09-01");
    await t.db.mark.create({
      data: { lessonId: lesson.id, pupilId: s.pupils.kozlov.id, value: "5", authorId: s.people.primary.id },
    });
    await expect(
      setPeriodMarks(t.db, s.people.primary.actor, {
        periodId: s.periods[0]!.id,
        subjectId: s.subjects.math.id,
        classId: s.classes.class1.id,
        marks: [{ pupilId: s.pupils.kozlov.id, value: "5" }],
      }),
    ).rejects.toThrow(/Безотметочное/);
  });
  it("refuses marks for a subject without marks", async () => {
    await expect(
      setPeriodMarks(t.db, s.people.deputy.actor, {
        ...q1(),
        subjectId: s.subjects.odnknr.id,
        marks: [{ pupilId: s.pupils.smirnov.id, value: "4" }],
      }),
    ).rejects.toThrow(/Безотметочное/);
  });
});

describe("year marks", () => {
  const year = () => ({
    periodId: s.yearPeriod.id,
    subjectId: s.subjects.math.id,
    classId: s.classes.class5.id,
  });
  it("refuses a year mark until every period has one, then accepts it; final needs the year mark", async () => {
    const ivanov = s.pupils.ivanov.id;
    // Year marks open after the year's last lesson by the timetable: Monday 31.05.2027, 09:15.
    vi.setSystemTime(new Date("2027-05-31T09:14:00+03:00"));
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...year(),
        marks: [{ pupilId: ivanov, value: "5", kind: "YEAR" }],
      }),
    ).rejects.toThrow(/после последнего урока периода \(2027-05-31 09:15\)/);
    vi.setSystemTime(new Date("2027-05-31T10:00:00+03:00"));
    onTestFinished(() => {
      vi.setSystemTime(new Date("2026-10-26T09:00:00+03:00"));
    });
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...year(),
        marks: [{ pupilId: ivanov, value: "5", kind: "YEAR" }],
      }),
    ).rejects.toThrow(/2 четверть, 3 четверть, 4 четверть/);
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...year(),
        marks: [{ pupilId: ivanov, value: "5", kind: "FINAL" }],
      }),
    ).rejects.toThrow(/после годовой/);
    for (const p of s.periods.slice(1)) {
      await t.db.periodMark.create({
        data: {
          pupilId: ivanov,
          subjectId: s.subjects.math.id,
          periodId: p.id,
          kind: "PERIOD",
          value: "4",
          authorId: s.people.math.id,
        },
      });
    }
    const r = await setPeriodMarks(t.db, s.people.math.actor, {
      ...year(),
      marks: [
        { pupilId: ivanov, value: "4", kind: "YEAR" },
        { pupilId: ivanov, value: "4", kind: "FINAL" },
      ],
    });
    expect(r.marks.map((m) => m.kind)).toEqual(["YEAR", "FINAL"]);
    const sum = await periodSummary(t.db, s.people.deputy.actor, year());
    // 5, 4, 4, 4 → 4.25 → "4"
    expect(sum.rows.find((x) => x.pupilId === ivanov)!.suggested).toBe("4");
  });
  it("refuses a quarter kind on the year period", async () => {
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...year(),
        marks: [{ pupilId: s.pupils.ivanov.id, value: "5", kind: "PERIOD" }],
      }),
    ).rejects.toThrow(/kind YEAR, EXAM, FINAL/);
  });
});

describe("publishing", () => {
  it("is refused to a teacher and when nothing is set", async () => {
    await expect(
      publishPeriod(t.db, s.people.math.actor, { periodId: s.periods[0]!.id }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      publishPeriod(t.db, s.people.deputy.actor, {
        periodId: s.periods[2]!.id,
        classId: s.classes.class1.id,
      }),
    ).rejects.toThrow(/Публиковать нечего/);
  });
  it("stamps publishedAt, emits period.published, and then locks teachers' changes", async () => {
    const r = await publishPeriod(t.db, s.people.deputy.actor, { periodId: s.periods[0]!.id });
    expect(r.marks).toBe(3);
    const period = await t.db.period.findUniqueOrThrow({ where: { id: s.periods[0]!.id } });
    expect(period.publishedAt).not.toBeNull();
    const ev = await t.db.outbox.findFirstOrThrow({ where: { type: "period.published" } });
    // The stamp names the marks this publication made visible (the worker tells families of those only).
    expect(ev.payload).toEqual({
      periodId: s.periods[0]!.id,
      publishedAt: period.publishedAt!.toISOString(),
    });
    await expect(
      setPeriodMarks(t.db, s.people.math.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.ivanov.id, value: "4" }],
      }),
    ).rejects.toMatchObject({ code: "locked" });
    // The deputy head corrects a published mark only with a listed reason (003 §7).
    await expect(
      setPeriodMarks(t.db, s.people.deputy.actor, {
        ...q1(),
        marks: [{ pupilId: s.pupils.ivanov.id, value: "4" }],
      }),
    ).rejects.toMatchObject({ code: "validation", message: expect.stringMatching(/укажите причину/) });
    await setPeriodMarks(t.db, s.people.deputy.actor, {
      ...q1(),
      marks: [{ pupilId: s.pupils.ivanov.id, value: "4" }],
      reason: "TEACHER_STATEMENT",
    });
    const audits = await t.db.auditLog.findMany({ where: { action: "period_mark.correct" } });
    expect(audits.at(-1)!.before).toMatchObject({ value: "5" });
    expect(audits.at(-1)!.after).toMatchObject({ value: "4", reason: "TEACHER_STATEMENT" });
  });
  it("lists each pupil's results for the notifier", async () => {
    const results = await periodResults(t.db, { periodId: s.periods[0]!.id, classId: s.classes.class5.id });
    expect(results.find((r) => r.pupilId === s.pupils.petrov.id)!.marks).toEqual([
      { subjectId: s.subjects.math.id, subject: "Математика", kind: "PERIOD", value: "н/а" },
    ]);
    expect(results.map((r) => r.pupilId)).not.toContain(s.pupils.sidorova.id);
  });
});
