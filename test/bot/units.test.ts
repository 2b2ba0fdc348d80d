import { describe, expect, it } from "vitest";
import { cb, parseCallback } from "../../bot/callback-data.js";
import { dayFromArg } from "../../bot/features/today.js";
import { looksLikeMarks, matchPupils, parseMarksLine } from "../../bot/marks-line.js";

const pupils = [
  { pupilId: 1, lastName: "Иванов", firstName: "Иван" },
  { pupilId: 2, lastName: "Иванова", firstName: "Мария" },
  { pupilId: 3, lastName: "Королёв", firstName: "Пётр" },
  { pupilId: 4, lastName: "Петров", firstName: "Пётр" },
];

describe("callback data", () => {
  it("round-trips, stays compact and refuses anything else", () => {
    const data = cb("att.t", 123456, 7890);
    expect(data).toBe("v1:att.t:2n9c:636");
    expect(parseCallback(data)).toEqual({ kind: "att.t", args: [123456, 7890] });
    for (const bad of [
      "v0:att.t:1:2",
      "v1:att.t:1",
      "v1:nope:1",
      "v1:att.t:1:-2",
      "v1:att.t:1:2:3",
      "",
      undefined,
    ]) {
      expect(parseCallback(bad)).toBeNull();
    }
    expect(() => cb("att.t", 1)).toThrow();
    expect(Buffer.byteLength(cb("mk.amb", 999_999, 59, 2 ** 31))).toBeLessThanOrEqual(64);
  });
});

describe("marks line", () => {
  it.each([
    [
      "Иванов 5, Петров 4/5, Сидорова н",
      [
        ["Иванов", "5"],
        ["Петров", "4/5"],
        ["Сидорова", "н"],
      ],
      [],
    ],
    [
      "иванов 5; петров - 4\nСидорова: 3",
      [
        ["иванов", "5"],
        ["петров", "4"],
        ["Сидорова", "3"],
      ],
      [],
    ],
    ["Иванов И. 5", [["Иванов И.", "5"]], []],
    ["Иванов 5, Петров", [["Иванов", "5"]], ["Петров"]],
  ])("reads %j", (line, items, unreadable) => {
    const r = parseMarksLine(line);
    expect(r.items.map((i) => [i.name, i.value])).toEqual(items);
    expect(r.unreadable).toEqual(unreadable);
  });

  it("tells a marks line from other text", () => {
    expect(looksLikeMarks("Иванов 5")).toBe(true);
    expect(looksLikeMarks("Сидорова н")).toBe(true);
    expect(looksLikeMarks("привет")).toBe(false);
    expect(looksLikeMarks("Иванов пять")).toBe(false);
  });

  it.each([
    ["Иванов", [1]],
    ["иван", [1, 2]],
    ["ИВАНОВА", [2]],
    ["королев", [3]],
    ["Кор", [3]],
    ["Иванов М", [2]],
    ["Сидоров", []],
  ])("matches %s by prefix, case-insensitive, ё = е, exact surname first", (name, ids) => {
    expect(matchPupils(name, pupils).map((p) => p.pupilId)).toEqual(ids);
  });
});

describe("/today with a day", () => {
  it.each([
    ["", "2026-11-24"],
    ["вчера", "2026-11-23"],
    ["23.11", "2026-11-23"],
    ["15.05", "2027-05-15"],
    ["01.09", "2026-09-01"],
    ["32.13", null],
    ["завтра-послезавтра", null],
  ])("%j → %s", (arg, day) => {
    expect(dayFromArg("2026-11-24", arg)).toBe(day);
  });
});
