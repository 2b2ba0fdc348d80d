import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  classPupils,
  createClass,
  createControlForm,
  createPerson,
  createSubgroup,
  createSubject,
  enrolPupil,
  getPerson,
  leavePupil,
  linkGuardian,
  listClasses,
  listControlForms,
  listSubjects,
  searchPeople,
  setRoles,
  setSubgroupMembers,
  transferPupil,
  unlinkGuardian,
  updateClass,
} from "../../src/journal/roster.js";
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
afterEach(() => vi.useRealTimers());

const today = (iso: string) => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(`${iso}T09:00:00+03:00`));
};
const names = (rows: { lastName: string }[]) => rows.map((r) => r.lastName);

describe("classes and subgroups", () => {
  it("the administration creates a class and appoints its class teacher; a teacher may not", async () => {
    const c = await createClass(t.db, s.people.deputy.actor, { yearId: s.year.id, grade: 5, letter: "Б" });
    await expect(
      createClass(t.db, s.people.math.actor, { yearId: s.year.id, grade: 6, letter: "А" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createClass(t.db, s.people.admin.actor, { yearId: s.year.id, grade: 5, letter: "Б" }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      createClass(t.db, s.people.admin.actor, { yearId: s.year.id, grade: 5, letter: "b" }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(
      updateClass(t.db, s.people.admin.actor, { classId: c.id, classTeacherId: s.pupils.ivanov.id }),
    ).rejects.toMatchObject({ code: "validation", message: expect.stringContaining("роли «учитель»") });
    await updateClass(t.db, s.people.admin.actor, { classId: c.id, classTeacherId: s.people.math.id });
    const list = await listClasses(t.db, s.people.math.actor);
    expect(list.map((x) => x.name)).toEqual(["1А", "5А", "5Б"]);
    expect(list[2]?.classTeacher?.lastName).toBe("Кузнецова");
    await expect(
      updateClass(t.db, other.people.admin.actor, { classId: c.id, letter: "В" }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("subgroups hold only pupils of their class", async () => {
    const sg = await createSubgroup(t.db, s.people.russian.actor, {
      classId: s.classes.class5.id,
      name: "Группа 1",
    });
    await expect(
      createSubgroup(t.db, s.people.math.actor, { classId: s.classes.class5.id, name: "Группа 2" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      setSubgroupMembers(t.db, s.people.russian.actor, {
        subgroupId: sg.id,
        pupilIds: [s.pupils.ivanov.id, s.pupils.kozlov.id],
      }),
    ).rejects.toMatchObject({ code: "validation", details: { pupilIds: [s.pupils.kozlov.id] } });
    await setSubgroupMembers(t.db, s.people.russian.actor, {
      subgroupId: sg.id,
      pupilIds: [s.pupils.ivanov.id, s.pupils.petrov.id],
      date: "2026-11-24",
    });
    const list = await classPupils(t.db, s.people.russian.actor, {
      classId: s.classes.class5.id,
      date: "2026-11-24",
    });
    expect(list.find((p) => p.id === s.pupils.ivanov.id)?.subgroupIds).toEqual([sg.id]);
  });
});

describe("subjects and control forms (002 §5.1)", () => {
  it("refuses a lowercase subject name with the fix, accepts the capitalised one", async () => {
    await expect(createSubject(t.db, s.people.admin.actor, { name: "физика" })).rejects.toMatchObject({
      code: "validation",
      message: expect.stringContaining("«Физика»"),
    });
    const subj = await createSubject(t.db, s.people.admin.actor, { name: "Физика" });
    expect(subj).toMatchObject({ graded: true, doubleMarks: false });
    await expect(createSubject(t.db, s.people.admin.actor, { name: "Физика" })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(createSubject(t.db, s.people.math.actor, { name: "Химия" })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await listSubjects(t.db, s.people.math.actor)).map((x) => x.name)).toContain("Физика");
    expect((await listSubjects(t.db, other.people.math.actor)).map((x) => x.id)).not.toContain(subj.id);
  });
  it("control forms have a weight from 1 to 10", async () => {
    await createControlForm(t.db, s.people.deputy.actor, { name: "Зачёт", weight: 3 });
    await expect(
      createControlForm(t.db, s.people.deputy.actor, { name: "Экзамен", weight: 0 }),
    ).rejects.toMatchObject({
      code: "validation",
    });
    await expect(
      createControlForm(t.db, s.people.math.actor, { name: "Экзамен", weight: 4 }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    const forms = await listControlForms(t.db, s.people.math.actor);
    expect(forms.find((f) => f.name === "Зачёт")?.weight).toBe(3);
  });
});

describe("people (002 §5.3)", () => {
  it("the admin creates staff; a class teacher may not", async () => {
    const p = await createPerson(t.db, s.people.admin.actor, {
      lastName: "Соколова",
      firstName: "Нина",
      roles: ["TEACHER"],
    });
    expect(p.roles).toEqual(["TEACHER"]);
    await expect(
      createPerson(t.db, s.people.russian.actor, {
        lastName: "Соколов",
        firstName: "Юрий",
        roles: ["TEACHER"],
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("a class teacher creates a pupil of their class (enrolled) and a guardian linked to them", async () => {
    today("2026-11-24");
    const pupil = await createPerson(t.db, s.people.russian.actor, {
      lastName: "Алексеев",
      firstName: "Глеб",
      birthDate: "2015-03-02",
      sex: "M",
      roles: ["PUPIL"],
      classId: s.classes.class5.id,
      joinOrder: "№ 40-у",
    });
    const g = await createPerson(t.db, s.people.russian.actor, {
      lastName: "Алексеева",
      firstName: "Вера",
      middleName: "Олеговна",
      phone: "+7 900 000-00-00",
      roles: ["GUARDIAN"],
      wardIds: [pupil.id],
    });
    const list = await classPupils(t.db, s.people.russian.actor, { classId: s.classes.class5.id });
    expect(names(list)[0]).toBe("Алексеев");
    expect(await t.db.guardianLink.count({ where: { guardianId: g.id, pupilId: pupil.id } })).toBe(1);
  });

  it("refuses: another class, a pupil with staff rights, a lowercase name, a guardian without a child", async () => {
    await expect(
      createPerson(t.db, s.people.primary.actor, {
        lastName: "Белов",
        firstName: "Иван",
        roles: ["PUPIL"],
        classId: s.classes.class5.id,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createPerson(t.db, s.people.admin.actor, {
        lastName: "Белов",
        firstName: "Иван",
        roles: ["PUPIL", "TEACHER"],
        classId: s.classes.class5.id,
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(
      createPerson(t.db, s.people.admin.actor, {
        lastName: "белов",
        firstName: "Иван",
        roles: ["PUPIL"],
        classId: s.classes.class5.id,
      }),
    ).rejects.toMatchObject({ code: "validation", details: { fields: { lastName: "с заглавной буквы" } } });
    await expect(
      createPerson(t.db, s.people.russian.actor, {
        lastName: "Белова",
        firstName: "Анна",
        roles: ["GUARDIAN"],
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await expect(
      createPerson(t.db, s.people.russian.actor, {
        lastName: "Белова",
        firstName: "Анна",
        roles: ["GUARDIAN"],
        wardIds: [s.pupils.kozlov.id],
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("setRoles is the admin's; the admin cannot drop their own ADMIN role", async () => {
    await setRoles(t.db, s.people.admin.actor, {
      personId: s.people.substitute.id,
      roles: ["TEACHER", "TUTOR"],
    });
    await expect(
      setRoles(t.db, s.people.deputy.actor, { personId: s.people.substitute.id, roles: ["ADMIN"] }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      setRoles(t.db, s.people.admin.actor, { personId: s.people.admin.id, roles: ["TEACHER"] }),
    ).rejects.toMatchObject({
      code: "validation",
    });
    const row = await t.db.auditLog.findFirstOrThrow({ where: { action: "person.roles" } });
    expect(row).toMatchObject({ before: ["TEACHER"], after: ["TEACHER", "TUTOR"] });
  });

  it("getPerson: who may see a pupil's card (002 §9.1.3)", async () => {
    expect((await getPerson(t.db, s.people.math.actor, { personId: s.pupils.petrov.id })).lastName).toBe(
      "Петров",
    );
    expect(
      (await getPerson(t.db, s.guardians.petrovaMother.actor, { personId: s.pupils.petrov.id })).lastName,
    ).toBe("Петров");
    await expect(
      getPerson(t.db, s.guardians.petrovaMother.actor, { personId: s.pupils.sidorova.id }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      getPerson(t.db, s.people.primary.actor, { personId: s.pupils.petrov.id }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      getPerson(t.db, other.people.admin.actor, { personId: s.pupils.petrov.id }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    const teacher = await getPerson(t.db, s.guardians.petrovaMother.actor, { personId: s.people.math.id });
    expect(teacher.login).toBeNull();
  });

  it("searchPeople: a teacher finds pupils of classes they teach, not others'", async () => {
    expect(names(await searchPeople(t.db, s.people.math.actor, { query: "Ив" }))).toEqual([
      "Иванов",
      "Иванова",
      "Иванова",
    ]);
    expect(names(await searchPeople(t.db, s.people.primary.actor, { query: "Ив" }))).toEqual([]);
    expect(names(await searchPeople(t.db, s.people.admin.actor, { query: "коз" }))).toEqual([
      "Козлов",
      "Козлова",
    ]);
    await expect(searchPeople(t.db, s.guardians.petrovaMother.actor, { query: "Ив" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("enrolment history (002 §5.36)", () => {
  it("transfer closes one stay and opens another on the same date; the lists follow the date", async () => {
    const { closed, opened } = await transferPupil(t.db, s.people.russian.actor, {
      pupilId: s.pupils.smirnov.id,
      toClassId: s.classes.class1.id,
      date: "2026-12-01",
      order: "№ 51-у",
    });
    expect(closed).toMatchObject({ leftReason: "TRANSFERRED", leftOrder: "№ 51-у" });
    expect(opened.joinedOn).toEqual(closed.leftOn);
    const before = await classPupils(t.db, s.people.admin.actor, {
      classId: s.classes.class5.id,
      date: "2026-11-30",
    });
    const after = await classPupils(t.db, s.people.admin.actor, {
      classId: s.classes.class5.id,
      date: "2026-12-01",
    });
    expect(names(before)).toContain("Смирнов");
    expect(names(after)).not.toContain("Смирнов");
    const in1 = await classPupils(t.db, s.people.primary.actor, {
      classId: s.classes.class1.id,
      date: "2026-12-01",
    });
    expect(names(in1)).toEqual(["Козлов", "Орлова", "Смирнов"]);
    expect(await t.db.auditLog.count({ where: { entity: "Enrolment" } })).toBe(2);
  });

  it("a pupil cannot be in two classes at once", async () => {
    await expect(
      enrolPupil(t.db, s.people.primary.actor, {
        pupilId: s.pupils.petrov.id,
        classId: s.classes.class1.id,
        joinedOn: "2026-12-01",
        order: "№ 1",
      }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("оформите перевод") });
  });

  it("two simultaneous enrolments of one pupil: exactly one wins", async () => {
    const p = await t.db.person.create({
      data: {
        schoolId: s.school.id,
        lastName: "Новенький",
        firstName: "Олег",
        roles: { create: [{ role: "PUPIL" }] },
      },
    });
    const results = await Promise.allSettled(
      [s.classes.class5.id, s.classes.class1.id].map((classId) =>
        enrolPupil(t.db, s.people.admin.actor, {
          pupilId: p.id,
          classId,
          joinedOn: "2026-11-24",
          order: "№ 70-у",
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await t.db.enrolment.count({ where: { pupilId: p.id } })).toBe(1);
  });

  it("leaving ends the stay; enrolling again afterwards is allowed", async () => {
    await expect(
      leavePupil(t.db, s.people.primary.actor, {
        pupilId: s.pupils.sidorova.id,
        date: "2026-12-10",
        order: "№ 60-у",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const left = await leavePupil(t.db, s.people.russian.actor, {
      pupilId: s.pupils.sidorova.id,
      date: "2026-12-10",
      order: "№ 60-у",
    });
    expect(left).toMatchObject({ leftReason: "LEFT", leftOrder: "№ 60-у" });
    await expect(
      leavePupil(t.db, s.people.admin.actor, {
        pupilId: s.pupils.sidorova.id,
        date: "2026-12-20",
        order: "№ 61-у",
      }),
    ).rejects.toMatchObject({ code: "validation" });
    await enrolPupil(t.db, s.people.admin.actor, {
      pupilId: s.pupils.sidorova.id,
      classId: s.classes.class5.id,
      joinedOn: "2027-01-12",
      order: "№ 3-у",
    });
    const jan = await classPupils(t.db, s.people.russian.actor, {
      classId: s.classes.class5.id,
      date: "2027-01-12",
    });
    const dec = await classPupils(t.db, s.people.russian.actor, {
      classId: s.classes.class5.id,
      date: "2026-12-20",
    });
    expect(names(jan)).toContain("Сидорова");
    expect(names(dec)).not.toContain("Сидорова");
  });

  it("a failed transfer leaves the first stay open (atomic)", async () => {
    // The target date is outside the class's year, so opening the new stay fails after closing the old.
    await expect(
      transferPupil(t.db, s.people.admin.actor, {
        pupilId: s.pupils.petrov.id,
        toClassId: s.classes.class1.id,
        date: "2027-06-15",
        order: "№ 9",
      }),
    ).rejects.toMatchObject({ code: "validation" });
    const rows = await t.db.enrolment.findMany({ where: { pupilId: s.pupils.petrov.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.leftOn).toBeNull();
  });

  it("classPupils is for the class's teachers and the administration", async () => {
    await expect(
      classPupils(t.db, s.people.primary.actor, { classId: s.classes.class5.id }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      classPupils(t.db, s.guardians.petrovaMother.actor, { classId: s.classes.class5.id }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      classPupils(t.db, other.people.admin.actor, { classId: s.classes.class5.id }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("guardians", () => {
  it("the class teacher links and unlinks a guardian; another class's teacher may not", async () => {
    await linkGuardian(t.db, s.people.russian.actor, {
      guardianId: s.guardians.petrovaMother.id,
      pupilId: s.pupils.ivanov.id,
      relation: "тётя",
    });
    await expect(
      linkGuardian(t.db, s.people.primary.actor, {
        guardianId: s.guardians.kozlovaMother.id,
        pupilId: s.pupils.ivanov.id,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      linkGuardian(t.db, s.people.russian.actor, {
        guardianId: s.people.math.id,
        pupilId: s.pupils.ivanov.id,
      }),
    ).rejects.toMatchObject({ code: "validation", message: expect.stringContaining("«родитель»") });
    await unlinkGuardian(t.db, s.people.russian.actor, {
      guardianId: s.guardians.petrovaMother.id,
      pupilId: s.pupils.ivanov.id,
    });
    await expect(
      unlinkGuardian(t.db, s.people.russian.actor, {
        guardianId: s.guardians.petrovaMother.id,
        pupilId: s.pupils.ivanov.id,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
