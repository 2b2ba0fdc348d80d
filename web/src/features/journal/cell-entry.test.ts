import { describe, expect, it } from "vitest";
import { cellView, moveFor, parseCellEntry, startsEntry, step } from "./cell-entry";

describe("parseCellEntry: what a typed cell means", () => {
  it.each([
    ["5", { kind: "mark", value: "5" }],
    [" 4/5 ", { kind: "mark", value: "4/5" }],
    ["4 / 5", { kind: "mark", value: "4/5" }],
    // Not judged here: the core refuses 6, and its message is shown on the cell.
    ["6", { kind: "mark", value: "6" }],
    ["5+", { kind: "mark", value: "5+" }],
    ["н", { kind: "absent" }],
    ["Н", { kind: "absent" }],
    ["n", { kind: "absent" }],
    ["оп", { kind: "late" }],
    ["ОП", { kind: "late" }],
    ["+", { kind: "present" }],
    ["", { kind: "none" }],
    ["   ", { kind: "none" }],
  ])("%j → %j", (text, expected) => {
    expect(parseCellEntry(text)).toEqual(expected);
  });
});

describe("keys", () => {
  it("a digit, a letter or a slash starts typing; command keys and Ctrl+key do not", () => {
    for (const key of ["5", "н", "/", "+"]) expect(startsEntry(key)).toBe(true);
    for (const key of ["Enter", "Tab", "ArrowUp", " ", "F2"]) expect(startsEntry(key)).toBe(false);
    expect(startsEntry("c", true)).toBe(false);
  });

  it.each([
    ["Enter", false, "down"],
    ["Enter", true, "up"],
    ["Tab", false, "right"],
    ["Tab", true, "left"],
    ["ArrowLeft", false, "left"],
    ["ArrowRight", false, "right"],
    ["ArrowUp", false, "up"],
    ["ArrowDown", false, "down"],
    ["x", false, null],
  ] as const)("%s (shift %s) moves %s", (key, shift, move) => {
    expect(moveFor(key, shift)).toBe(move);
  });

  it("the cursor stays inside the grid", () => {
    expect(step({ row: 0, col: 0 }, "up", 3, 4)).toEqual({ row: 0, col: 0 });
    expect(step({ row: 2, col: 3 }, "down", 3, 4)).toEqual({ row: 2, col: 3 });
    expect(step({ row: 2, col: 3 }, "right", 3, 4)).toEqual({ row: 2, col: 3 });
    expect(step({ row: 1, col: 1 }, "left", 3, 4)).toEqual({ row: 1, col: 0 });
    expect(step({ row: 1, col: 1 }, "down", 3, 4)).toEqual({ row: 2, col: 1 });
  });
});

describe("cellView: what a cell shows", () => {
  it("an empty cell, a mark, a double mark, «н», a mark with lateness", () => {
    expect(cellView({})).toEqual({ text: "", state: "empty" });
    expect(cellView({ mark: { value: "5", value2: null, locked: false } })).toEqual({
      text: "5",
      state: "filled",
    });
    expect(cellView({ mark: { value: "4", value2: "5", locked: false } }).text).toBe("4/5");
    expect(cellView({ attendance: { kind: "ABSENT" } })).toEqual({ text: "н", state: "filled" });
    expect(
      cellView({ mark: { value: "3", value2: null, locked: false }, attendance: { kind: "LATE" } }).text,
    ).toBe("3 оп");
  });

  it("a locked mark looks locked", () => {
    expect(cellView({ mark: { value: "4", value2: null, locked: true } }).state).toBe("locked");
  });

  it("a draft shows over the saved value: saving, then refused with the server's message", () => {
    const mark = { value: "4", value2: null, locked: false };
    expect(cellView({ mark, draft: { text: "5", status: "saving" } })).toEqual({
      text: "5",
      state: "saving",
    });
    expect(
      cellView({ mark, draft: { text: "6", status: "refused", message: "Недопустимая отметка" } }),
    ).toEqual({
      text: "6",
      state: "refused",
      message: "Недопустимая отметка",
    });
  });
});
