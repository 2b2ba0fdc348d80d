import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import type { Actor } from "../../src/journal/actor.js";
import { correctMark, markHistory, postMarks } from "../../src/journal/marks.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, d, type SchoolFixture } from "../support/school.js";
import { counts, lessonFactory, outcome, setNow, TODAY_MORNING } from "./lessons-helpers.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
let fresh: ReturnType<typeof lessonFactory>;
let english: SchoolFixture["assignments"]["math5"];
let leaver: { id: number };

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "МБОУ «Гимназия № 3»");
  fresh = lessonFactory(s);
  // A subgroup lesson: group 1 of 5А (Иванов, Иванова) learns English.
  const group = await t.db.subgroup.create({ data: { classId: s.classes.class5.id, name: "1 группа" } });
  await t.db.subgroupMember.createMany({
    data: [s.pupils.ivanov.id, s.pupils.ivanova.id].map((pupilId) => ({ subgroupId: group.id, pupilId })),
  });
  const subject = await t.db.subject.create({ data: { schoolId: s.school.id, name: "Английский язык" } });
  english = await t.db.teachingAssignment.create({
    data: {
      yearId: s.year.id,
      teacherId: s.people.math.id,
      subjectId: subject.id,
      classId: s.classes.class5.id,
      subgroupId: group.id,
    },
  });
  // A pupil who left 5А on 2026-11-12.
  leaver = await t.db.person.create({
    data: {
      schoolId: s.school.id,
      lastName: "Ушедший",
      firstName: "Глеб",
      roles: { create: { role: "PUPIL" } },
    },
  });
  await t.db.enrolment.create({
    data: {
      pupilId: leaver.id,
      classId: s.classes.class5.id,
      joinedOn: d("2026-09-01"),
      leftOn: d("2026-11-12"),
      leftReason: "LEFT",
    },
  });
});
afterAll(() => t.drop());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(TODAY_MORNING);
});

const col = (...pairs: [number, string][]) => pairs.map(([pupilId, value]) => ({ pupilId, value }));

describe("postMarks puts a column of marks", () => {
  it("creates the cells with the form's weight, audit rows and one mark.posted event", async () => {
    const lesson = await fresh();
    const before = await counts(t.db);
    const { marks } = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      controlFormId: s.forms.control.id,
      marks: col([s.pupils.ivanov.id, "5"], [s.pupils.petrov.id, "3"], [s.pupils.sidorova.id, "4"]),
    });
    expect(marks.map((m) => [m.pupilId, m.value, m.weight, m.authorId])).toEqual([
      [s.pupils.ivanov.id, "5", 3, s.people.math.id],
      [s.pupils.petrov.id, "3", 3, s.people.math.id],
      [s.pupils.sidorova.id, "4", 3, s.people.math.id],
    ]);
    const after = await counts(t.db);
    expect(after.marks - before.marks).toBe(3);
    expect(after.audit - before.audit).toBe(3);
    const event = await t.db.outbox.findFirstOrThrow({
      where: { type: "mark.posted" },
      orderBy: { id: "desc" },
    });
    expect(event.payload).toEqual({ lessonId: lesson.id, markIds: marks.map((m) => m.id) });
  });

  it("uses the lesson's form when none is given, and weight 1 without any form", async () => {
    const lesson = await fresh();
    await t.db.lesson.update({ where: { id: lesson.id }, data: { controlFormId: s.forms.independent.id } });
    const { marks } = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.ivanov.id, "4"]),
    });
    expect(marks[0]).toMatchObject({ controlFormId: s.forms.independent.id, weight: 2 });
    const plain = await fresh();
    const r = await postMarks(t.db, s.people.math.actor, {
      lessonId: plain.id,
      marks: col([s.pupils.ivanov.id, "4"]),
    });
    expect(r.marks[0]).toMatchObject({ controlFormId: null, weight: 1 });
  });

  it.each([
    ["5+", /только цифру от 1 до 5/],
    ["4-", /без «\+», «−» и точек/],
    ["4.", /только цифру/],
    ["н", /отметьте ученика отсутствующим/],
  ])("refuses %j and names the pupil", async (value, message) => {
    const lesson = await fresh();
    const err = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.petrov.id, value]),
    }).catch((e) => e);
    expect(err).toMatchObject({ code: "validation", details: { pupilIds: [s.pupils.petrov.id] } });
    expect(err.message).toMatch(message);
  });
});

describe("double marks (002 §5.5)", () => {
  const russianLesson = () => fresh(s.assignments.russian5);
  it("allowed for a written form in a subject with double marks", async () => {
    const lesson = await russianLesson();
    const { marks } = await postMarks(t.db, s.people.russian.actor, {
      lessonId: lesson.id,
      controlFormId: s.forms.dictation.id,
      marks: col([s.pupils.ivanova.id, "4/5"]),
    });
    expect(marks[0]).toMatchObject({ value: "4", value2: "5", weight: 2 });
  });

  it.each([
    ["without a form of control", () => undefined, /укажите форму контроля/],
    ["for an oral answer", () => s.forms.oral.id, /не письменная работа/],
  ])("refused %s", async (_name, formId, message) => {
    const lesson = await russianLesson();
    await expect(
      postMarks(t.db, s.people.russian.actor, {
        lessonId: lesson.id,
        controlFormId: formId(),
        marks: col([s.pupils.ivanova.id, "4/5"]),
      }),
    ).rejects.toThrow(message);
  });

  it("refused in a subject without double marks", async () => {
    const lesson = await fresh();
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        controlFormId: s.forms.dictation.id,
        marks: col([s.pupils.ivanova.id, "4/5"]),
      }),
    ).rejects.toThrow(/поставьте одну отметку/);
  });
});

describe("where marks are not given at all", () => {
  it("grade 1 gets no marks (001 §2.4)", async () => {
    const lesson = await fresh(s.assignments.math1);
    await expect(
      postMarks(t.db, s.people.primary.actor, { lessonId: lesson.id, marks: col([s.pupils.kozlov.id, "5"]) }),
    ).rejects.toMatchObject({ code: "validation", message: expect.stringMatching(/В 1 классе/) });
  });

  it("a subject without marks gets none (002 §3.8)", async () => {
    const lesson = await fresh(s.assignments.odnknr5);
    await expect(
      postMarks(t.db, s.people.russian.actor, { lessonId: lesson.id, marks: col([s.pupils.ivanov.id, "5"]) }),
    ).rejects.toThrow(/безотметочный предмет/);
  });
});

describe("only pupils of the lesson", () => {
  it("refuses a pupil of another class, naming them", async () => {
    const lesson = await fresh();
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col([s.pupils.ivanov.id, "5"], [s.pupils.kozlov.id, "4"]),
      }),
    ).rejects.toMatchObject({ code: "validation", details: { pupilIds: [s.pupils.kozlov.id] } });
  });

  it("accepts a pupil before they left and refuses them after", async () => {
    const before = await s.lesson(s.assignments.math5, "2026-11-11", 1);
    const after = await s.lesson(s.assignments.math5, "2026-11-13", 4);
    expect(
      await outcome(
        postMarks(t.db, s.people.math.actor, { lessonId: before.id, marks: col([leaver.id, "4"]) }),
      ),
    ).toBe("ok");
    await expect(
      postMarks(t.db, s.people.math.actor, { lessonId: after.id, marks: col([leaver.id, "4"]) }),
    ).rejects.toMatchObject({ details: { pupilIds: [leaver.id] } });
  });

  it("a subgroup lesson takes only the subgroup's members", async () => {
    const lesson = await fresh(english);
    expect(
      await outcome(
        postMarks(t.db, s.people.math.actor, { lessonId: lesson.id, marks: col([s.pupils.ivanova.id, "5"]) }),
      ),
    ).toBe("ok");
    await expect(
      postMarks(t.db, s.people.math.actor, { lessonId: lesson.id, marks: col([s.pupils.petrov.id, "5"]) }),
    ).rejects.toMatchObject({
      details: { pupilIds: [s.pupils.petrov.id] },
      message: expect.stringMatching(/подгрупп/),
    });
  });
});

describe("who writes marks (002 §4.4.3)", () => {
  it.each([
    ["the lesson's teacher", () => s.people.math.actor, "ok"],
    ["another teacher", () => s.people.russian.actor, "forbidden"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["a guardian", () => s.guardians.ivanovaMother.actor, "forbidden"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ] as [string, () => Actor, string][])("$0 → $2", async (_who, actor, expected) => {
    const lesson = await fresh();
    expect(
      await outcome(postMarks(t.db, actor(), { lessonId: lesson.id, marks: col([s.pupils.ivanov.id, "5"]) })),
    ).toBe(expected);
  });

  it("the substitute writes a substituted lesson, its regular teacher does not", async () => {
    const lesson = await fresh();
    await t.db.lesson.update({ where: { id: lesson.id }, data: { substituteId: s.people.substitute.id } });
    const input = { lessonId: lesson.id, marks: col([s.pupils.ivanov.id, "5"]) };
    await expect(postMarks(t.db, s.people.math.actor, input)).rejects.toThrow(/заменяющий учитель/);
    const { marks } = await postMarks(t.db, s.people.substitute.actor, input);
    expect(marks[0]!.authorId).toBe(s.people.substitute.id);
  });
});

describe("changing a mark: author inside the lock window, corrections after it (004 §5.3, 003 §7)", () => {
  const postOne = async (value = "3", comment?: string) => {
    const lesson = await fresh();
    const { marks } = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: [{ pupilId: s.pupils.petrov.id, value, comment }],
    });
    return { lesson, mark: marks[0]! };
  };

  it("the author changes it inside the window; the old value stays in history", async () => {
    const { lesson, mark } = await postOne("3");
    setNow("2026-12-08T20:00:00+03:00"); // the 10th school day after Tuesday 24 November
    const { marks } = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.petrov.id, "4"]),
    });
    expect(marks[0]).toMatchObject({ id: mark.id, value: "4" });
    const { changes } = await markHistory(t.db, s.people.math.actor, { markId: mark.id });
    expect(changes.map((c) => [c.oldValue, c.newValue, c.change, c.authorId])).toEqual([
      ["3", "4", "EDIT", s.people.math.id],
    ]);
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: "mark.edit", entityId: String(mark.id) },
    });
    expect(audit.before).toMatchObject({ value: "3" });
    expect(audit.after).toMatchObject({ value: "4" });
  });

  it("posting the same value again changes nothing and emits nothing", async () => {
    const { lesson } = await postOne("5");
    const before = await counts(t.db);
    await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.petrov.id, "5"]),
    });
    expect(await counts(t.db)).toEqual(before);
  });

  it("after the window the author gets `locked`, saying who may correct it and why", async () => {
    const { lesson, mark } = await postOne("2");
    setNow("2026-12-09T08:00:00+03:00");
    const err = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.petrov.id, "4"]),
    }).catch((e) => e);
    expect(err).toMatchObject({ code: "locked", details: { markIds: [mark.id] } });
    expect(err.message).toMatch(/заместитель директора или администратор журнала/);
    expect(err.message).toMatch(/апелляция удовлетворена/);
    expect(err.message).toMatch(/по 08\.12\.2026 включительно/);
    await expect(
      correctMark(t.db, s.people.math.actor, { markId: mark.id, value: "4", reason: "TEACHER_STATEMENT" }),
    ).rejects.toMatchObject({ code: "locked" });
  });

  it("after the window the deputy head corrects it with a listed reason", async () => {
    const { mark } = await postOne("2");
    setNow("2026-12-15T10:00:00+03:00");
    const before = await counts(t.db);
    const r = await correctMark(t.db, s.people.deputy.actor, {
      markId: mark.id,
      value: "3",
      reason: "DEBT_CLEARED",
      note: "Задолженность ликвидирована 14.12",
    });
    expect(r.mark.value).toBe("3");
    const after = await counts(t.db);
    expect([after.marks - before.marks, after.history - before.history, after.audit - before.audit]).toEqual([
      0, 1, 1,
    ]);
    const history = await t.db.markHistory.findUniqueOrThrow({ where: { id: r.historyId } });
    expect(history).toMatchObject({
      oldValue: "2",
      newValue: "3",
      change: "DEBT_CLEARED",
      authorId: s.people.deputy.id,
    });
    const event = await t.db.outbox.findFirstOrThrow({
      where: { type: "mark.corrected" },
      orderBy: { id: "desc" },
    });
    expect(event.payload).toEqual({ markId: mark.id, historyId: r.historyId });
  });

  it.each([
    ["the journal admin with a listed reason", () => s.people.admin.actor, "APPEAL_UPHELD", "ok"],
    ["the deputy head without a listed reason", () => s.people.deputy.actor, "EDIT", "validation"],
    ["the deputy head with an unknown reason", () => s.people.deputy.actor, "BECAUSE", "validation"],
    ["the director (reads only)", () => s.people.director.actor, "AUDIT_UNFAIR", "locked"],
    ["another school's deputy", () => other.people.deputy.actor, "AUDIT_UNFAIR", "not_found"],
  ] as [string, () => Actor, string, string][])(
    "correction after the lock by $0 → $3",
    async (_w, actor, reason, expected) => {
      const { mark } = await postOne("2");
      setNow("2026-12-15T10:00:00+03:00");
      expect(await outcome(correctMark(t.db, actor(), { markId: mark.id, value: "4", reason }))).toBe(
        expected,
      );
    },
  );

  it.each([
    ["its author", () => s.people.math.actor, "ok"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["another teacher", () => s.people.russian.actor, "forbidden"],
  ] as [string, () => Actor, string][])(
    "a correction inside the window by $0 → $2",
    async (_w, actor, expected) => {
      const { mark } = await postOne("3");
      expect(
        await outcome(
          correctMark(t.db, actor(), { markId: mark.id, value: "4", reason: "TEACHER_STATEMENT" }),
        ),
      ).toBe(expected);
    },
  );

  it("a correction to the same value or to «н» is refused", async () => {
    const { mark } = await postOne("3");
    await expect(
      correctMark(t.db, s.people.deputy.actor, { markId: mark.id, value: "3", reason: "AUDIT_UNFAIR" }),
    ).rejects.toThrow(/совпадает с прежней/);
    await expect(
      correctMark(t.db, s.people.deputy.actor, { markId: mark.id, value: "н", reason: "AUDIT_UNFAIR" }),
    ).rejects.toThrow(/отсутствующим/);
  });

  it("another person cannot change the author's mark through postMarks", async () => {
    const { lesson } = await postOne("3");
    await expect(
      postMarks(t.db, s.people.deputy.actor, { lessonId: lesson.id, marks: col([s.pupils.petrov.id, "5"]) }),
    ).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/только автор/) });
  });

  it("a comment once set cannot be edited; an unchanged comment is fine", async () => {
    const { lesson, mark } = await postOne("3", "Пересдача темы «Дроби»");
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: [{ pupilId: s.pupils.petrov.id, value: "3", comment: "Другой текст" }],
      }),
    ).rejects.toThrow(/Комментарий к выставленной отметке изменить нельзя/);
    const { marks } = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: [{ pupilId: s.pupils.petrov.id, value: "4", comment: "Пересдача темы «Дроби»" }],
    });
    expect(marks[0]).toMatchObject({ id: mark.id, value: "4", comment: "Пересдача темы «Дроби»" });
  });

  it("marks are never deleted: a correction keeps the row and its history", async () => {
    const { mark } = await postOne("2");
    setNow("2026-12-15T10:00:00+03:00");
    await correctMark(t.db, s.people.deputy.actor, { markId: mark.id, value: "3", reason: "REATTESTATION" });
    await correctMark(t.db, s.people.deputy.actor, { markId: mark.id, value: "4", reason: "APPEAL_UPHELD" });
    const { changes } = await markHistory(t.db, s.people.deputy.actor, { markId: mark.id });
    expect(changes.map((c) => `${c.oldValue}→${c.newValue}`)).toEqual(["2→3", "3→4"]);
  });
});

describe("the lock follows the school's own calendar", () => {
  it("counts a 6-day week, the school's lock length and its holidays", async () => {
    // Гимназия: 6 school days a week, a 3-day lock, Thursday 26 November off.
    await t.db.school.update({ where: { id: other.school.id }, data: { weekDays: 6, markLockDays: 3 } });
    await t.db.holiday.create({
      data: {
        schoolId: other.school.id,
        fromDate: d("2026-11-26"),
        toDate: d("2026-11-26"),
        name: "День школы",
      },
    });
    const lesson = await other.lesson(other.assignments.math5, "2026-11-23");
    const post = (value: string) =>
      postMarks(t.db, other.people.math.actor, {
        lessonId: lesson.id,
        marks: col([other.pupils.petrov.id, value]),
      });
    await post("3"); // Tuesday 24 November; school days after it: Wed 25, Fri 27, Sat 28
    setNow("2026-11-28T18:00:00+03:00");
    expect(await outcome(post("4"))).toBe("ok");
    setNow("2026-11-29T09:00:00+03:00");
    expect(await outcome(post("5"))).toBe("locked");
  });
});

describe("two people saving one cell at once", () => {
  it("keeps one mark; the loser is told to refresh (conflict), never a server error", async () => {
    const lesson = await fresh();
    await t.db.lesson.update({ where: { id: lesson.id }, data: { substituteId: s.people.substitute.id } });
    const input = (value: string) => ({ lessonId: lesson.id, marks: col([s.pupils.smirnov.id, value]) });
    const results = await Promise.all([
      outcome(postMarks(t.db, s.people.substitute.actor, input("4"))),
      outcome(postMarks(t.db, s.people.deputy.actor, input("5"))),
    ]);
    expect(results).toContain("ok");
    for (const r of results) expect(["ok", "conflict", "forbidden"]).toContain(r);
    expect(await t.db.mark.count({ where: { lessonId: lesson.id } })).toBe(1);
  });
});

describe("markHistory is read by those who may read the pupil", () => {
  it.each([
    ["the pupil's guardian", () => s.guardians.petrovaMother.actor, "ok"],
    ["another family's guardian", () => s.guardians.sidorovFather.actor, "not_found"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ] as [string, () => Actor, string][])("$0 → $2", async (_who, actor, expected) => {
    const lesson = await fresh();
    const { marks } = await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: col([s.pupils.petrov.id, "5"]),
    });
    expect(await outcome(markHistory(t.db, actor(), { markId: marks[0]!.id }))).toBe(expected);
  });
});

describe("atomicity: all of a column or nothing", () => {
  it("one bad pupil in a column leaves no mark, no audit row and no event", async () => {
    const lesson = await fresh();
    const before = await counts(t.db);
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col(
          [s.pupils.ivanov.id, "5"],
          [s.pupils.ivanova.id, "4"],
          [s.pupils.orlova.id, "5"], // 1А, not in this class
          [s.pupils.petrov.id, "3"],
        ),
      }),
    ).rejects.toMatchObject({ details: { pupilIds: [s.pupils.orlova.id] } });
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col([s.pupils.ivanov.id, "5"], [s.pupils.ivanova.id, "5-"]),
      }),
    ).rejects.toMatchObject({ code: "validation" });
    expect(await counts(t.db)).toEqual(before);
  });

  it("a failure after the first write inside the transaction rolls everything back", async () => {
    const lesson = await fresh();
    const before = await counts(t.db);
    // The outbox insert (the last write) fails in the database: the marks and audit rows written
    // before it must go.
    await t.db.$executeRawUnsafe(`
      CREATE FUNCTION outbox_down() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'outbox down'; END $$`);
    await t.db.$executeRawUnsafe(
      `CREATE TRIGGER outbox_down BEFORE INSERT ON "Outbox" FOR EACH ROW EXECUTE FUNCTION outbox_down()`,
    );
    onTestFinished(async () => {
      await t.db.$executeRawUnsafe(`DROP TRIGGER outbox_down ON "Outbox"`);
      await t.db.$executeRawUnsafe("DROP FUNCTION outbox_down()");
    });
    await expect(
      postMarks(t.db, s.people.math.actor, {
        lessonId: lesson.id,
        marks: col([s.pupils.ivanov.id, "5"], [s.pupils.petrov.id, "4"]),
      }),
    ).rejects.toThrow("outbox down");
    expect(await counts(t.db)).toEqual(before);
    expect(await t.db.mark.count({ where: { lessonId: lesson.id } })).toBe(0);
  });
});
