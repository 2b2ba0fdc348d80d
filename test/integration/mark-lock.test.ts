import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { correctMark, postMarks } from "../../src/journal/marks.js";
import { loadCalendar, lockEndsAt } from "../../src/journal/rules/calendar.js";
import { addHoliday, updateSchoolSettings } from "../../src/journal/schools.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { lessonFactory, outcome, setNow, TODAY_MORNING } from "./lessons-helpers.js";

/**
 * A mark's lock deadline is fixed when it is written (issue 10, item 9): settings changed later —
 * a longer lock, a holiday added in the past — apply to new marks only.
 */
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

const post = (lessonId: number, value: string) =>
  postMarks(t.db, s.people.math.actor, { lessonId, marks: [{ pupilId: s.pupils.petrov.id, value }] });

describe("the lock deadline is the mark's own", () => {
  it("is stored when the mark is written, from the settings of that day", async () => {
    const lesson = await fresh();
    const { marks } = await post(lesson.id, "3");
    // Tuesday 24.11, 10 school days: through Tuesday 08.12; locks at Moscow midnight.
    expect(marks[0]!.lockAt?.toISOString()).toBe("2026-12-08T21:00:00.000Z");
    const row = await t.db.mark.findUniqueOrThrow({ where: { id: marks[0]!.id } });
    expect(row.lockAt?.toISOString()).toBe("2026-12-08T21:00:00.000Z");
  });

  it.each([
    [
      "the admin raises the lock to 30 working days",
      () => updateSchoolSettings(t.db, s.people.admin.actor, { markLockDays: 30 }),
    ],
    [
      "the deputy head adds a holiday range in the past",
      () =>
        addHoliday(t.db, s.people.deputy.actor, {
          fromDate: "2026-11-25",
          toDate: "2026-12-08",
          name: "Карантин",
        }),
    ],
  ])("a locked mark stays locked after %s", async (_what, change) => {
    const lesson = await fresh();
    const { marks } = await post(lesson.id, "2");
    setNow("2026-12-10T09:00:00+03:00");
    expect(await outcome(post(lesson.id, "4"))).toBe("locked");
    await change();
    expect(await outcome(post(lesson.id, "4"))).toBe("locked");
    await expect(
      correctMark(t.db, s.people.math.actor, {
        markId: marks[0]!.id,
        value: "4",
        reason: "TEACHER_STATEMENT",
      }),
    ).rejects.toMatchObject({ code: "locked" });
    const row = await t.db.mark.findUniqueOrThrow({ where: { id: marks[0]!.id } });
    expect(row.value).toBe("2");
    // Settings changes apply forward: a mark written now gets the new rule's deadline.
    const later = await fresh();
    const { marks: now } = await post(later.id, "5");
    const cal = await loadCalendar(t.db, s.school.id);
    expect(now[0]!.lockAt).toEqual(lockEndsAt(new Date(), cal));
    // Put the settings back for the next case.
    await t.db.school.update({ where: { id: s.school.id }, data: { markLockDays: 10 } });
    await t.db.holiday.deleteMany({ where: { schoolId: s.school.id, name: "Карантин" } });
  });

  it("a shorter lock set later does not close an open mark early", async () => {
    const lesson = await fresh();
    await post(lesson.id, "3");
    await updateSchoolSettings(t.db, s.people.admin.actor, { markLockDays: 1 });
    setNow("2026-11-30T09:00:00+03:00");
    expect(await outcome(post(lesson.id, "4"))).toBe("ok");
    await t.db.school.update({ where: { id: s.school.id }, data: { markLockDays: 10 } });
  });
});

describe("the migration gives existing marks the deadline the rule gives today", () => {
  it("matches lockEndsAt for marks of every kind of day: weekday, Friday, before a vacation, local midnight", async () => {
    const sql = readFileSync("prisma/migrations/20261129110001_mark_lock_at/migration.sql", "utf8");
    const backfill = sql.slice(sql.indexOf("WITH given AS"));
    await t.db.school.update({ where: { id: s.school.id }, data: { weekDays: 6, markLockDays: 7 } });
    const created = [
      "2026-10-23T07:00:00Z", // Friday before the autumn holidays
      "2026-11-24T07:00:00Z", // Tuesday
      "2026-11-24T21:30:00Z", // 00:30 Wednesday in Moscow, still Tuesday in UTC
      "2026-11-28T10:00:00Z", // Saturday (a school day in a 6-day week)
      "2026-12-25T08:00:00Z", // before the winter holidays
    ];
    const ids: number[] = [];
    for (const [i, at] of created.entries()) {
      const lesson = await fresh();
      // Written as rows of before the migration: no deadline yet.
      const m = await t.db.mark.create({
        data: {
          lessonId: lesson.id,
          pupilId: [s.pupils.ivanov.id, s.pupils.ivanova.id, s.pupils.sidorova.id][i % 3]!,
          value: "4",
          authorId: s.people.math.id,
          createdAt: new Date(at),
        },
      });
      ids.push(m.id);
    }
    await t.db.$executeRawUnsafe(backfill);
    const cal = await loadCalendar(t.db, s.school.id);
    const rows = await t.db.mark.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.lockAt?.toISOString())).toEqual(
      rows.map((r) => lockEndsAt(r.createdAt, cal).toISOString()),
    );
    await t.db.school.update({ where: { id: s.school.id }, data: { weekDays: 5, markLockDays: 10 } });
  });
});
