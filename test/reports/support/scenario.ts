import type { Db } from "../../../src/db/client.js";
import { buildSchool, d } from "../../support/school.js";

/**
 * The small school plus a fortnight of 5А mathematics in the 2nd quarter, a few absences and
 * guardian activity: every number the report tests expect is computed by hand from this.
 * "Now" is Tuesday 2026-11-24 09:00 Moscow time (the lesson of that day is not overdue yet).
 */
export const NOW = new Date("2026-11-24T09:00:00+03:00");

export async function buildScenario(db: Db) {
  const s = await buildSchool(db);
  const { ivanov, ivanova, petrov, sidorova, smirnov } = s.pupils;
  const math = s.people.math.id;
  const a = s.assignments.math5;
  const lesson = async (date: string, data: Record<string, unknown>) => {
    const l = await s.lesson(a, date);
    return db.lesson.update({ where: { id: l.id }, data });
  };
  const done = { attendanceAt: new Date(`${"2026-11-16"}T06:00:00Z`) };
  const l1 = await lesson("2026-11-16", { topic: "Дроби", homework: "§1", ...done });
  const l2 = await lesson("2026-11-17", { topic: "Сложение дробей", homeworkNone: true, ...done });
  const l3 = await lesson("2026-11-18", {
    topic: "К.р. № 1",
    homework: "№ 5",
    controlFormId: s.forms.control.id,
    ...done,
  });
  const l4 = await lesson("2026-11-19", {});
  const l5 = await lesson("2026-11-20", { topic: "Вычитание дробей", homework: "§2", ...done });
  const l6 = await lesson("2026-11-23", { topic: "Умножение дробей", homework: "§3", ...done });
  const l7 = await lesson("2026-11-24", {});
  const q1 = await lesson("2026-10-05", { topic: "Повторение", homework: "№ 1", ...done });
  const russian = await s.lesson(s.assignments.russian5, "2026-11-16", 2);

  const mark = (lessonId: number, pupilId: number, value: string, weight = 1) =>
    db.mark.create({ data: { lessonId, pupilId, value, weight, authorId: math } });
  await mark(l1.id, ivanov.id, "5");
  await mark(l1.id, ivanova.id, "2");
  await mark(l1.id, sidorova.id, "2");
  await mark(l2.id, ivanov.id, "4");
  await mark(l3.id, ivanov.id, "5", 3);
  await mark(l3.id, ivanova.id, "3", 3);
  await mark(l3.id, smirnov.id, "4", 3);

  const absent = (lessonId: number, pupilId: number, reason: "EXCUSED" | "ILLNESS" | "UNEXCUSED" | null) =>
    db.attendance.create({ data: { lessonId, pupilId, kind: "ABSENT", reason, markedById: math } });
  await absent(l1.id, petrov.id, "ILLNESS");
  await absent(russian.id, petrov.id, "ILLNESS");
  await absent(l3.id, sidorova.id, "UNEXCUSED");
  await absent(l5.id, petrov.id, null);
  await absent(q1.id, petrov.id, "EXCUSED");
  await db.attendance.create({
    data: { lessonId: l6.id, pupilId: smirnov.id, kind: "LATE", markedById: math },
  });

  // КТП: 13 one-hour topics planned on school days from 9 to 25 November.
  const planned = ["09", "10", "11", "12", "13", "16", "17", "18", "19", "20", "23", "24", "25"];
  await db.topicPlanItem.createMany({
    data: planned.map((day, i) => ({
      assignmentId: a.id,
      number: i + 1,
      topic: `Тема ${i + 1}`,
      plannedDate: d(`2026-11-${day}`),
    })),
  });

  // Period marks for the summary sheet.
  const pm = (pupilId: number, subjectId: number, periodId: number, kind: "PERIOD" | "YEAR", value: string) =>
    db.periodMark.create({ data: { pupilId, subjectId, periodId, kind, value, authorId: math } });
  for (const [i, v] of ["5", "5", "4", "5"].entries()) {
    await pm(ivanov.id, s.subjects.math.id, s.periods[i]!.id, "PERIOD", v);
    await pm(ivanov.id, s.subjects.russian.id, s.periods[i]!.id, "PERIOD", "4");
  }
  await pm(ivanov.id, s.subjects.math.id, s.yearPeriod.id, "YEAR", "5");
  await pm(ivanov.id, s.subjects.russian.id, s.yearPeriod.id, "YEAR", "4");
  await pm(petrov.id, s.subjects.math.id, s.yearPeriod.id, "YEAR", "2");
  await pm(petrov.id, s.subjects.russian.id, s.yearPeriod.id, "YEAR", "3");

  // Guardians: Иванова Е. linked and acknowledged, Петрова О. unlinked but read the message.
  const { ivanovaMother, petrovaMother, sidorovFather } = s.guardians;
  await db.chatLink.create({ data: { personId: ivanovaMother.id, chatId: 1001n } });
  await db.chatLink.create({
    data: { personId: petrovaMother.id, chatId: 1002n, active: false, inactiveWhy: "blocked" },
  });
  const message = await db.message.create({
    data: {
      schoolId: s.school.id,
      authorId: s.people.russian.id,
      kind: "CLASS",
      classId: s.classes.class5.id,
      body: "Родительское собрание в четверг",
      needsAck: true,
      createdAt: new Date("2026-11-19T10:00:00Z"),
    },
  });
  await db.messageRecipient.createMany({
    data: [
      { messageId: message.id, personId: ivanovaMother.id, acknowledgedAt: new Date("2026-11-20T10:00:00Z") },
      { messageId: message.id, personId: petrovaMother.id, readAt: new Date("2026-11-20T11:00:00Z") },
      { messageId: message.id, personId: sidorovFather.id },
    ],
  });
  return { ...s, mathLessons: { l1, l2, l3, l4, l5, l6, l7, q1 } };
}
export type Scenario = Awaited<ReturnType<typeof buildScenario>>;
