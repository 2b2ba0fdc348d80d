import { describe, expect, it } from "vitest";
import {
  explainAverage,
  markToLift,
  roundToMark,
  type WeightedMark,
  weightedAverage,
} from "../../src/journal/rules/averages.js";

const m = (value: string, weight = 1, formName: string | null = null): WeightedMark => {
  const [a, b] = value.split("/");
  return { value: a!, value2: b ?? null, weight, formName };
};
const control = (v: string) => m(v, 3, "Контрольная работа");

describe("weightedAverage (003 §5.2)", () => {
  it.each([
    ["no marks", [], null],
    ["plain marks", [m("5"), m("4"), m("4")], 4.33],
    ["a weighted control work", [control("5"), m("4"), m("4")], 4.6],
    ["a double mark counts twice with its weight", [m("4/5", 2), m("3")], 4.2],
    ["all fives", [m("5"), control("5")], 5],
    ["a two among fives", [m("2", 2), m("5"), m("5")], 3.5],
  ])("%s → %s", (_name, marks, expected) => {
    expect(weightedAverage(marks)).toBe(expected);
  });
});

describe("roundToMark: half and above rounds up", () => {
  it.each([
    [4.5, 5],
    [4.49, 4],
    [3.5, 4],
    [2.51, 3],
    [4.0, 4],
  ])("%s → %s", (avg, mark) => {
    expect(roundToMark(avg)).toBe(mark);
  });
});

describe("explainAverage", () => {
  it.each([
    ["plain marks", [m("5"), m("4"), m("4")], "4,33: 5, 4, 4"],
    ["with a weighted form", [control("5"), m("4"), m("4")], "4,60: 5 (Контрольная работа ×3), 4, 4"],
    ["a double dictation", [m("4/5", 2, "Диктант"), m("3")], "4,20: 4/5 (Диктант ×2), 3"],
    ["nothing yet", [], "Отметок пока нет."],
  ])("%s", (_name, marks, expected) => {
    expect(explainAverage(marks)).toBe(expected);
  });
});

describe("markToLift: the lowest single mark that reaches the next whole mark", () => {
  it.each([
    // 4,33 → 4; a 5 of weight 1 gives 4,50 → 5.
    ["a five lifts 4,33 to 5", [m("5"), m("4"), m("4")], 1, { mark: "5", target: 5, average: 4.5 }],
    // 3,00 → 3; a 4 gives 3,33 (still 3), a 5 gives 3,67 → 4.
    ["needs a five", [m("3"), m("3"), m("3")], 1, { mark: "5", target: 4, average: 3.5 }],
    // 2,0 → 2; weight 3: a 3 gives (2+9)/4 = 2,75 → 3.
    ["a heavier three lifts a two", [m("2")], 3, { mark: "3", target: 3, average: 2.75 }],
    ["nothing lifts a five", [m("5"), m("5")], 1, null],
    ["one light mark cannot lift many twos", [m("2", 3), m("2", 3), m("2", 3), m("2")], 1, null],
    ["no marks, nothing to lift", [], 1, null],
  ] as const)("%s", (_name, marks, weight, expected) => {
    expect(markToLift(marks, weight)).toEqual(expected);
  });
});
