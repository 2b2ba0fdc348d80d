import { verify } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isHoliday, YEAR } from "../../prisma/seed/calendar.js";
import { CURRICULUM, FORMS, SUBJECTS, weeklyHours } from "../../prisma/seed/curriculum.js";
import { DEMO_CODES, DEMO_PASSWORD, seedDemo } from "../../prisma/seed/demo.js";
import { generateLargeSchool, LARGE_SCHOOL, seedLarge } from "../../prisma/seed/large.js";
import { periodMarks } from "../../prisma/seed/period-marks.js";
import { pupilsOf } from "../../prisma/seed/plan.js";
import { expectedRows } from "../../prisma/seed/write.js";
import { hashInviteCode, redeemInvite } from "../../src/journal/invites.js";
import { loadCalendar, lockEndsAt } from "../../src/journal/rules/calendar.js";
import { createTestDb, type TestDb } from "../support/db.js";

// The demo's "now": a Tuesday morning in Moscow, in the second quarter.
const NOW = new Date("2026-11-24T09:00:00+03:00");
const TODAY = "2026-11-24";

let t: TestDb;
let schoolId: number;

const count = async (sql: string, ...params: unknown[]) => {
  const rows = await t.db.$queryRawUnsafe<{ n: number }[]>(sql, ...params);
  return rows[0]!.n;
};

/** Lessons of one school: the joins every rule check below starts from. */
const LESSONS = `"Lesson" l JOIN "Class" c ON c.id = l."classId" JOIN "AcademicYear" y ON y.id = c."yearId"
  JOIN "Subject" s ON s.id = l."subjectId"`;

beforeAll(async () => {
  t = await createTestDb();
  const r = await seedDemo(t.url, { now: NOW });
  if (r.status !== "seeded") throw new Error("demo not seeded");
  schoolId = r.schoolId;
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

describe("demo seed", () => {
  it("creates the school, three classes of 12–20 pupils and 8–10 teachers", async () => {
    const school = await t.db.school.findUniqueOrThrow({ where: { id: schoolId } });
    expect(school).toMatchObject({ name: "МБОУ «Средняя школа № 7»", timeZone: "Europe/Moscow" });
    const classes = await t.db.class.findMany({
      where: { year: { schoolId } },
      select: { grade: true, letter: true, classTeacherId: true, _count: { select: { enrolments: true } } },
      orderBy: { grade: "asc" },
    });
    expect(classes.map((c) => `${c.grade}${c.letter}`)).toEqual(["1А", "5А", "7Б"]);
    for (const c of classes) {
      expect(c._count.enrolments).toBeGreaterThanOrEqual(12);
      expect(c._count.enrolments).toBeLessThanOrEqual(20);
      expect(c.classTeacherId).not.toBeNull();
    }
    const teachers = await t.db.personRole.count({ where: { role: "TEACHER", person: { schoolId } } });
    expect(teachers).toBeGreaterThanOrEqual(8);
    expect(teachers).toBeLessThanOrEqual(10);
  });

  it("gives pupils full names, sex and birth dates that match the grade", async () => {
    const rows = await t.db.$queryRawUnsafe<{ grade: number; born: number; missing: number }[]>(
      `SELECT c.grade, min(extract(year FROM p."birthDate"))::int AS born,
              count(*) FILTER (WHERE p."middleName" IS NULL OR p.sex IS NULL)::int AS missing
       FROM "Enrolment" e JOIN "Person" p ON p.id = e."pupilId" JOIN "Class" c ON c.id = e."classId"
       GROUP BY c.grade ORDER BY c.grade`,
    );
    expect(rows).toEqual([
      { grade: 1, born: 2019, missing: 0 },
      { grade: 5, born: 2015, missing: 0 },
      { grade: 7, born: 2013, missing: 0 },
    ]);
  });

  it("lets the demo staff sign in with demo-password and has the invite codes", async () => {
    for (const login of ["admin", "zavuch", "director", "ivanova.mv"]) {
      const p = await t.db.person.findUniqueOrThrow({ where: { login }, select: { passwordHash: true } });
      expect(await verify(p.passwordHash!, DEMO_PASSWORD)).toBe(true);
    }
    const deputy = await t.db.person.findUniqueOrThrow({
      where: { login: "zavuch" },
      include: { roles: true },
    });
    expect(deputy.roles.map((r) => r.role).sort()).toEqual(["DEPUTY", "TEACHER"]);
    for (const code of Object.values(DEMO_CODES)) {
      const invite = await t.db.inviteCode.findUniqueOrThrow({ where: { codeHash: hashInviteCode(code) } });
      expect(invite.usedAt).toBeNull();
      expect(invite.expiresAt.getTime() - NOW.getTime()).toBe(7 * 86_400_000);
    }
  });

  it("links the demo parent's Telegram chat by the printed code, with both children", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    try {
      const { person, children } = await redeemInvite(t.db, { code: DEMO_CODES.guardian, chatId: 555001 });
      expect(person.roles).toContain("GUARDIAN");
      expect(children.map((c) => c.className).sort()).toHaveLength(2);
      expect(new Set(children.map((c) => c.className)).size).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("gives every pupil a guardian, and some families have children in two classes", async () => {
    expect(
      await count(
        `SELECT count(*)::int AS n FROM "Enrolment" e
         WHERE NOT EXISTS (SELECT 1 FROM "GuardianLink" g WHERE g."pupilId" = e."pupilId")`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM (SELECT g."guardianId" FROM "GuardianLink" g
           JOIN "Enrolment" e ON e."pupilId" = g."pupilId" GROUP BY 1 HAVING count(DISTINCT e."classId") > 1) x`,
      ),
    ).toBeGreaterThanOrEqual(2);
  });

  it("puts no marks in grade 1 or in ungraded subjects, and no homework in grade 1", async () => {
    expect(
      await count(
        `SELECT count(*)::int AS n FROM "Mark" m JOIN ${LESSONS} ON l.id = m."lessonId" WHERE c.grade = 1`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM "Mark" m JOIN ${LESSONS} ON l.id = m."lessonId" WHERE NOT s.graded`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM ${LESSONS} WHERE c.grade = 1 AND (l.homework IS NOT NULL OR l."homeworkNone")`,
      ),
    ).toBe(0);
    // …while grade 1 and ОДНКНР still have their attendance and topics.
    expect(
      await count(`SELECT count(*)::int AS n FROM ${LESSONS} WHERE c.grade = 1 AND l.topic IS NOT NULL`),
    ).toBeGreaterThan(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM ${LESSONS} WHERE NOT s.graded AND l."attendanceAt" IS NOT NULL`,
      ),
    ).toBeGreaterThan(0);
  });

  it("writes every mark with its own lock deadline, as the journal fixes it when a mark is written", async () => {
    const cal = await loadCalendar(t.db, schoolId);
    const marks = await t.db.mark.findMany({ take: 200, orderBy: { id: "asc" } });
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.map((m) => m.lockAt?.toISOString())).toEqual(
      marks.map((m) => lockEndsAt(m.createdAt, cal).toISOString()),
    );
    expect(await count(`SELECT count(*)::int AS n FROM "Mark" WHERE "lockAt" IS NULL`)).toBe(0);
  });

  it("uses only 1–5, with double marks only for written works in Russian and literature", async () => {
    expect(
      await count(
        `SELECT count(*)::int AS n FROM "Mark" WHERE value NOT IN ('1','2','3','4','5')
           OR (value2 IS NOT NULL AND value2 NOT IN ('1','2','3','4','5'))`,
      ),
    ).toBe(0);
    const doubles = await t.db.$queryRawUnsafe<{ subject: string; form: string; n: number }[]>(
      `SELECT s.name AS subject, f.name AS form, count(*)::int AS n FROM "Mark" m
       JOIN ${LESSONS} ON l.id = m."lessonId" JOIN "ControlForm" f ON f.id = m."controlFormId"
       WHERE m.value2 IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(doubles.length).toBeGreaterThan(0);
    for (const d of doubles) {
      expect(["Русский язык", "Литература"]).toContain(d.subject);
      expect(["Диктант", "Сочинение"]).toContain(d.form);
    }
    // Each mark carries its form's weight, and most marks are 4 and 5.
    expect(
      await count(
        `SELECT count(*)::int AS n FROM "Mark" m JOIN "ControlForm" f ON f.id = m."controlFormId" WHERE m.weight <> f.weight`,
      ),
    ).toBe(0);
    const good = await count(
      `SELECT (100 * count(*) FILTER (WHERE value IN ('4','5')) / count(*))::int AS n FROM "Mark"`,
    );
    expect(good).toBeGreaterThan(60);
  });

  it("gives every pupil present at a control work a mark, at least one a month", async () => {
    const missing = await count(
      `SELECT count(*)::int AS n FROM ${LESSONS}
       JOIN "ControlForm" f ON f.id = l."controlFormId" AND f."isControlWork"
       JOIN "Enrolment" e ON e."classId" = l."classId" AND e."joinedOn" <= l.date
       WHERE (l."subgroupId" IS NULL OR EXISTS (SELECT 1 FROM "SubgroupMember" sm
               WHERE sm."subgroupId" = l."subgroupId" AND sm."pupilId" = e."pupilId"))
         AND NOT EXISTS (SELECT 1 FROM "Attendance" a WHERE a."lessonId" = l.id AND a."pupilId" = e."pupilId" AND a.kind = 'ABSENT')
         AND NOT EXISTS (SELECT 1 FROM "Mark" m WHERE m."lessonId" = l.id AND m."pupilId" = e."pupilId")`,
    );
    expect(missing).toBe(0);
    const months = await count(
      `SELECT count(DISTINCT to_char(l.date, 'YYYY-MM'))::int AS n FROM ${LESSONS}
       JOIN "ControlForm" f ON f.id = l."controlFormId" AND f."isControlWork" WHERE s.name = 'Математика'`,
    );
    expect(months).toBe(3); // September, October, November
  });

  it("leaves today's lessons for the teacher and fills the past ones", async () => {
    const today = await t.db.lesson.findMany({
      where: { date: new Date(`${TODAY}T00:00:00Z`), class: { year: { schoolId } } },
      include: { _count: { select: { marks: true, attendance: true } } },
    });
    expect(today.length).toBeGreaterThan(10);
    for (const l of today) {
      expect([l.topic, l.homework, l.attendanceAt, l._count.marks, l._count.attendance]).toEqual([
        null,
        null,
        null,
        0,
        0,
      ]);
    }
    const teacher = await t.db.person.findUniqueOrThrow({ where: { login: "ivanova.mv" } });
    expect(today.some((l) => l.teacherId === teacher.id)).toBe(true);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM ${LESSONS} WHERE l.date < $1::date AND (l.topic IS NULL OR l."attendanceAt" IS NULL)`,
        TODAY,
      ),
    ).toBe(0);
    // The rest of the current week is there (materialised), the week after is not.
    expect(await count(`SELECT count(*)::int AS n FROM "Lesson" WHERE date = '2026-11-27'`)).toBeGreaterThan(
      0,
    );
    expect(await count(`SELECT count(*)::int AS n FROM "Lesson" WHERE date > '2026-11-29'`)).toBe(0);
    // No lessons on holidays or weekends.
    expect(
      await count(`SELECT count(*)::int AS n FROM "Lesson" WHERE date BETWEEN '2026-10-26' AND '2026-11-04'`),
    ).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM "Lesson" WHERE extract(isodow FROM date) > 5`)).toBe(
      0,
    );
  });

  it("records absences with reasons, the last days' still waiting for the class teacher", async () => {
    const rows = await t.db.$queryRawUnsafe<{ kind: string; reason: string | null; n: number }[]>(
      `SELECT kind::text, reason::text, count(*)::int AS n FROM "Attendance" GROUP BY 1, 2`,
    );
    const n = (kind: string, reason: string | null) =>
      rows.find((r) => r.kind === kind && r.reason === reason)?.n ?? 0;
    expect(n("ABSENT", "ILLNESS")).toBeGreaterThan(0);
    expect(n("ABSENT", "EXCUSED")).toBeGreaterThan(0);
    expect(n("ABSENT", null)).toBeGreaterThan(0);
    expect(rows.filter((r) => r.kind === "LATE" && r.reason !== null)).toEqual([]);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM "Mark" m JOIN "Attendance" a USING ("lessonId", "pupilId") WHERE a.kind = 'ABSENT'`,
      ),
    ).toBe(0);
    expect(await t.db.absenceNotice.count()).toBe(1);
  });

  it("keeps the history of corrected marks with listed reasons and authors", async () => {
    const history = await t.db.markHistory.findMany({
      include: { author: { include: { roles: true } }, mark: true },
    });
    const corrections = history.filter((h) => h.change !== "EDIT");
    expect(corrections.length).toBeGreaterThanOrEqual(3);
    for (const h of corrections) {
      expect(h.author.roles.map((r) => r.role)).toContain("DEPUTY");
      expect(h.note).toBeTruthy();
      expect(h.mark.value).toBe(h.newValue);
    }
    for (const h of history.filter((x) => x.change === "EDIT")) expect(h.authorId).toBe(h.mark.authorId);
  });

  it("has first-quarter marks, a topic plan and a class message with acknowledgements", async () => {
    const q1 = await t.db.period.findFirstOrThrow({
      where: { kind: "QUARTER", number: 1, year: { schoolId } },
    });
    expect(q1.publishedAt).not.toBeNull();
    const periodMarks = await t.db.periodMark.findMany({ where: { periodId: q1.id } });
    expect(periodMarks.length).toBeGreaterThan(100);
    expect(periodMarks.every((m) => ["2", "3", "4", "5"].includes(m.value))).toBe(true);
    expect(await t.db.lesson.count({ where: { plannedTopicId: { not: null } } })).toBeGreaterThan(100);
    const message = await t.db.message.findFirstOrThrow({
      where: { kind: "CLASS" },
      include: { recipients: true },
    });
    expect(message.needsAck).toBe(true);
    const acked = message.recipients.filter((r) => r.acknowledgedAt).length;
    expect(acked).toBeGreaterThan(0);
    expect(acked).toBeLessThan(message.recipients.length);
  });

  it("does nothing on a second run, and --reset seeds the school again", async () => {
    const before = { marks: await t.db.mark.count(), people: await t.db.person.count() };
    expect(await seedDemo(t.url, { now: NOW })).toEqual({ status: "exists", schoolId });
    expect({ marks: await t.db.mark.count(), people: await t.db.person.count() }).toEqual(before);
    const again = await seedDemo(t.url, { now: NOW, reset: true });
    expect(again.status).toBe("seeded");
    expect(await t.db.school.count({ where: { name: "МБОУ «Средняя школа № 7»" } })).toBe(1);
    expect(await t.db.person.count()).toBe(before.people);
    schoolId = again.schoolId;
  }, 60_000);
});

describe("large seed generator (tiny size)", () => {
  const { plan, journal } = generateLargeSchool(60);

  it("plans classes of about 25 with grade 1, full curriculum and 1–2 guardians per pupil", () => {
    expect(plan.classes.map((c) => c.grade)).toContain(1);
    expect(plan.classes.length).toBe(2);
    for (const c of plan.classes) {
      expect(c.pupils.length).toBe(30);
      const subjects = new Set(
        plan.assignments.filter((a) => plan.classes[a.cls] === c).map((a) => a.subject),
      );
      expect([...subjects].sort()).toEqual(Object.keys(CURRICULUM[c.grade]!).sort());
    }
    const perPupil = new Map<number, number>();
    for (const [, p] of plan.guardianLinks) perPupil.set(p, (perPupil.get(p) ?? 0) + 1);
    for (const c of plan.classes) for (const p of c.pupils) expect([1, 2]).toContain(perPupil.get(p));
  });

  it("builds a clash-free week with each class's weekly hours", () => {
    expect(plan.clashes).toBe(0);
    const seen = new Set<string>();
    for (const s of plan.slots) {
      const a = plan.assignments[s.assignment]!;
      const key = `${a.teacher}|${s.weekday}|${s.lessonNumber}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    plan.classes.forEach((c, ci) => {
      const cells = new Set(
        plan.slots.filter((s) => s.classId === ci).map((s) => `${s.weekday}|${s.lessonNumber}`),
      );
      expect(cells.size).toBe(weeklyHours(c.grade));
    });
  });

  it("fills a whole year of school days with marks and absences that obey the rules", () => {
    const dates = journal.lessons.map((l) => l.date).sort();
    expect(dates[0]).toBe(YEAR.start);
    expect(dates.at(-1)! >= "2027-05-25").toBe(true);
    expect(dates.some((d) => isHoliday(d))).toBe(false);
    for (const m of journal.marks) {
      const lesson = journal.lessons[m.lesson]!;
      const a = plan.assignments[lesson.assignment]!;
      expect(plan.classes[a.cls]!.grade).toBeGreaterThan(1);
      expect(SUBJECTS[a.subject].graded).toBe(true);
      if (m.value2) expect(SUBJECTS[a.subject].doubleMarks && FORMS[m.form].isWritten).toBe(true);
    }
    const absent = new Set(
      journal.attendance.filter((x) => x.kind === "ABSENT").map((x) => `${x.lesson}|${x.pupil}`),
    );
    const marked = new Set(journal.marks.map((m) => `${m.lesson}|${m.pupil}`));
    let pupilLessons = 0;
    journal.lessons.forEach((l, li) => {
      const pupils = pupilsOf(plan, plan.assignments[l.assignment]!);
      pupilLessons += pupils.length;
      if (l.form && FORMS[l.form].isControlWork) {
        for (const p of pupils) if (!absent.has(`${li}|${p}`)) expect(marked.has(`${li}|${p}`)).toBe(true);
      }
    });
    expect(absent.size / pupilLessons).toBeGreaterThan(0.02);
    expect(absent.size / pupilLessons).toBeLessThan(0.1);
    expect(journal.attendance.every((x) => x.kind === "LATE" || x.reason !== null)).toBe(true);
  });

  it("writes the tiny school through the bulk path once, next to the demo school", async () => {
    const first = await seedLarge(t.url, { pupils: 60 });
    expect(first.status).toBe("seeded");
    if (first.status !== "seeded") return;
    expect(first.counts.Lesson).toBe(journal.lessons.length);
    const written = Object.values(first.counts).reduce((a, b) => a + b, 0);
    expect(written).toBe(
      expectedRows({
        plan,
        journal,
        periodMarks: periodMarks(plan, journal, [1, 2, 3, 4], true),
        passwordHash: "",
        timeZone: "Europe/Moscow",
        publishedQuarters: [],
      }),
    );
    expect(first.counts.Mark).toBe(journal.marks.length);
    expect(
      await t.db.mark.count({ where: { lesson: { class: { year: { schoolId: first.schoolId } } } } }),
    ).toBe(journal.marks.length);
    expect(await seedLarge(t.url, { pupils: 60 })).toEqual({ status: "exists", schoolId: first.schoolId });
    expect(await t.db.school.count({ where: { name: LARGE_SCHOOL } })).toBe(1);
    const admin = await t.db.person.findUniqueOrThrow({ where: { login: "admin.large" } });
    expect(admin.schoolId).toBe(first.schoolId);
    // --reset replaces only that school: the demo school keeps its marks.
    const demoMarks = await t.db.mark.count({ where: { lesson: { class: { year: { schoolId } } } } });
    const again = await seedLarge(t.url, { pupils: 60, reset: true });
    expect(again.status).toBe("seeded");
    expect(await t.db.school.count({ where: { name: LARGE_SCHOOL } })).toBe(1);
    expect(await t.db.mark.count({ where: { lesson: { class: { year: { schoolId } } } } })).toBe(demoMarks);
    const indexes = await t.db.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM pg_indexes WHERE indexname LIKE 'seed_reset%'`,
    );
    expect(indexes).toEqual([]);
  }, 60_000);
});
