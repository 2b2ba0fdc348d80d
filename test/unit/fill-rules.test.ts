import { describe, expect, it } from "vitest";
import { enteredLate, fillDeadlineOf, lessonGaps } from "../../src/journal/rules/fill.js";

const at = new Date("2026-11-16T10:00:00Z");

describe("lessonGaps", () => {
  it.each([
    [
      "nothing filled",
      { attendanceAt: null, topic: null, homework: null, homeworkNone: false },
      5,
      ["attendance", "topic", "homework"],
    ],
    ["all filled", { attendanceAt: at, topic: "Дроби", homework: "№ 12", homeworkNone: false }, 5, []],
    [
      "«не задано» counts as homework",
      { attendanceAt: at, topic: "Дроби", homework: null, homeworkNone: true },
      5,
      [],
    ],
    [
      "grade 1: no homework asked",
      { attendanceAt: at, topic: "Звук [а]", homework: null, homeworkNone: false },
      1,
      [],
    ],
    [
      "grade 1: topic still asked",
      { attendanceAt: at, topic: null, homework: null, homeworkNone: false },
      1,
      ["topic"],
    ],
    [
      "empty topic is missing",
      { attendanceAt: at, topic: "", homework: "№ 1", homeworkNone: false },
      7,
      ["topic"],
    ],
  ] as const)("%s", (_name, lesson, grade, gaps) => {
    expect(lessonGaps(lesson, grade)).toEqual(gaps);
  });
});

describe("fill deadline and late entries", () => {
  it.each([
    ["2026-11-16", "17:00", "Europe/Moscow", "2026-11-16T14:00:00.000Z"],
    ["2026-11-16", "18:00", "Asia/Yekaterinburg", "2026-11-16T13:00:00.000Z"],
    ["2027-03-29", "17:00", "Europe/Kaliningrad", "2027-03-29T15:00:00.000Z"],
  ])("%s at %s in %s is %s", (date, time, zone, iso) => {
    expect(fillDeadlineOf(date, time, zone).toISOString()).toBe(iso);
  });

  const due = new Date("2026-11-16T15:00:00Z");
  it.each([
    ["not entered", null, false],
    ["before the deadline", new Date("2026-11-16T11:00:00Z"), false],
    ["exactly at the deadline", due, false],
    ["a minute late", new Date("2026-11-16T15:01:00Z"), true],
    ["the next day", new Date("2026-11-17T07:00:00Z"), true],
  ] as const)("%s → late %s", (_name, enteredAt, late) => {
    expect(enteredLate(enteredAt, due)).toBe(late);
  });
});
