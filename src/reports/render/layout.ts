import type { Cell, DocTable } from "../document.js";

/**
 * Fitting a table to the page width (pure, given a text measure): every column gets at least
 * its widest unbreakable word, text columns may wrap, and a table that still does not fit is
 * split into column groups printed one after another, each repeating the key columns (№ and the
 * pupil's name), as a paper sheet continues on the next page.
 */
export type Measure = (text: string, bold: boolean) => number;

/** Padding left + right of a cell and one vertical rule, in points (what pdf.ts draws). */
export const CELL_PADDING = 2;
export const RULE = 0.5;
const OVERHEAD = 2 * CELL_PADDING + RULE;

export const cellText = (c: Cell) =>
  c === null ? "" : typeof c === "number" ? c.toFixed(2).replace(".", ",").replace(/,00$/, "") : c;

export interface ColumnNeed {
  /** Narrowest content width (pt) without breaking a word. */
  min: number;
  /** Content width (pt) that shows every cell on one line. */
  max: number;
}

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const widest = (items: string[], measure: Measure, bold: boolean) =>
  items.reduce((w, s) => Math.max(w, measure(s, bold)), 0);

export function columnNeeds(t: DocTable, measure: Measure, available: number): ColumnNeed[] {
  return t.headers.map((header, i) => {
    const cells = t.rows.map((r) => cellText(r[i] ?? null));
    const full = widest(cells, measure, false);
    // A long free text wraps even if not declared so: no single cell may widen a column past
    // a third of the page.
    const wraps = t.wrapColumns?.includes(i) || full > available / 3;
    const cellMin = wraps ? widest(cells.flatMap(words), measure, false) : full;
    const min = Math.max(widest(words(header), measure, true), cellMin);
    const max = Math.max(min, measure(header, true), full);
    return { min, max };
  });
}

export interface ColumnGroup {
  /** Indexes of the columns in this group (key columns first). */
  columns: number[];
  /** Content widths (pt) of those columns. */
  widths: number[];
}

/** Spreads `available` over the columns: minimum first, the rest in proportion to what each lacks. */
export function distribute(needs: ColumnNeed[], available: number): number[] {
  const base = needs.reduce((s, n) => s + n.min + OVERHEAD, RULE);
  const extra = Math.max(0, available - base);
  const lack = needs.reduce((s, n) => s + (n.max - n.min), 0);
  if (lack <= extra) return needs.map((n) => n.max);
  return needs.map((n) => n.min + ((n.max - n.min) * extra) / lack);
}

/** Width a group of columns takes with its padding and rules. */
const groupWidth = (needs: ColumnNeed[]) => needs.reduce((s, n) => s + n.min + OVERHEAD, RULE);

export function layoutColumns(needs: ColumnNeed[], available: number, keyColumns = 0): ColumnGroup[] {
  const all = needs.map((_, i) => i);
  const group = (columns: number[]): ColumnGroup => ({
    columns,
    widths: distribute(
      columns.map((c) => needs[c]!),
      available,
    ),
  });
  if (groupWidth(needs) <= available) return [group(all)];
  const keys = all.slice(0, keyColumns);
  const groups: number[][] = [];
  let current: number[] = [];
  for (const c of all.slice(keyColumns)) {
    const next = [...keys, ...current, c];
    if (current.length > 0 && groupWidth(next.map((i) => needs[i]!)) > available) {
      groups.push(current);
      current = [c];
    } else current.push(c);
  }
  if (current.length) groups.push(current);
  return groups.map((g) => group([...keys, ...g]));
}
