import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "../../src/journal/actor.js";
import { recordAttendance } from "../../src/journal/attendance.js";
import {
  currentLesson,
  lessonSheet,
  setSubstitute,
  teacherDay,
  updateLesson,
} from "../../src/journal/lessons.js";
import { postMarks } from "../../src/journal/marks.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { lessonFactory, outcome, setNow, TODAY_MORNING } from "./lessons-helpers.js";

let t: TestDb;
let s: SchoolFixture;
let other: SchoolFixture;
let past: ReturnType<typeof lessonFactory>;

beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  other = await buildSchool(t.db, "МБОУ «Гимназия № 3»");
  past = lessonFactory(s);
});
afterAll(() => t.drop());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(TODAY_MORNING);
});

const lastEvent = (type: string) => t.db.outbox.findFirst({ where: { type }, orderBy: { id: "desc" } });

describe("updateLesson: topic, homework, form of control", () => {
  it("writes a topic of a past lesson with an audit row and lesson.updated", async () => {
    const lesson = await past();
    const r = await updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, topic: "К.р. «Дроби»" });
    expect(r.topic).toBe("К.р. «Дроби»");
    expect((await lastEvent("lesson.updated"))?.payload).toEqual({ lessonId: lesson.id, fields: ["topic"] });
    const row = await t.db.auditLog.findFirstOrThrow({
      where: { action: "lesson.update", entityId: String(lesson.id) },
    });
    expect(row.before).toEqual({ topic: null });
    expect(row.after).toEqual({ topic: "К.р. «Дроби»" });
  });

  it("writes homework for today's lesson and emits homework.set", async () => {
    const lesson = await s.lesson(s.assignments.math5, "2026-11-24", 1);
    const r = await updateLesson(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      homework: "§ 12, № 305, 307",
    });
    expect(r).toMatchObject({ homework: "§ 12, № 305, 307", homeworkNone: false });
    expect((await lastEvent("homework.set"))?.payload).toEqual({ lessonId: lesson.id });
  });

  it("«не задано» replaces written homework", async () => {
    const lesson = await s.lesson(s.assignments.math5, "2026-11-24", 2);
    await updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, homework: "№ 1" });
    const r = await updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, homeworkNone: true });
    expect(r).toMatchObject({ homework: null, homeworkNone: true });
  });

  it("refuses homework and «не задано» together", async () => {
    const lesson = await s.lesson(s.assignments.math5, "2026-11-24", 3);
    await expect(
      updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, homework: "№ 1", homeworkNone: true }),
    ).rejects.toMatchObject({ code: "validation" });
  });

  it("refuses homework for a past lesson (003)", async () => {
    const lesson = await past();
    await expect(
      updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, homework: "§ 3" }),
    ).rejects.toThrow(/к прошедшему уроку не записывают/);
  });

  it("counts 'past' in the school's time zone: after Moscow midnight yesterday is past", async () => {
    const lesson = await s.lesson(s.assignments.russian5, "2026-11-24", 2);
    setNow("2026-11-24T20:59:00Z"); // 23:59 in Moscow
    expect(
      await outcome(updateLesson(t.db, s.people.russian.actor, { lessonId: lesson.id, homework: "Упр. 5" })),
    ).toBe("ok");
    setNow("2026-11-24T21:01:00Z"); // 00:01 on the 25th in Moscow, still the 24th in UTC
    await expect(
      updateLesson(t.db, s.people.russian.actor, { lessonId: lesson.id, homework: "Упр. 6" }),
    ).rejects.toThrow(/прошедшему/);
  });

  it("grade 1: topics yes, homework no (001 §2.4)", async () => {
    const lesson = await s.lesson(s.assignments.literacy1, "2026-11-24", 2);
    expect(
      await outcome(updateLesson(t.db, s.people.primary.actor, { lessonId: lesson.id, topic: "Звук [а]" })),
    ).toBe("ok");
    await expect(
      updateLesson(t.db, s.people.primary.actor, { lessonId: lesson.id, homework: "Прописи с. 3" }),
    ).rejects.toThrow(/В 1 классе домашние задания не задаются/);
  });

  it("a subject without marks still gets homework (002 §3.8)", async () => {
    const lesson = await s.lesson(s.assignments.odnknr5, "2026-11-24", 3);
    expect(
      await outcome(
        updateLesson(t.db, s.people.russian.actor, { lessonId: lesson.id, homework: "Рассказ о празднике" }),
      ),
    ).toBe("ok");
  });

  it("a planned topic from the lesson's КТП fills the topic; another subject's plan is refused", async () => {
    const [mine, theirs] = await Promise.all([
      t.db.topicPlanItem.create({
        data: { assignmentId: s.assignments.math5.id, number: 1, topic: "Натуральные числа" },
      }),
      t.db.topicPlanItem.create({
        data: { assignmentId: s.assignments.russian5.id, number: 1, topic: "Фонетика" },
      }),
    ]);
    const lesson = await past();
    const r = await updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, plannedTopicId: mine.id });
    expect(r).toMatchObject({ plannedTopicId: mine.id, topic: "Натуральные числа" });
    await expect(
      updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, plannedTopicId: theirs.id }),
    ).rejects.toThrow(/не из КТП/);
  });

  it("the form of control must be the school's own", async () => {
    const lesson = await past();
    expect(
      await outcome(
        updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, controlFormId: s.forms.control.id }),
      ),
    ).toBe("ok");
    expect(
      await outcome(
        updateLesson(t.db, s.people.math.actor, {
          lessonId: lesson.id,
          controlFormId: other.forms.control.id,
        }),
      ),
    ).toBe("not_found");
  });

  it("saving the same values again writes nothing", async () => {
    const lesson = await past();
    await updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, topic: "Повторение" });
    const before = [await t.db.outbox.count(), await t.db.auditLog.count()];
    await updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, topic: "Повторение" });
    expect([await t.db.outbox.count(), await t.db.auditLog.count()]).toEqual(before);
  });

  it.each([
    ["its teacher", () => s.people.math.actor, "ok"],
    ["another teacher", () => s.people.russian.actor, "forbidden"],
    ["the deputy head", () => s.people.deputy.actor, "ok"],
    ["a pupil", () => s.pupils.ivanov.actor, "forbidden"],
    ["another school's admin", () => other.people.admin.actor, "not_found"],
  ] as [string, () => Actor, string][])("written by $0 → $2", async (_who, actor, expected) => {
    const lesson = await past();
    expect(await outcome(updateLesson(t.db, actor(), { lessonId: lesson.id, topic: "Тема" }))).toBe(expected);
  });
});

describe("setSubstitute (002 §4.4.3)", () => {
  it("the deputy head names a substitute, who then fills the lesson; an event goes out", async () => {
    const lesson = await past();
    await setSubstitute(t.db, s.people.deputy.actor, {
      lessonId: lesson.id,
      substituteId: s.people.substitute.id,
    });
    expect((await lastEvent("lesson.substituted"))?.payload).toEqual({
      lessonId: lesson.id,
      substituteId: s.people.substitute.id,
    });
    expect(
      await outcome(updateLesson(t.db, s.people.substitute.actor, { lessonId: lesson.id, topic: "Т" })),
    ).toBe("ok");
    expect(await outcome(updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, topic: "Т2" }))).toBe(
      "forbidden",
    );
    await setSubstitute(t.db, s.people.admin.actor, { lessonId: lesson.id, substituteId: null });
    expect(await outcome(updateLesson(t.db, s.people.math.actor, { lessonId: lesson.id, topic: "Т3" }))).toBe(
      "ok",
    );
  });

  it.each([
    ["a teacher", () => s.people.math.actor, () => s.people.substitute.id, "forbidden"],
    [
      "the deputy, naming the lesson's own teacher",
      () => s.people.deputy.actor,
      () => s.people.math.id,
      "validation",
    ],
    ["the deputy, naming a pupil", () => s.people.deputy.actor, () => s.pupils.ivanov.id, "validation"],
    [
      "the deputy, naming another school's teacher",
      () => s.people.deputy.actor,
      () => other.people.math.id,
      "validation",
    ],
    ["another school's admin", () => other.people.admin.actor, () => other.people.math.id, "not_found"],
  ] as [string, () => Actor, () => number, string][])("by $0 → $3", async (_w, actor, sub, expected) => {
    const lesson = await past();
    expect(await outcome(setSubstitute(t.db, actor(), { lessonId: lesson.id, substituteId: sub() }))).toBe(
      expected,
    );
  });
});

describe("teacherDay and currentLesson", () => {
  const DAY = "2026-11-26";
  let plain: { id: number };
  let control: { id: number };
  let subbed: { id: number };

  beforeAll(async () => {
    plain = await s.lesson(s.assignments.math5, DAY, 1);
    control = await s.lesson(s.assignments.math5, DAY, 2);
    await t.db.lesson.update({ where: { id: control.id }, data: { controlFormId: s.forms.control.id } });
    subbed = await s.lesson(s.assignments.math5, DAY, 3);
    await t.db.lesson.update({ where: { id: subbed.id }, data: { substituteId: s.people.substitute.id } });
    await s.lesson(s.assignments.math1, DAY, 1);
  });

  it("lists what is missing, and a control work until every present pupil has a mark (002 §5.7)", async () => {
    setNow(`${DAY}T16:00:00+03:00`);
    const day = await teacherDay(t.db, s.people.math.actor, { date: DAY });
    expect(day.map((l) => [l.id, l.missing])).toEqual([
      [plain.id, ["attendance", "topic", "homework"]],
      [control.id, ["attendance", "topic", "homework", "control_marks"]],
    ]);

    const { ivanov, ivanova, petrov, sidorova, smirnov } = s.pupils;
    await recordAttendance(t.db, s.people.math.actor, {
      lessonId: control.id,
      entries: [{ pupilId: smirnov.id, kind: "ABSENT" }],
    });
    await updateLesson(t.db, s.people.math.actor, {
      lessonId: control.id,
      topic: "К.р. № 3",
      homeworkNone: true,
    });
    await postMarks(t.db, s.people.math.actor, {
      lessonId: control.id,
      marks: [ivanov, ivanova, petrov].map((p) => ({ pupilId: p.id, value: "4" })),
    });
    let after = await teacherDay(t.db, s.people.math.actor, { date: DAY });
    expect(after.find((l) => l.id === control.id)?.missing).toEqual(["control_marks"]);

    await postMarks(t.db, s.people.math.actor, {
      lessonId: control.id,
      marks: [{ pupilId: sidorova.id, value: "3" }],
    });
    after = await teacherDay(t.db, s.people.math.actor, { date: DAY });
    expect(after.find((l) => l.id === control.id)?.missing).toEqual([]);
  });

  it("a substituted lesson belongs to the substitute's day", async () => {
    const day = await teacherDay(t.db, s.people.substitute.actor, { date: DAY });
    expect(day.map((l) => [l.id, l.substituting, l.className])).toEqual([[subbed.id, true, "5А"]]);
  });

  it("grade 1 lessons never miss homework", async () => {
    const day = await teacherDay(t.db, s.people.primary.actor, { date: DAY });
    expect(day[0]?.missing).toEqual(["attendance", "topic"]);
  });

  it("defaults to the school's today", async () => {
    setNow(`${DAY}T07:00:00+03:00`);
    expect((await teacherDay(t.db, s.people.math.actor)).map((l) => l.id)).toEqual([plain.id, control.id]);
  });

  it.each([
    ["08:40", "now", 0],
    ["09:20", "next", 1],
    ["07:00", "next", 0],
    ["15:00", "last", 1],
  ] as const)("at %s the current lesson is the %s one", async (time, when, index) => {
    const now = new Date(`${DAY}T${time}:00+03:00`);
    const r = await currentLesson(t.db, s.people.math.actor, now);
    expect(r?.when).toBe(when);
    expect(r?.id).toBe([plain.id, control.id][index]);
  });

  it("no lessons today → null", async () => {
    expect(await currentLesson(t.db, s.people.math.actor, new Date("2026-11-29T10:00:00+03:00"))).toBeNull();
  });
});

describe("lessonSheet", () => {
  it("lists the enrolled pupils by surname with their marks and attendance", async () => {
    const lesson = await past();
    await postMarks(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      marks: [{ pupilId: s.pupils.petrov.id, value: "5" }],
    });
    await recordAttendance(t.db, s.people.math.actor, {
      lessonId: lesson.id,
      entries: [{ pupilId: s.pupils.sidorova.id, kind: "LATE" }],
    });
    const sheet = await lessonSheet(t.db, s.people.math.actor, { lessonId: lesson.id });
    expect(sheet.pupils.map((p) => p.lastName)).toEqual([
      "Иванов",
      "Иванова",
      "Петров",
      "Сидорова",
      "Смирнов",
    ]);
    expect(sheet.pupils[2]?.mark).toMatchObject({ value: "5" });
    expect(sheet.pupils[3]?.attendance).toMatchObject({ kind: "LATE" });
    expect(sheet).toMatchObject({ className: "5А", subject: { name: "Математика" }, marksAllowed: true });
  });

  it("grade 1 sheet says marks and homework are not given", async () => {
    const lesson = await past(s.assignments.literacy1);
    const sheet = await lessonSheet(t.db, s.people.primary.actor, { lessonId: lesson.id });
    expect(sheet).toMatchObject({ marksAllowed: false, homeworkAllowed: false });
    expect(sheet.pupils.map((p) => p.lastName)).toEqual(["Козлов", "Орлова"]);
  });

  it.each([
    ["the teacher", () => s.people.math.actor, "ok"],
    ["the class teacher", () => s.people.russian.actor, "ok"],
    ["the director", () => s.people.director.actor, "ok"],
    ["a teacher of another class", () => s.people.primary.actor, "forbidden"],
    ["a guardian", () => s.guardians.ivanovaMother.actor, "forbidden"],
    ["another school's deputy", () => other.people.deputy.actor, "not_found"],
  ] as [string, () => Actor, string][])("read by $0 → $2", async (_w, actor, expected) => {
    const lesson = await past();
    expect(await outcome(lessonSheet(t.db, actor(), { lessonId: lesson.id }))).toBe(expected);
  });
});
