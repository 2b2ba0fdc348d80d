import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/journal/errors.js";
import { assertMarkAllowed, marksRefusal, parseMarkValue } from "../../src/journal/rules/marks.js";

const refusal = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe("validation");
    return (e as DomainError).message;
  }
};

describe("parseMarkValue: only 1–5, or two of them for a written work (002 §5.4–5.5)", () => {
  it.each([
    ["5", { value: "5", value2: null }],
    ["1", { value: "1", value2: null }],
    [" 3 ", { value: "3", value2: null }],
    ["4/5", { value: "4", value2: "5" }],
    ["4 / 5", { value: "4", value2: "5" }],
  ])("accepts %j", (raw, expected) => {
    expect(parseMarkValue(raw)).toEqual(expected);
  });

  it.each([
    ["5+", /только цифру от 1 до 5/],
    ["4-", /без «\+», «−» и точек/],
    ["4.", /только цифру/],
    ["0", /только цифру/],
    ["6", /только цифру/],
    ["", /только цифру/],
    ["4/5/3", /только цифру/],
    ["4/", /только цифру/],
    ["пять", /только цифру/],
    ["н", /отметьте ученика отсутствующим/],
    ["Н", /посещаемости/],
  ])("refuses %j", (raw, message) => {
    expect(refusal(() => parseMarkValue(raw))).toMatch(message);
  });
});

const russian = { name: "Русский язык", graded: true, doubleMarks: true };
const math = { name: "Математика", graded: true, doubleMarks: false };
const odnknr = { name: "ОДНКНР", graded: false, doubleMarks: false };
const dictation = { name: "Диктант", isWritten: true };
const oral = { name: "Ответ на уроке", isWritten: false };
const single = { value: "4", value2: null } as const;
const double = { value: "4", value2: "5" } as const;

describe("assertMarkAllowed", () => {
  it.each([
    ["a single mark in grade 5 math", { grade: 5, subject: math }, single, null],
    ["a single mark without a form", { grade: 5, subject: russian }, single, null],
    ["a double mark for a Russian dictation", { grade: 5, subject: russian, form: dictation }, double, null],
    ["any mark in grade 1", { grade: 1, subject: math }, single, /В 1 классе отметки не ставятся/],
    ["a mark in a subject without marks", { grade: 5, subject: odnknr }, single, /безотметочный предмет/],
    ["a double mark in math", { grade: 5, subject: math, form: dictation }, double, /поставьте одну отметку/],
    ["a double mark without a form", { grade: 5, subject: russian }, double, /укажите форму контроля/],
    ["a double mark for an oral answer", { grade: 5, subject: russian, form: oral }, double, /не письменная/],
  ] as const)("%s", (_name, ctx, parsed, expected) => {
    const message = refusal(() => assertMarkAllowed(ctx, parsed));
    if (expected === null) expect(message).toBeNull();
    else expect(message).toMatch(expected);
  });

  it("marksRefusal says what to do instead", () => {
    expect(marksRefusal({ grade: 1, subject: math })).toMatch(/посещаемость и тему/);
    expect(marksRefusal({ grade: 5, subject: odnknr })).toMatch(/домашнее задание/);
    expect(marksRefusal({ grade: 5, subject: math })).toBeNull();
  });
});
