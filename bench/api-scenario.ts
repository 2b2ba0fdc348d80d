import { hash, verify } from "@node-rs/argon2";
import type { Db } from "../src/db/client.js";

export interface Scenario {
  schoolId: number;
  teacherLogin: string;
  guardianLogin: string;
  password: string;
  gridClassId: number;
  gridSubjectId: number;
  periodId: number;
  diaryPupilId: number;
  postClassId: number;
}

// The seed's password for every login it creates (prisma/seed/demo.ts).
const PASSWORD = "demo-password";
const BENCH_CLASS = { grade: 11, letter: "Я" };
const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/**
 * Picks the benchmark's actors in the large seed school: the teacher of the biggest class's
 * first subject, a guardian of one of its pupils. Marks are posted into a separate bench class
 * («11Я», 30 pupils, blank lessons) that `dropBenchClass` removes afterwards, so the seed's
 * journal stays as it was (audit rows stay: the audit log is append-only).
 */
export async function findSeedScenario(db: Db, schoolId: number, today: string): Promise<Scenario> {
  const period = await db.period.findFirstOrThrow({
    where: {
      year: { schoolId },
      kind: { not: "YEAR" },
      startDate: { lte: d(today) },
      endDate: { gte: d(today) },
    },
  });
  const assignment = await db.teachingAssignment.findFirstOrThrow({
    where: {
      yearId: period.yearId,
      subgroupId: null,
      // Not the bench's own class, which an interrupted run may have left behind.
      class: {
        enrolments: { some: { leftOn: null } },
        NOT: { grade: BENCH_CLASS.grade, letter: BENCH_CLASS.letter },
      },
    },
    orderBy: { class: { enrolments: { _count: "desc" } } },
  });
  const link = await db.guardianLink.findFirstOrThrow({
    where: { pupil: { enrolments: { some: { classId: assignment.classId, leftOn: null } } } },
  });
  // The seed's own logins and password are used where they exist; a guardian without a login
  // gets a bench login.
  const passwordHash = await hash(PASSWORD);
  const loginOf = async (personId: number, prefix: string) => {
    const p = await db.person.findUniqueOrThrow({ where: { id: personId } });
    if (p.login && p.passwordHash && (await verify(p.passwordHash, PASSWORD).catch(() => false)))
      return p.login;
    const login = p.login ?? `${prefix}-${personId}`;
    if (!p.login || !p.passwordHash)
      await db.person.update({ where: { id: personId }, data: { login, passwordHash } });
    else throw new Error(`у ${login} другой пароль, чем у сида (${PASSWORD})`);
    return login;
  };
  const teacherLogin = await loginOf(assignment.teacherId, "bench-teacher");
  const guardianLogin = await loginOf(link.guardianId, "bench-guardian");

  // A bench class left by an interrupted run may have used up its blank lessons: start afresh.
  const left = await db.class.findFirst({ where: { yearId: period.yearId, ...BENCH_CLASS } });
  if (left) await dropBenchClass(db, left.id);
  const post = await db.class.create({ data: { yearId: period.yearId, ...BENCH_CLASS } });
  for (let i = 0; i < 30; i++) {
    await db.person.create({
      data: {
        schoolId,
        lastName: "Бенчмарков",
        firstName: `Ученик${"абвгдежзиклмнопрстуфхцчшщэюяё".charAt(i)}`,
        roles: { create: [{ role: "PUPIL" }] },
        enrolments: { create: [{ classId: post.id, joinedOn: d("2000-01-01") }] },
      },
    });
  }
  const year = await db.academicYear.findUniqueOrThrow({ where: { id: period.yearId } });
  const subjects = await db.subject.findMany({ where: { schoolId }, take: 3, orderBy: { id: "asc" } });
  // Blank lessons 1–16 of three subjects on each day since the year began: enough for the runs.
  for (const subject of subjects) {
    const a = await db.teachingAssignment.create({
      data: { yearId: year.id, classId: post.id, subjectId: subject.id, teacherId: assignment.teacherId },
    });
    const data = [];
    for (let t = year.startDate.getTime(); t <= d(today).getTime(); t += 86_400_000) {
      for (let n = 1; n <= 16; n++) {
        data.push({
          assignmentId: a.id,
          classId: post.id,
          subjectId: a.subjectId,
          teacherId: a.teacherId,
          date: new Date(t),
          lessonNumber: n,
          startsAt: "08:30",
          endsAt: "09:15",
        });
      }
    }
    await db.lesson.createMany({ data });
  }
  return {
    schoolId,
    teacherLogin,
    guardianLogin,
    password: PASSWORD,
    gridClassId: assignment.classId,
    gridSubjectId: assignment.subjectId,
    periodId: period.id,
    diaryPupilId: link.pupilId,
    postClassId: post.id,
  };
}

/**
 * Removes the bench class with its pupils, lessons and marks, and the unpublished events its
 * marks raised (the audit rows stay: the audit log is append-only).
 */
export async function dropBenchClass(db: Db, classId: number) {
  const pupils = await db.enrolment.findMany({ where: { classId }, select: { pupilId: true } });
  await db.$executeRaw`
    DELETE FROM "Outbox" WHERE type = 'mark.posted' AND "publishedAt" IS NULL
      AND (payload->>'lessonId')::int IN (SELECT id FROM "Lesson" WHERE "classId" = ${classId}::int)`;
  await db.class.delete({ where: { id: classId } });
  await db.person.deleteMany({ where: { id: { in: pupils.map((p) => p.pupilId) }, lastName: "Бенчмарков" } });
}
