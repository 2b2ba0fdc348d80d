import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssignment, deleteAssignment, listAssignments } from "../../src/journal/teaching.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "Гимназия № 3");
});
afterAll(() => t.drop());

describe("teaching load", () => {
  it("deputy assigns a teacher to a subject and class; duplicates and strangers are refused", async () => {
    const a = await createAssignment(t.db, s.people.deputy.actor, {
      teacherId: s.people.substitute.id,
      subjectId: s.subjects.odnknr.id,
      classId: s.classes.class1.id,
      hoursPerWeek: 1,
    });
    expect(a.yearId).toBe(s.year.id);
    await expect(
      createAssignment(t.db, s.people.deputy.actor, {
        teacherId: s.people.substitute.id,
        subjectId: s.subjects.odnknr.id,
        classId: s.classes.class1.id,
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      createAssignment(t.db, s.people.math.actor, {
        teacherId: s.people.math.id,
        subjectId: s.subjects.odnknr.id,
        classId: s.classes.class1.id,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createAssignment(t.db, s.people.deputy.actor, {
        teacherId: s.pupils.ivanov.id,
        subjectId: s.subjects.math.id,
        classId: s.classes.class1.id,
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(
      createAssignment(t.db, s.people.deputy.actor, {
        teacherId: s.people.math.id,
        subjectId: other.subjects.math.id,
        classId: s.classes.class1.id,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("a subgroup load must use a subgroup of the same class", async () => {
    const sg = await t.db.subgroup.create({ data: { classId: s.classes.class5.id, name: "Англ. 1" } });
    const sg1 = await t.db.subgroup.create({ data: { classId: s.classes.class1.id, name: "Англ. 1" } });
    await expect(
      createAssignment(t.db, s.people.admin.actor, {
        teacherId: s.people.math.id,
        subjectId: s.subjects.math.id,
        classId: s.classes.class5.id,
        subgroupId: sg1.id,
      }),
    ).rejects.toMatchObject({ code: "validation" });
    const a = await createAssignment(t.db, s.people.admin.actor, {
      teacherId: s.people.math.id,
      subjectId: s.subjects.math.id,
      classId: s.classes.class5.id,
      subgroupId: sg.id,
    });
    expect(a.subgroupId).toBe(sg.id);
  });

  it("lists for staff only, within the school", async () => {
    const mine = await listAssignments(t.db, s.people.primary.actor, { teacherId: s.people.primary.id });
    expect(mine.map((a) => a.subject.name).sort()).toEqual(["Математика", "Обучение грамоте"]);
    expect(await listAssignments(t.db, other.people.admin.actor, { classId: s.classes.class5.id })).toEqual(
      [],
    );
    await expect(listAssignments(t.db, s.guardians.petrovaMother.actor)).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("deletes an empty load with its blank lessons; refuses one whose journal is filled", async () => {
    const a = await createAssignment(t.db, s.people.admin.actor, {
      teacherId: s.people.russian.id,
      subjectId: s.subjects.literacy.id,
      classId: s.classes.class1.id,
    });
    await s.lesson(a as typeof s.assignments.math5, "2026-11-24", 3);
    await deleteAssignment(t.db, s.people.admin.actor, { assignmentId: a.id });
    expect(await t.db.teachingAssignment.findUnique({ where: { id: a.id } })).toBeNull();

    // Attendance taken with everyone present leaves only attendanceAt: the lesson still counts as filled.
    const b = await createAssignment(t.db, s.people.admin.actor, {
      teacherId: s.people.substitute.id,
      subjectId: s.subjects.literacy.id,
      classId: s.classes.class1.id,
    });
    const taken = await s.lesson(b as typeof s.assignments.math5, "2026-11-24", 4);
    await t.db.lesson.update({ where: { id: taken.id }, data: { attendanceAt: new Date() } });
    await expect(deleteAssignment(t.db, s.people.admin.actor, { assignmentId: b.id })).rejects.toMatchObject({
      code: "conflict",
    });

    const l = await s.lesson(s.assignments.math5, "2026-11-24");
    await t.db.lesson.update({ where: { id: l.id }, data: { topic: "Дроби" } });
    await expect(
      deleteAssignment(t.db, s.people.admin.actor, { assignmentId: s.assignments.math5.id }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(
      deleteAssignment(t.db, s.people.math.actor, { assignmentId: s.assignments.math5.id }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
