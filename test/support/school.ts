import type { Db } from "../../src/db/client.js";
import type { Role } from "../../src/generated/prisma/enums.js";
import type { Actor } from "../../src/journal/actor.js";

/**
 * A small fixed school for integration tests, written straight through Prisma so that every
 * test starts from known rows. Dates are real calendar dates of the 2026/2027 year; tests that
 * depend on "today" fake the clock (vi.setSystemTime).
 */
export const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

export async function buildSchool(db: Db, name = "МБОУ «Школа № 1»") {
  const school = await db.school.create({ data: { name, timeZone: "Europe/Moscow", fillDeadline: "18:00" } });
  const year = await db.academicYear.create({
    data: { schoolId: school.id, name: "2026/2027", startDate: d("2026-09-01"), endDate: d("2027-05-31") },
  });
  const quarters = [
    ["2026-09-01", "2026-10-25"],
    ["2026-11-05", "2026-12-28"],
    ["2027-01-12", "2027-03-21"],
    ["2027-03-31", "2027-05-31"],
  ] as const;
  const periods = [];
  for (const [i, [from, to]] of quarters.entries()) {
    periods.push(
      await db.period.create({
        data: {
          yearId: year.id,
          kind: "QUARTER",
          number: i + 1,
          name: `${i + 1} четверть`,
          startDate: d(from),
          endDate: d(to),
        },
      }),
    );
  }
  const yearPeriod = await db.period.create({
    data: {
      yearId: year.id,
      kind: "YEAR",
      number: 1,
      name: "Год",
      startDate: year.startDate,
      endDate: year.endDate,
    },
  });
  await db.holiday.createMany({
    data: [
      { schoolId: school.id, fromDate: d("2026-10-26"), toDate: d("2026-11-04"), name: "Осенние каникулы" },
      { schoolId: school.id, fromDate: d("2026-12-29"), toDate: d("2027-01-11"), name: "Зимние каникулы" },
    ],
  });

  const person = async (
    lastName: string,
    firstName: string,
    middleName: string | null,
    roles: Role[],
    extra: { login?: string; email?: string } = {},
  ) => {
    const p = await db.person.create({
      data: {
        schoolId: school.id,
        lastName,
        firstName,
        middleName,
        login: extra.login ? `${extra.login}@${school.id}` : null,
        email: extra.email ?? null,
        roles: { create: roles.map((role) => ({ role })) },
      },
    });
    const actor: Actor = { personId: p.id, schoolId: school.id, roles };
    return { ...p, actor };
  };

  const admin = await person("Администраторова", "Галина", "Петровна", ["ADMIN"], { login: "admin" });
  const director = await person("Директоров", "Игорь", "Викторович", ["DIRECTOR"], { login: "director" });
  const deputy = await person("Завучева", "Ольга", "Петровна", ["DEPUTY", "TEACHER"], { login: "deputy" });
  const math = await person("Кузнецова", "Анна", "Сергеевна", ["TEACHER"], { login: "math" });
  const russian = await person("Морозов", "Павел", "Ильич", ["TEACHER"], { login: "russian" });
  const primary = await person("Лебедева", "Светлана", "Юрьевна", ["TEACHER"], { login: "primary" });
  const substitute = await person("Новиков", "Олег", "Андреевич", ["TEACHER"], { login: "sub" });

  const class5 = await db.class.create({
    data: { yearId: year.id, grade: 5, letter: "А", classTeacherId: russian.id },
  });
  const class1 = await db.class.create({
    data: { yearId: year.id, grade: 1, letter: "А", classTeacherId: primary.id },
  });

  const pupil = async (lastName: string, firstName: string, classId: number) => {
    const p = await person(lastName, firstName, null, ["PUPIL"]);
    await db.enrolment.create({
      data: { pupilId: p.id, classId, joinedOn: d("2026-09-01"), joinOrder: "№ 12-у" },
    });
    return p;
  };
  const ivanov = await pupil("Иванов", "Иван", class5.id);
  const ivanova = await pupil("Иванова", "Мария", class5.id);
  const petrov = await pupil("Петров", "Пётр", class5.id);
  const sidorova = await pupil("Сидорова", "Анна", class5.id);
  const smirnov = await pupil("Смирнов", "Алексей", class5.id);
  const kozlov = await pupil("Козлов", "Дмитрий", class1.id);
  const orlova = await pupil("Орлова", "Полина", class1.id);

  const guardian = async (lastName: string, firstName: string, middleName: string, wards: number[]) => {
    const g = await person(lastName, firstName, middleName, ["GUARDIAN"], {
      email: `${wards[0]}@parents.test`,
    });
    await db.guardianLink.createMany({ data: wards.map((pupilId) => ({ guardianId: g.id, pupilId })) });
    return g;
  };
  const ivanovaMother = await guardian("Иванова", "Елена", "Викторовна", [ivanov.id, ivanova.id]);
  const petrovaMother = await guardian("Петрова", "Ольга", "Ивановна", [petrov.id]);
  const sidorovFather = await guardian("Сидоров", "Андрей", "Николаевич", [sidorova.id]);
  const kozlovaMother = await guardian("Козлова", "Ирина", "Олеговна", [kozlov.id]);

  const subject = (name: string, graded = true, doubleMarks = false) =>
    db.subject.create({ data: { schoolId: school.id, name, graded, doubleMarks } });
  const subjects = {
    math: await subject("Математика"),
    russian: await subject("Русский язык", true, true),
    odnknr: await subject("ОДНКНР", false),
    literacy: await subject("Обучение грамоте"),
  };
  const form = (name: string, weight: number, isControlWork = false, isWritten = false) =>
    db.controlForm.create({ data: { schoolId: school.id, name, weight, isControlWork, isWritten } });
  const forms = {
    oral: await form("Ответ на уроке", 1),
    independent: await form("Самостоятельная работа", 2, false, true),
    control: await form("Контрольная работа", 3, true, true),
    dictation: await form("Диктант", 2, true, true),
  };

  const assignment = (teacherId: number, subjectId: number, classId: number, hoursPerWeek: number) =>
    db.teachingAssignment.create({ data: { yearId: year.id, teacherId, subjectId, classId, hoursPerWeek } });
  const assignments = {
    math5: await assignment(math.id, subjects.math.id, class5.id, 5),
    russian5: await assignment(russian.id, subjects.russian.id, class5.id, 5),
    odnknr5: await assignment(russian.id, subjects.odnknr.id, class5.id, 1),
    math1: await assignment(primary.id, subjects.math.id, class1.id, 4),
    literacy1: await assignment(primary.id, subjects.literacy.id, class1.id, 4),
  };

  const times = [
    ["08:30", "09:15"],
    ["09:25", "10:10"],
    ["10:25", "11:10"],
    ["11:25", "12:10"],
  ] as const;
  // Mon–Fri: math first, russian second in 5А; primary lessons in 1А.
  const slotPlan: [typeof assignments.math5, number, number][] = [];
  for (const weekday of [1, 2, 3, 4, 5]) {
    slotPlan.push([assignments.math5, weekday, 1], [assignments.russian5, weekday, 2]);
    slotPlan.push([assignments.math1, weekday, 1], [assignments.literacy1, weekday, 2]);
  }
  slotPlan.push([assignments.odnknr5, 3, 3]);
  const slots = [];
  for (const [a, weekday, n] of slotPlan) {
    const [startsAt, endsAt] = times[n - 1]!;
    slots.push(
      await db.timetableSlot.create({
        data: {
          assignmentId: a.id,
          weekday,
          lessonNumber: n,
          startsAt,
          endsAt,
          room: `${200 + n}`,
          validFrom: year.startDate,
        },
      }),
    );
  }

  /** Creates the lesson of an assignment on a date as the timetable gives it. */
  const lesson = async (a: typeof assignments.math5, date: string, lessonNumber = 1) => {
    const [startsAt, endsAt] = times[lessonNumber - 1]!;
    return db.lesson.create({
      data: {
        assignmentId: a.id,
        classId: a.classId,
        subjectId: a.subjectId,
        subgroupId: a.subgroupId,
        teacherId: a.teacherId,
        date: d(date),
        lessonNumber,
        startsAt,
        endsAt,
      },
    });
  };

  return {
    school,
    year,
    periods,
    yearPeriod,
    people: { admin, director, deputy, math, russian, primary, substitute },
    classes: { class5, class1 },
    pupils: { ivanov, ivanova, petrov, sidorova, smirnov, kozlov, orlova },
    guardians: { ivanovaMother, petrovaMother, sidorovFather, kozlovaMother },
    subjects,
    forms,
    assignments,
    slots,
    lesson,
  };
}
export type SchoolFixture = Awaited<ReturnType<typeof buildSchool>>;
