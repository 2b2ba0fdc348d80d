import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { recordAttendance } from "../../src/journal/attendance.js";
import { postMarks } from "../../src/journal/marks.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { counts, lessonFactory, setNow, TODAY_MORNING } from "./lessons-helpers.js";

// A marks line with "н" (the bot): marks and absences are written together or not at all.

let t: TestDb;
let s: SchoolFixture;
let fresh: ReturnType<typeof lessonFactory>;

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  fresh = lessonFactory(s);
});
afterAll(() => t.drop());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(TODAY_MORNING);
});

const col = (...pairs: [number, string][]) => pairs.map(([pupilId, value]) => ({ pupilId, value }));
const attendanceOf = (lessonId: number) =>
  t.db.attendance.findMany({
    where: { lessonId },
    select: { pupilId: true, kind: true },
    orderBy: { pupilId: "asc" },
  });

describe("postMarks with absent pupils", () => {
  it("records the marks and the absences, keeping the others' attendance, with audit and events", async () => {
    const lesson = await fresh();
    await recordAttendance(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      entries: [{ pupilId: s.pupils.smirnov.id, kind: "LATE" }],
    });
    const before = await counts(t.db);
    const result = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.ivanov.id, "5"], [s.pupils.petrov.id, "4"]),
      absent: [s.pupils.sidorova.id],
    });
    expect(result.marks.map((m) => [m.pupilId, m.value])).toEqual([
      [s.pupils.ivanov.id, "5"],
      [s.pupils.petrov.id, "4"],
    ]);
    expect(await attendanceOf(lesson.id)).toEqual(
      [
        { pupilId: s.pupils.sidorova.id, kind: "ABSENT" },
        { pupilId: s.pupils.smirnov.id, kind: "LATE" },
      ].sort((a, b) => a.pupilId - b.pupilId),
    );
    const after = await counts(t.db);
    expect(after.marks - before.marks).toBe(2);
    // Two mark.post rows and one attendance.record row; mark.posted and attendance.recorded.
    expect(after.audit - before.audit).toBe(3);
    expect(after.outbox - before.outbox).toBe(2);
    const event = await t.db.outbox.findFirstOrThrow({
      where: { type: "attendance.recorded" },
      orderBy: { id: "desc" },
    });
    expect(event.payload).toEqual({ lessonId: lesson.id, pupilIds: [s.pupils.sidorova.id] });
    const row = await t.db.lesson.findUniqueOrThrow({ where: { id: lesson.id } });
    expect(row.attendanceAt).not.toBeNull();
  });

  it("a mark refused inside the transaction leaves no attendance change behind", async () => {
    const lesson = await fresh();
    // The deputy head's mark: the lesson's teacher may not change it.
    await postMarks(t.db, s.people.deputy.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.ivanov.id, "3"]),
    });
    await recordAttendance(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      entries: [{ pupilId: s.pupils.smirnov.id, kind: "LATE" }],
    });
    const before = await counts(t.db);
    const attendanceBefore = await attendanceOf(lesson.id);
    const { attendanceAt } = await t.db.lesson.findUniqueOrThrow({ where: { id: lesson.id } });

    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col([s.pupils.petrov.id, "4"], [s.pupils.ivanov.id, "5"]),
        absent: [s.pupils.sidorova.id, s.pupils.smirnov.id],
      }),
    ).rejects.toMatchObject({ code: "forbidden" });

    expect(await counts(t.db)).toEqual(before);
    expect(await attendanceOf(lesson.id)).toEqual(attendanceBefore);
    const row = await t.db.lesson.findUniqueOrThrow({ where: { id: lesson.id } });
    expect(row.attendanceAt).toEqual(attendanceAt);
  });

  it("a refused value writes neither marks nor absences", async () => {
    const lesson = await fresh();
    const before = await counts(t.db);
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col([s.pupils.ivanov.id, "6"]),
        absent: [s.pupils.sidorova.id],
      }),
    ).rejects.toMatchObject({ code: "validation" });
    expect(await counts(t.db)).toEqual(before);
  });

  it("an absent pupil not in the class refuses the whole line, marks included", async () => {
    const lesson = await fresh();
    const before = await counts(t.db);
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col([s.pupils.ivanov.id, "5"]),
        absent: [s.pupils.kozlov.id],
      }),
    ).rejects.toMatchObject({ code: "validation", details: { pupilIds: [s.pupils.kozlov.id] } });
    expect(await counts(t.db)).toEqual(before);
  });

  it("absences for a lesson still ahead are refused, and its marks are not written", async () => {
    const lesson = await s.lesson(s.assignments.math5, "2026-11-25", 1);
    const before = await counts(t.db);
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col([s.pupils.ivanov.id, "5"]),
        absent: [s.pupils.sidorova.id],
      }),
    ).rejects.toThrow(/ещё не прошёл/);
    expect(await counts(t.db)).toEqual(before);
  });
});
