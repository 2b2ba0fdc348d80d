/**
 * What a keystroke sequence typed into a journal cell means, and how a cell looks. Pure: no rule
 * of marks is decided here — a mark's value goes to the server as typed and the core accepts or
 * refuses it (its Russian message is shown on the cell). Only the attendance shorthands are read
 * here, because they go to a different endpoint.
 */
export type CellEntry =
  | { kind: "mark"; value: string }
  | { kind: "absent" }
  | { kind: "late" }
  | { kind: "present" }
  | { kind: "none" };

const ABSENT = new Set(["н", "n", "нб"]);
const LATE = new Set(["оп", "о", "op", "опозд", "опоздал"]);
const PRESENT = new Set(["+", "п", "был"]);

/**
 * Reads a cell's text: «н» — absent, «оп» — late, «+» — present (clears «н»/«оп»), empty — nothing
 * to save; anything else is a mark for the core to judge («5», «4/5», «6»…). Spaces around a slash
 * are dropped («4 / 5» is «4/5»), so what the teacher sees is what is sent.
 */
export function parseCellEntry(text: string): CellEntry {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/\s*\/\s*/g, "/");
  if (t === "") return { kind: "none" };
  if (ABSENT.has(t)) return { kind: "absent" };
  if (LATE.has(t)) return { kind: "late" };
  if (PRESENT.has(t)) return { kind: "present" };
  return { kind: "mark", value: t };
}

/** A key that starts typing into a cell (a digit, a letter, «/», «+», «-»), not a command key. */
export const startsEntry = (key: string, ctrl = false): boolean =>
  !ctrl && key.length === 1 && /[\p{L}\p{N}/+-]/u.test(key);

export type Move = "up" | "down" | "left" | "right" | null;

/** Where the cursor goes after a key in the grid: Enter goes down (as on paper, pupil after pupil). */
export function moveFor(key: string, shift = false): Move {
  switch (key) {
    case "ArrowUp":
      return "up";
    case "ArrowDown":
    case "Enter":
      return shift && key === "Enter" ? "up" : "down";
    case "ArrowLeft":
      return "left";
    case "ArrowRight":
      return "right";
    case "Tab":
      return shift ? "left" : "right";
    default:
      return null;
  }
}

/** The next active cell, kept inside the grid. */
export function step(pos: { row: number; col: number }, move: Move, rows: number, cols: number) {
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max - 1, v));
  switch (move) {
    case "up":
      return { row: clamp(pos.row - 1, rows), col: pos.col };
    case "down":
      return { row: clamp(pos.row + 1, rows), col: pos.col };
    case "left":
      return { row: pos.row, col: clamp(pos.col - 1, cols) };
    case "right":
      return { row: pos.row, col: clamp(pos.col + 1, cols) };
    default:
      return pos;
  }
}

/** A cell's state as the grid draws it. */
export type CellState = "empty" | "filled" | "locked" | "saving" | "refused";

export interface CellFacts {
  mark?: { value: string; value2: string | null; locked: boolean } | null;
  attendance?: { kind: "ABSENT" | "LATE" } | null;
  draft?: { text: string; status: "saving" | "refused"; message?: string } | null;
}

/** What a cell shows and how it is marked: a draft over the saved value until the server answers. */
export function cellView(facts: CellFacts): { text: string; state: CellState; message?: string } {
  if (facts.draft) {
    return { text: facts.draft.text, state: facts.draft.status, message: facts.draft.message };
  }
  const mark = facts.mark
    ? facts.mark.value2
      ? `${facts.mark.value}/${facts.mark.value2}`
      : facts.mark.value
    : "";
  const att = facts.attendance?.kind === "ABSENT" ? "н" : facts.attendance?.kind === "LATE" ? "оп" : "";
  const text = [mark, att].filter(Boolean).join(" ");
  if (!text) return { text: "", state: "empty" };
  return { text, state: facts.mark?.locked ? "locked" : "filled" };
}
