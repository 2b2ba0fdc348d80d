import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAssignment } from "../../src/journal/teaching.js";
import {
  createSlot,
  endSlot,
  generateLessons,
  listSlots,
  timetable,
  updateSlot,
} from "../../src/journal/timetable.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, d, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "Гимназия № 3");
});
afterAll(() => t.drop());
afterEach(() => vi.useRealTimers());

const lessonsOf = (classId: number, from: string, to: string) =>
  t.db.lesson.findMany({
    where: { classId, date: { gte: d(from), lte: d(to) } },
    orderBy: [{ date: "asc" }, { lessonNumber: "asc" }],
  });
const slotOf = (assignmentId: number, weekday: number) =>
  s.slots.find((x) => x.assignmentId === assignmentId && x.weekday === weekday)!;

describe("generateLessons", () => {
  it("creates a week's lessons from the slots with the slot's and assignment's data", async () => {
    const r = await generateLessons(t.db, s.people.deputy.actor, {
      from: "2026-11-23",
      to: "2026-11-29",
      classId: s.classes.class5.id,
    });
    expect(r.created).toBe(11); // 5 days × 2 + ОДНКНР on Wednesday; Saturday and Sunday skipped
    const wed = await lessonsOf(s.classes.class5.id, "2026-11-25", "2026-11-25");
    expect(wed.map((l) => [l.lessonNumber, l.subjectId, l.teacherId, l.startsAt, l.endsAt])).toEqual([
      [1, s.subjects.math.id, s.people.math.id, "08:30", "09:15"],
      [2, s.subjects.russian.id, s.people.russian.id, "09:25", "10:10"],
      [3, s.subjects.odnknr.id, s.people.russian.id, "10:25", "11:10"],
    ]);
    expect(wed[0]?.slotId).toBe(slotOf(s.assignments.math5.id, 3).id);
    expect(await lessonsOf(s.classes.class1.id, "2026-11-23", "2026-11-29")).toHaveLength(0);
  });

  it("is idempotent and keeps what teachers wrote", async () => {
    const [first] = await lessonsOf(s.classes.class5.id, "2026-11-23", "2026-11-23");
    await t.db.lesson.update({ where: { id: first!.id }, data: { topic: "Дроби" } });
    const again = await generateLessons(t.db, s.people.admin.actor, { from: "2026-11-23", to: "2026-11-29" });
    expect(again.created).toBe(10); // only 1А's lessons are new
    expect((await t.db.lesson.findUniqueOrThrow({ where: { id: first!.id } })).topic).toBe("Дроби");
  });

  it("skips holidays", async () => {
    const r = await generateLessons(t.db, s.people.admin.actor, {
      from: "2026-10-26",
      to: "2026-11-06",
      classId: s.classes.class1.id,
    });
    expect(r.created).toBe(4); // vacation until 04.11; Thursday and Friday remain
    const days = new Set(
      (await lessonsOf(s.classes.class1.id, "2026-10-26", "2026-11-06")).map((l) =>
        l.date.toISOString().slice(0, 10),
      ),
    );
    expect([...days]).toEqual(["2026-11-05", "2026-11-06"]);
  });

  it("teachers may not generate; other schools' classes are not touched", async () => {
    await expect(
      generateLessons(t.db, s.people.math.actor, { from: "2026-11-30", to: "2026-12-04" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await generateLessons(t.db, other.people.admin.actor, {
      from: "2026-11-30",
      to: "2026-11-30",
      classId: s.classes.class5.id,
    });
    expect(await lessonsOf(s.classes.class5.id, "2026-11-30", "2026-11-30")).toHaveLength(0);
    await expect(
      generateLessons(t.db, s.people.admin.actor, { from: "2026-12-04", to: "2026-11-30" }),
    ).rejects.toMatchObject({
      code: "validation",
    });
  });
});

describe("timetable views", () => {
  it("a class's week: generated lessons with substitutions, other days from slots, holidays named", async () => {
    const [mon] = await lessonsOf(s.classes.class5.id, "2026-11-23", "2026-11-23");
    await t.db.lesson.update({ where: { id: mon!.id }, data: { substituteId: s.people.substitute.id } });
    const week = await timetable(t.db, s.guardians.petrovaMother.actor, {
      classId: s.classes.class5.id,
      weekOf: "2026-11-25",
    });
    expect(week.days.map((x) => x.date)).toEqual([
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
    ]);
    expect(week.days[0]?.lessons[0]).toMatchObject({
      lessonId: mon!.id,
      topic: "Дроби",
      substitute: { lastName: "Новиков" },
    });
    expect(week.days[2]?.lessons.map((l) => l.subject.name)).toEqual([
      "Математика",
      "Русский язык",
      "ОДНКНР",
    ]);

    const next = await timetable(t.db, s.people.math.actor, {
      classId: s.classes.class5.id,
      weekOf: "2026-12-07",
    });
    expect(next.days[0]?.lessons[0]).toMatchObject({
      lessonId: null,
      room: "201",
      teacher: { lastName: "Кузнецова" },
    });

    const vacation = await timetable(t.db, s.people.math.actor, {
      classId: s.classes.class5.id,
      weekOf: "2026-11-02",
    });
    expect(vacation.days.map((x) => [x.holiday, x.lessons.length])).toEqual([
      ["Осенние каникулы", 0],
      ["Осенние каникулы", 0],
      ["Осенние каникулы", 0],
      [null, 2],
      [null, 2],
    ]);
  });

  it("a teacher's week includes lessons they substitute", async () => {
    const week = await timetable(t.db, s.people.substitute.actor, {
      teacherId: s.people.substitute.id,
      weekOf: "2026-11-23",
    });
    expect(week.days[0]?.lessons).toHaveLength(1);
    expect(week.days[1]?.lessons).toHaveLength(0);
  });

  it("a pupil's week shows only their subgroup's lessons; guardians of other children are refused", async () => {
    const sg1 = await t.db.subgroup.create({ data: { classId: s.classes.class5.id, name: "1 группа" } });
    const sg2 = await t.db.subgroup.create({ data: { classId: s.classes.class5.id, name: "2 группа" } });
    await t.db.subgroupMember.create({ data: { subgroupId: sg1.id, pupilId: s.pupils.petrov.id } });
    const a1 = await createAssignment(t.db, s.people.admin.actor, {
      teacherId: s.people.math.id,
      subjectId: s.subjects.literacy.id,
      classId: s.classes.class5.id,
      subgroupId: sg1.id,
    });
    const a2 = await createAssignment(t.db, s.people.admin.actor, {
      teacherId: s.people.substitute.id,
      subjectId: s.subjects.literacy.id,
      classId: s.classes.class5.id,
      subgroupId: sg2.id,
    });
    const slot = { weekday: 2, lessonNumber: 4, startsAt: "11:25", endsAt: "12:10", validFrom: "2026-11-01" };
    await createSlot(t.db, s.people.admin.actor, { assignmentId: a1.id, ...slot });
    await createSlot(t.db, s.people.admin.actor, { assignmentId: a2.id, ...slot });
    const mine = await timetable(t.db, s.guardians.petrovaMother.actor, {
      pupilId: s.pupils.petrov.id,
      weekOf: "2026-12-01",
    });
    expect(mine.days[1]?.lessons.map((l) => [l.lessonNumber, l.subgroup?.name ?? null])).toEqual([
      [1, null],
      [2, null],
      [4, "1 группа"],
    ]);
    await expect(
      timetable(t.db, s.guardians.petrovaMother.actor, {
        pupilId: s.pupils.sidorova.id,
        weekOf: "2026-12-01",
      }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      timetable(t.db, s.guardians.petrovaMother.actor, {
        classId: s.classes.class1.id,
        weekOf: "2026-12-01",
      }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      timetable(t.db, s.guardians.petrovaMother.actor, { teacherId: s.people.math.id, weekOf: "2026-12-01" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("slots", () => {
  const odnknr = { weekday: 1, lessonNumber: 1, startsAt: "08:30", endsAt: "09:15", validFrom: "2026-09-01" };
  it("refuses a second lesson for the class at the same time", async () => {
    await expect(
      createSlot(t.db, s.people.admin.actor, { assignmentId: s.assignments.odnknr5.id, ...odnknr }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("У класса уже стоит урок: понедельник, 1-й урок"),
    });
  });
  it("refuses a teacher in two places at once, accepts a free time", async () => {
    const a = await createAssignment(t.db, s.people.admin.actor, {
      teacherId: s.people.primary.id,
      subjectId: s.subjects.odnknr.id,
      classId: s.classes.class5.id,
      hoursPerWeek: 1,
    });
    await expect(
      createSlot(t.db, s.people.admin.actor, {
        assignmentId: a.id,
        weekday: 1,
        lessonNumber: 3,
        startsAt: "08:30",
        endsAt: "09:15",
        validFrom: "2026-09-01",
      }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("в двух местах") });
    const ok = await createSlot(t.db, s.people.admin.actor, {
      assignmentId: a.id,
      weekday: 1,
      lessonNumber: 3,
      startsAt: "10:25",
      endsAt: "11:10",
      validFrom: "2026-09-01",
    });
    expect(ok.weekday).toBe(1);
  });
  it("a slot that ends frees its place for a new one", async () => {
    const wed3 = slotOf(s.assignments.odnknr5.id, 3);
    const replacing = { weekday: 3, lessonNumber: 3, startsAt: "10:25", endsAt: "11:10" };
    await expect(
      createSlot(t.db, s.people.admin.actor, {
        assignmentId: s.assignments.math5.id,
        ...replacing,
        validFrom: "2027-01-12",
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    const r = await endSlot(t.db, s.people.admin.actor, { slotId: wed3.id, validTo: "2026-12-31" });
    expect(r.slot.validTo?.toISOString().slice(0, 10)).toBe("2026-12-31");
    await createSlot(t.db, s.people.admin.actor, {
      assignmentId: s.assignments.math5.id,
      ...replacing,
      validFrom: "2027-01-12",
    });
  });
  it("two clashing slots created at once: exactly one is saved", async () => {
    const slot = { weekday: 5, lessonNumber: 6, startsAt: "13:20", endsAt: "14:05", validFrom: "2026-09-01" };
    const results = await Promise.allSettled(
      [s.assignments.math5.id, s.assignments.odnknr5.id].map((assignmentId) =>
        createSlot(t.db, s.people.admin.actor, { assignmentId, ...slot }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("validates weekday, number, times and dates", async () => {
    const a = s.assignments.math1.id;
    const bad = [
      { weekday: 7, lessonNumber: 5, startsAt: "12:00", endsAt: "12:45", validFrom: "2026-09-01" },
      { weekday: 1, lessonNumber: 11, startsAt: "12:00", endsAt: "12:45", validFrom: "2026-09-01" },
      { weekday: 1, lessonNumber: 5, startsAt: "12:45", endsAt: "12:00", validFrom: "2026-09-01" },
      {
        weekday: 1,
        lessonNumber: 5,
        startsAt: "12:00",
        endsAt: "12:45",
        validFrom: "2026-09-01",
        validTo: "2026-08-01",
      },
      { weekday: 6, lessonNumber: 5, startsAt: "12:00", endsAt: "12:45", validFrom: "2026-09-01" },
      { weekday: 1, lessonNumber: 5, startsAt: "12:00", endsAt: "12:45", validFrom: "2027-09-01" },
    ];
    for (const b of bad) {
      await expect(createSlot(t.db, s.people.admin.actor, { assignmentId: a, ...b })).rejects.toMatchObject({
        code: "validation",
      });
    }
    await expect(
      createSlot(t.db, s.people.math.actor, {
        assignmentId: a,
        weekday: 1,
        lessonNumber: 5,
        startsAt: "12:00",
        endsAt: "12:45",
        validFrom: "2026-09-01",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createSlot(t.db, other.people.admin.actor, {
        assignmentId: a,
        weekday: 1,
        lessonNumber: 5,
        startsAt: "12:00",
        endsAt: "12:45",
        validFrom: "2026-09-01",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
  it("ending a slot removes its blank future lessons and keeps filled ones", async () => {
    const thu = slotOf(s.assignments.russian5.id, 4);
    await generateLessons(t.db, s.people.admin.actor, {
      from: "2026-12-03",
      to: "2026-12-03",
      classId: s.classes.class5.id,
    });
    const filled = await t.db.lesson.findFirstOrThrow({ where: { slotId: thu.id, date: d("2026-11-26") } });
    await t.db.lesson.update({ where: { id: filled.id }, data: { homework: "Упр. 5" } });
    const r = await endSlot(t.db, s.people.admin.actor, { slotId: thu.id, validTo: "2026-11-24" });
    expect([r.removedLessons, r.keptLessons]).toEqual([1, 1]);
    expect(await t.db.lesson.count({ where: { slotId: thu.id } })).toBe(1); // 26.11 kept, 03.12 removed
  });
  it("updating bell times moves the slot's future lessons", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-25T09:00:00+03:00"));
    const fri = slotOf(s.assignments.math5.id, 5);
    await updateSlot(t.db, s.people.deputy.actor, { slotId: fri.id, startsAt: "08:00", endsAt: "08:45" });
    const l = await t.db.lesson.findFirstOrThrow({ where: { slotId: fri.id, date: d("2026-11-27") } });
    expect([l.startsAt, l.endsAt]).toEqual(["08:00", "08:45"]);
    await expect(
      updateSlot(t.db, s.people.deputy.actor, { slotId: fri.id, startsAt: "09:00" }),
    ).rejects.toMatchObject({ code: "validation" });
    const listed = await listSlots(t.db, s.people.math.actor, {
      classId: s.classes.class5.id,
      date: "2026-11-27",
    });
    expect(listed.find((x) => x.id === fri.id)?.startsAt).toBe("08:00");
    await expect(listSlots(t.db, s.pupils.petrov.actor, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});
