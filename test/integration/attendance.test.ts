import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "../../src/journal/actor.js";
import {
  classAbsences,
  recordAttendance,
  reportAbsence,
  setAbsenceReasons,
} from "../../src/journal/attendance.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { counts, lessonFactory, outcome, setNow, TODAY_MORNING } from "./lessons-helpers.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
let fresh: ReturnType<typeof lessonFactory>;

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "МБОУ «Гимназия № 3»");
  fresh = lessonFactory(s);
});
afterAll(() => t.drop());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(TODAY_MORNING);
});

const absent = (pupilId: number) => ({ pupilId, kind: "ABSENT" as const });
const late = (pupilId: number) => ({ pupilId, kind: "LATE" as const });

describe("recordAttendance saves the whole lesson", () => {
  it("marks absent and late pupils, the rest present, with one event of who changed", async () => {
    const lesson = await fresh();
    const { ivanov, petrov } = s.pupils;
    const r = await recordAttendance(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      entries: [absent(ivanov.id), late(petrov.id)],
    });
    expect(r.attendance.map((a) => [a.pupilId, a.kind]).sort()).toEqual(
      [
        [ivanov.id, "ABSENT"],
        [petrov.id, "LATE"],
      ].sort(),
    );
    const saved = await t.db.lesson.findUniqueOrThrow({ where: { id: lesson.id } });
    expect(saved.attendanceAt).toEqual(new Date(TODAY_MORNING));
    const event = await t.db.outbox.findFirstOrThrow({
      where: { type: "attendance.recorded" },
      orderBy: { id: "desc" },
    });
    expect(event.payload).toEqual({ lessonId: lesson.id, pupilIds: [ivanov.id, petrov.id] });

    // Second save: Петров was there after all, Иванов came late.
    const again = await recordAttendance(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      entries: [late(ivanov.id)],
    });
    expect(again.attendance.map((a) => [a.pupilId, a.kind])).toEqual([[ivanov.id, "LATE"]]);
    expect(again.changedPupilIds.sort()).toEqual([ivanov.id, petrov.id].sort());
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: "attendance.record", entityId: String(lesson.id) },
      orderBy: { id: "desc" },
    });
    expect(audit.before).toEqual({ absent: [ivanov.id], late: [petrov.id] });
    expect(audit.after).toEqual({ absent: [], late: [ivanov.id] });
  });

  it("an empty list means everybody was present, and still records that attendance was taken", async () => {
    const lesson = await fresh();
    const r = await recordAttendance(t.db, s.people.math.actor, { lessonId: lesson.id, entries: [] });
    expect(r.attendance).toEqual([]);
    expect((await t.db.lesson.findUniqueOrThrow({ where: { id: lesson.id } })).attendanceAt).not.toBeNull();
  });

  it("grade 1 keeps attendance", async () => {
    const lesson = await fresh(s.assignments.math1);
    expect(
      await outcome(
        recordAttendance(t.db, s.people.primary.actor, {
          lessonId: lesson.id,
          entries: [absent(s.pupils.kozlov.id)],
        }),
      ),
    ).toBe("ok");
  });

  it("refuses a pupil of another class, naming them, and writes nothing", async () => {
    const lesson = await fresh();
    const before = await counts(t.db);
    await expect(
      recordAttendance(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        entries: [absent(s.pupils.ivanov.id), absent(s.pupils.orlova.id)],
      }),
    ).rejects.toMatchObject({ code: "validation", details: { pupilIds: [s.pupils.orlova.id] } });
    expect(await counts(t.db)).toEqual(before);
  });

  it("refuses a lesson that has not happened yet", async () => {
    const tomorrow = await s.lesson(s.assignments.math5, "2026-11-25", 1);
    await expect(
      recordAttendance(t.db, s.people.math.actor, { lessonId: tomorrow.id, entries: [] }),
    ).rejects.toThrow(/ещё не прошёл/);
  });

  it.each([
    ["the lesson's teacher", () => s.people.math.actor, "ok"],
    ["another teacher", () => s.people.russian.actor, "forbidden"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ] as [string, () => Actor, string][])("$0 → $2", async (_who, actor, expected) => {
    const lesson = await fresh();
    expect(
      await outcome(
        recordAttendance(t.db, actor(), { lessonId: lesson.id, entries: [absent(s.pupils.ivanov.id)] }),
      ),
    ).toBe(expected);
  });
});

describe("absence reasons: the class teacher's business (003 §5.3)", () => {
  const absence = async () => {
    const lesson = await fresh();
    const r = await recordAttendance(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      entries: [absent(s.pupils.sidorova.id)],
    });
    return r.attendance[0]!.id;
  };

  it.each([
    ["the class teacher of 5А", () => s.people.russian.actor, "ok"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["the journal admin", () => s.people.admin.actor, "ok"],
    ["a subject teacher of 5А", () => s.people.math.actor, "forbidden"],
    ["the class teacher of 1А", () => s.people.primary.actor, "forbidden"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ] as [string, () => Actor, string][])("$0 → $2", async (_who, actor, expected) => {
    const attendanceId = await absence();
    expect(
      await outcome(setAbsenceReasons(t.db, actor(), { items: [{ attendanceId, reason: "ILLNESS" }] })),
    ).toBe(expected);
  });

  it("sets the reasons with audit rows and one event", async () => {
    const [a, b] = [await absence(), await absence()];
    await setAbsenceReasons(t.db, s.people.russian.actor, {
      items: [
        { attendanceId: a, reason: "EXCUSED" },
        { attendanceId: b, reason: "UNEXCUSED" },
      ],
    });
    const rows = await t.db.attendance.findMany({ where: { id: { in: [a, b] } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.reason, r.reasonById])).toEqual([
      ["EXCUSED", s.people.russian.id],
      ["UNEXCUSED", s.people.russian.id],
    ]);
    const event = await t.db.outbox.findFirstOrThrow({
      where: { type: "attendance.reason_set" },
      orderBy: { id: "desc" },
    });
    expect(event.payload).toEqual({ attendanceIds: [a, b] });
    expect(
      await t.db.auditLog.count({
        where: { action: "attendance.reason", entityId: { in: [String(a), String(b)] } },
      }),
    ).toBe(2);
  });

  it("refuses an unknown reason", async () => {
    const attendanceId = await absence();
    await expect(
      setAbsenceReasons(t.db, s.people.russian.actor, { items: [{ attendanceId, reason: "LAZY" }] }),
    ).rejects.toMatchObject({ code: "validation" });
  });
});

describe("classAbsences: the lessons-missed page", () => {
  it("lists the class's absences in a range, by date and lesson", async () => {
    const rows = await classAbsences(t.db, s.people.russian.actor, {
      classId: s.classes.class5.id,
      from: "2026-11-01",
      to: "2026-11-30",
    });
    expect(rows.length).toBeGreaterThan(0);
    const keys = rows.map((r) => `${r.date}#${r.lessonNumber}`);
    expect(keys).toEqual([...keys].sort());
    expect(rows[0]).toMatchObject({
      subject: { name: "Математика" },
      pupil: { lastName: expect.any(String) },
    });
  });

  it.each([
    ["the class teacher", () => s.people.russian.actor, "ok"],
    ["a teacher of the class", () => s.people.math.actor, "ok"],
    ["the director", () => s.people.director.actor, "ok"],
    ["a teacher of another class", () => s.people.primary.actor, "forbidden"],
    ["a guardian", () => s.guardians.ivanovaMother.actor, "forbidden"],
    ["another school's deputy", () => other.people.deputy.actor, "not_found"],
  ] as [string, () => Actor, string][])("$0 → $2", async (_who, actor, expected) => {
    expect(
      await outcome(
        classAbsences(t.db, actor(), { classId: s.classes.class5.id, from: "2026-11-01", to: "2026-11-30" }),
      ),
    ).toBe(expected);
  });
});

describe("reportAbsence: a guardian warns the school (003 §5.6)", () => {
  it("records the notice, prefills today's absences and the ones marked later, emits absence.reported", async () => {
    const { ivanov } = s.pupils;
    const today = await s.lesson(s.assignments.russian5, "2026-11-24", 2);
    await recordAttendance(t.db, s.people.russian.actor, {
      lessonId: today.id,
      entries: [absent(ivanov.id)],
    });
    const { notice, prefilled } = await reportAbsence(t.db, s.guardians.ivanovaMother.actor, {
      pupilId: ivanov.id,
      fromDate: "2026-11-24",
      toDate: "2026-11-26",
      reason: "ILLNESS",
      note: "Температура",
    });
    expect(prefilled).toBe(1);
    const row = await t.db.attendance.findFirstOrThrow({ where: { lessonId: today.id, pupilId: ivanov.id } });
    expect(row.reason).toBe("ILLNESS");
    const event = await t.db.outbox.findFirstOrThrow({
      where: { type: "absence.reported" },
      orderBy: { id: "desc" },
    });
    expect(event.payload).toEqual({ noticeId: notice.id, pupilId: ivanov.id });

    // Tomorrow the teacher marks him absent: the reason is already there.
    setNow("2026-11-25T09:00:00+03:00");
    const tomorrow = await s.lesson(s.assignments.russian5, "2026-11-25", 2);
    const r = await recordAttendance(t.db, s.people.russian.actor, {
      lessonId: tomorrow.id,
      entries: [absent(ivanov.id)],
    });
    expect(r.attendance[0]).toMatchObject({ reason: "ILLNESS" });
  });

  it("keeps a reason the class teacher already set", async () => {
    const lesson = await s.lesson(s.assignments.russian5, "2026-11-24", 3);
    const r = await recordAttendance(t.db, s.people.russian.actor, {
      lessonId: lesson.id,
      entries: [absent(s.pupils.petrov.id)],
    });
    await setAbsenceReasons(t.db, s.people.russian.actor, {
      items: [{ attendanceId: r.attendance[0]!.id, reason: "UNEXCUSED" }],
    });
    const { prefilled } = await reportAbsence(t.db, s.guardians.petrovaMother.actor, {
      pupilId: s.pupils.petrov.id,
      fromDate: "2026-11-24",
      toDate: "2026-11-24",
      reason: "EXCUSED",
    });
    expect(prefilled).toBe(0);
  });

  it.each([
    [
      "the guardian, for another family's child",
      () => s.guardians.ivanovaMother.actor,
      () => s.pupils.petrov.id,
      "not_found",
    ],
    [
      "another school's guardian",
      () => other.guardians.ivanovaMother.actor,
      () => s.pupils.ivanov.id,
      "not_found",
    ],
    ["a teacher of the pupil", () => s.people.math.actor, () => s.pupils.ivanov.id, "forbidden"],
    [
      "the guardian, for the second child",
      () => s.guardians.ivanovaMother.actor,
      () => s.pupils.ivanova.id,
      "ok",
    ],
  ] as [string, () => Actor, () => number, string][])("$0 → $3", async (_w, actor, pupil, expected) => {
    expect(
      await outcome(
        reportAbsence(t.db, actor(), {
          pupilId: pupil(),
          fromDate: "2026-11-27",
          toDate: "2026-11-27",
          reason: "EXCUSED",
        }),
      ),
    ).toBe(expected);
  });

  it("refuses a start date in the past and a range that ends before it starts", async () => {
    const input = { pupilId: s.pupils.sidorova.id, reason: "ILLNESS" };
    await expect(
      reportAbsence(t.db, s.guardians.sidorovFather.actor, {
        ...input,
        fromDate: "2026-11-23",
        toDate: "2026-11-25",
      }),
    ).rejects.toThrow(/начиная с сегодняшнего дня/);
    await expect(
      reportAbsence(t.db, s.guardians.sidorovFather.actor, {
        ...input,
        fromDate: "2026-11-26",
        toDate: "2026-11-25",
      }),
    ).rejects.toMatchObject({ code: "validation" });
  });
});
