import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Actor } from "../../src/journal/actor.js";
import { recordAttendance } from "../../src/journal/attendance.js";
import { childrenOf, diary, subjectMarks } from "../../src/journal/diary.js";
import { journalGrid } from "../../src/journal/grid.js";
import { postMarks } from "../../src/journal/marks.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { outcome, setNow, TODAY_MORNING } from "./lessons-helpers.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
let L: { id: number }[];
let englishLesson: { id: number };
let groupId: number;
let q2: number;

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(TODAY_MORNING);
  other = await buildSchool(t.db, "МБОУ «Гимназия № 3»");
  q2 = s.periods[1]!.id;
  const { ivanov, petrov, sidorova } = s.pupils;
  const math = s.people.math.actor;
  L = [
    await s.lesson(s.assignments.math5, "2026-11-09"),
    await s.lesson(s.assignments.math5, "2026-11-10"),
    await s.lesson(s.assignments.math5, "2026-11-11"),
  ];
  const mark = (lessonId: number, pupilId: number, value: string, controlFormId?: number) =>
    postMarks(t.db, math, { lessonId, controlFormId, marks: [{ pupilId, value }] });
  await mark(L[0]!.id, ivanov.id, "5", s.forms.control.id);
  await mark(L[1]!.id, ivanov.id, "4");
  await mark(L[2]!.id, ivanov.id, "4");
  await mark(L[1]!.id, petrov.id, "3");
  await recordAttendance(t.db, math, {
    lessonId: L[0]!.id,
    entries: [{ pupilId: sidorova.id, kind: "ABSENT" }],
  });
  // Marks that do not belong on the page: another subject, another quarter.
  const russian = await s.lesson(s.assignments.russian5, "2026-11-10", 2);
  await postMarks(t.db, s.people.russian.actor, {
    lessonId: russian.id,
    marks: [{ pupilId: ivanov.id, value: "2" }],
  });
  const q1 = await s.lesson(s.assignments.math5, "2026-10-20");
  await postMarks(t.db, math, { lessonId: q1.id, marks: [{ pupilId: ivanov.id, value: "2" }] });
  // A subgroup: group 1 (Иванов, Иванова) learns English with the math teacher.
  const group = await t.db.subgroup.create({ data: { classId: s.classes.class5.id, name: "1 группа" } });
  groupId = group.id;
  await t.db.subgroupMember.createMany({
    data: [s.pupils.ivanov.id, s.pupils.ivanova.id].map((pupilId) => ({ subgroupId: group.id, pupilId })),
  });
  const english = await t.db.subject.create({ data: { schoolId: s.school.id, name: "Английский язык" } });
  const a = await t.db.teachingAssignment.create({
    data: {
      yearId: s.year.id,
      teacherId: s.people.math.id,
      subjectId: english.id,
      classId: s.classes.class5.id,
      subgroupId: group.id,
    },
  });
  englishLesson = await s.lesson(a, "2026-11-11", 3);
});
afterAll(() => t.drop());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(TODAY_MORNING);
});

const gridInput = () => ({ classId: s.classes.class5.id, subjectId: s.subjects.math.id, periodId: q2 });

describe("journalGrid: class × subject × period", () => {
  it("has the period's lessons, the pupils by surname, the cells and weighted averages", async () => {
    const g = await journalGrid(t.db, s.people.math.actor, gridInput());
    expect(g.lessons.map((l) => l.date)).toEqual(["2026-11-09", "2026-11-10", "2026-11-11"]);
    expect(g.lessons[0]?.controlForm).toBeNull(); // the form is on the mark, not set on the lesson
    expect(g.pupils.map((p) => p.lastName)).toEqual(["Иванов", "Иванова", "Петров", "Сидорова", "Смирнов"]);
    const { ivanov, petrov, sidorova } = s.pupils;
    const cell = (pupilId: number, lessonId: number) =>
      g.cells.find((c) => c.pupilId === pupilId && c.lessonId === lessonId);
    expect(cell(ivanov.id, L[0]!.id)?.mark).toMatchObject({
      value: "5",
      weight: 3,
      controlForm: { name: "Контрольная работа" },
    });
    expect(cell(sidorova.id, L[0]!.id)?.attendance).toMatchObject({ kind: "ABSENT" });
    expect(cell(petrov.id, L[0]!.id)).toBeUndefined();
    expect(g.cells).toHaveLength(5);
    expect(g.averages.find((a) => a.pupilId === ivanov.id)).toEqual({
      pupilId: ivanov.id,
      average: 4.6,
      count: 3,
      explanation: "4,60: 5 (Контрольная работа ×3), 4, 4",
    });
    expect(g.averages.find((a) => a.pupilId === sidorova.id)).toMatchObject({ average: null, count: 0 });
  });

  it("a subgroup's page has its lessons and members only", async () => {
    const english = await t.db.subject.findFirstOrThrow({
      where: { schoolId: s.school.id, name: "Английский язык" },
    });
    const g = await journalGrid(t.db, s.people.math.actor, {
      ...gridInput(),
      subjectId: english.id,
      subgroupId: groupId,
    });
    expect(g.lessons.map((l) => l.id)).toEqual([englishLesson.id]);
    expect(g.pupils.map((p) => p.lastName)).toEqual(["Иванов", "Иванова"]);
  });

  it("costs the same handful of queries whatever the size of the page (no N+1)", async () => {
    const counted = new PrismaClient({
      adapter: new PrismaPg({ connectionString: t.url }),
      log: [{ emit: "event", level: "query" }],
    });
    let queries = 0;
    counted.$on("query", (e) => {
      if (process.env.SHOW_QUERIES) console.log(e.query);
      queries++;
    });
    try {
      await journalGrid(counted, s.people.math.actor, gridInput());
      const busyQuarter = queries;
      queries = 0;
      await journalGrid(counted, s.people.math.actor, { ...gridInput(), periodId: s.periods[2]!.id });
      expect(queries).toBe(busyQuarter); // an empty quarter costs as many queries as a full one
      expect(busyQuarter).toBeLessThanOrEqual(10);
    } finally {
      await counted.$disconnect();
    }
  });

  it.each([
    ["the subject teacher", () => s.people.math.actor, "ok"],
    ["the class teacher", () => s.people.russian.actor, "ok"],
    ["the director", () => s.people.director.actor, "ok"],
    ["a teacher of another class", () => s.people.primary.actor, "forbidden"],
    ["a guardian", () => s.guardians.ivanovaMother.actor, "forbidden"],
    ["another school's deputy", () => other.people.deputy.actor, "not_found"],
  ] as [string, () => Actor, string][])("read by $0 → $2", async (_w, actor, expected) => {
    expect(await outcome(journalGrid(t.db, actor(), gridInput()))).toBe(expected);
  });

  it("refuses another school's period", async () => {
    expect(
      await outcome(
        journalGrid(t.db, s.people.deputy.actor, { ...gridInput(), periodId: other.periods[1]!.id }),
      ),
    ).toBe("not_found");
  });
});

describe("diary: the pupil's and guardians' view (002 §8)", () => {
  it("shows days with lessons, the pupil's marks with form and weight, and attendance", async () => {
    const days = await diary(t.db, s.guardians.ivanovaMother.actor, {
      pupilId: s.pupils.ivanov.id,
      from: "2026-11-09",
      to: "2026-11-11",
    });
    expect(days.map((d) => d.date)).toEqual(["2026-11-09", "2026-11-10", "2026-11-11"]);
    const monday = days[0]!.lessons;
    expect(monday[0]).toMatchObject({
      subject: { name: "Математика" },
      marks: [{ value: "5", weight: 3, controlForm: { name: "Контрольная работа" } }],
    });
    const tuesday = days[1]!.lessons;
    expect(tuesday.map((l) => l.subject.name)).toEqual(["Математика", "Русский язык"]);
    const wednesday = days[2]!.lessons;
    expect(wednesday.map((l) => l.subject.name)).toEqual(["Математика", "Английский язык"]);
  });

  it("another pupil sees the absence and no subgroup lesson that is not theirs", async () => {
    const days = await diary(t.db, s.pupils.sidorova.actor, {
      pupilId: s.pupils.sidorova.id,
      from: "2026-11-09",
      to: "2026-11-11",
    });
    const lessons = days.flatMap((d) => d.lessons);
    expect(lessons[0]).toMatchObject({ attendance: { kind: "ABSENT" }, marks: [] });
    expect(lessons.map((l) => l.subject.name)).not.toContain("Английский язык");
  });

  it.each([
    ["the pupil", () => s.pupils.ivanov.actor, "ok"],
    ["their guardian", () => s.guardians.ivanovaMother.actor, "ok"],
    ["another family's guardian", () => s.guardians.petrovaMother.actor, "not_found"],
    ["another pupil", () => s.pupils.petrov.actor, "not_found"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ] as [string, () => Actor, string][])("read by $0 → $2", async (_w, actor, expected) => {
    expect(
      await outcome(
        diary(t.db, actor(), { pupilId: s.pupils.ivanov.id, from: "2026-11-09", to: "2026-11-15" }),
      ),
    ).toBe(expected);
  });

  it("refuses a range longer than two months", async () => {
    await expect(
      diary(t.db, s.pupils.ivanov.actor, {
        pupilId: s.pupils.ivanov.id,
        from: "2026-09-01",
        to: "2026-12-01",
      }),
    ).rejects.toMatchObject({ code: "validation" });
  });
});

describe("subjectMarks: marks, average, explanation and the mark that lifts it", () => {
  it("takes the current quarter by default and explains the weighted average", async () => {
    const r = await subjectMarks(t.db, s.guardians.ivanovaMother.actor, {
      pupilId: s.pupils.ivanov.id,
      subjectId: s.subjects.math.id,
    });
    expect(r.period?.name).toBe("2 четверть");
    expect(r.marks.map((m) => m.value)).toEqual(["5", "4", "4"]);
    expect(r.average).toBe(4.6);
    expect(r.explanation).toBe("4,60: 5 (Контрольная работа ×3), 4, 4");
    expect(r.lift.every((l) => l.mark === null)).toBe(true); // already a 5
  });

  it("says which single mark of each weight lifts a 3", async () => {
    const r = await subjectMarks(t.db, s.guardians.petrovaMother.actor, {
      pupilId: s.pupils.petrov.id,
      subjectId: s.subjects.math.id,
      periodId: q2,
    });
    expect(r.average).toBe(3);
    expect(r.lift.map((l) => [l.weight, l.mark?.mark ?? null])).toEqual([
      [1, "4"], // (3 + 4) / 2 = 3,50 → 4
      [2, "4"],
      [3, "4"],
    ]);
    expect(r.lift[1]?.forms).toEqual(expect.arrayContaining(["Самостоятельная работа", "Диктант"]));
  });

  it("the first quarter has its own marks", async () => {
    const r = await subjectMarks(t.db, s.pupils.ivanov.actor, {
      pupilId: s.pupils.ivanov.id,
      subjectId: s.subjects.math.id,
      periodId: s.periods[0]!.id,
    });
    expect(r.marks.map((m) => m.value)).toEqual(["2"]);
  });

  it("is not readable by another family", async () => {
    expect(
      await outcome(
        subjectMarks(t.db, s.guardians.sidorovFather.actor, {
          pupilId: s.pupils.ivanov.id,
          subjectId: s.subjects.math.id,
        }),
      ),
    ).toBe("not_found");
  });
});

describe("childrenOf", () => {
  it.each([
    ["a guardian of two", () => s.guardians.ivanovaMother.actor, ["Иванов 5А", "Иванова 5А"]],
    ["a guardian in grade 1", () => s.guardians.kozlovaMother.actor, ["Козлов 1А"]],
    ["a pupil sees themself", () => s.pupils.petrov.actor, ["Петров 5А"]],
    ["a teacher has none", () => s.people.math.actor, []],
  ] as [string, () => Actor, string[]][])("%s", async (_w, actor, expected) => {
    const children = await childrenOf(t.db, actor());
    expect(children.map((c) => `${c.lastName} ${c.class?.name}`)).toEqual(expected);
  });
});
