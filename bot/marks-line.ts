/**
 * Reading a teacher's one-line marks entry: "Иванов 5, Петров 4/5, Сидорова н". Only the text is
 * read here (who and which symbol); whether a symbol is an allowed mark is the core's rule
 * (rules/marks.ts), checked by the caller.
 */
export interface LineItem {
  /** What the teacher typed as the surname (maybe with an initial). */
  name: string;
  value: string;
}

export interface NamedPupil {
  pupilId: number;
  lastName: string;
  firstName: string;
}

/** Lower case, ё → е, no extra spaces: how surnames are compared. */
export const normalizeName = (s: string) =>
  s.toLocaleLowerCase("ru").replace(/ё/g, "е").replace(/\s+/g, " ").trim();

/**
 * The longest text read as a marks line: a Telegram message (4,096 characters). Longer text is
 * not a marks line; the bound keeps every step below linear work on a small input.
 */
export const MARKS_LINE_MAX = 4096;

const isSpace = (ch: string) => /\s/.test(ch);
/** A surname as typed: a letter, then letters, hyphens, apostrophes, dots and spaces. */
const NAME = /^\p{L}[\p{L}\-'. ]*$/u;
const NAME_CHAR = /[\p{L}\-'. ]/u;
const SEPARATORS = "-–—:";

/**
 * One piece ("Петров - 4/5") → name and value, or null. The value is the last word; between the
 * name and it may stand one separator (- – — :) with spaces around. Scans the piece once: a
 * regular expression with a lazy name next to `\s*` and `\s+` took cubic time on long runs of
 * spaces (issue 10, item 7: 20 s of CPU for one 4 KB message).
 */
function readPiece(piece: string): LineItem | null {
  let cut = piece.length;
  while (cut > 0 && !isSpace(piece[cut - 1]!)) cut--;
  if (cut === 0) return null;
  const value = piece.slice(cut);
  const rest = piece.slice(0, cut).trimEnd();
  const last = rest.at(-1);
  if (last !== undefined && SEPARATORS.includes(last)) {
    const shorter = rest.slice(0, -1).trimEnd();
    if (NAME.test(shorter)) return { name: shorter, value };
  }
  return NAME.test(rest) ? { name: rest, value } : null;
}

/** Splits a line into items, or returns the pieces it could not read. Linear in the line's length. */
export function parseMarksLine(line: string): { items: LineItem[]; unreadable: string[] } {
  const items: LineItem[] = [];
  const unreadable: string[] = [];
  if (line.length > MARKS_LINE_MAX) return { items, unreadable: [`${line.slice(0, 40).trim()}…`] };
  for (const raw of line.split(/[,;\n]+/)) {
    const piece = raw.trim();
    if (!piece) continue;
    const item = readPiece(piece);
    if (item) items.push(item);
    else unreadable.push(piece);
  }
  return { items, unreadable };
}

/**
 * True when the text looks like a marks line at all ("Иванов 5", "Петров н"): it starts with a
 * name, a space and a short value (up to 5 characters) ending the first piece, and has a digit
 * or a lone «н». The same test as the expression
 * `^\s*\p{L}[\p{L}\-'. ]*\s+(\S{1,5})\s*([,;]|$)`, done in one pass (that expression was
 * quadratic on long runs of spaces).
 */
export function looksLikeMarks(line: string): boolean {
  if (line.length > MARKS_LINE_MAX) return false;
  if (!/\d|(^|\s)[нН](\s|,|$)/u.test(line)) return false;
  const ch = Array.from(line);
  const n = ch.length;
  // nextSolid[k]: the first index ≥ k that is not a space (n when none).
  const nextSolid = new Int32Array(n + 1).fill(n);
  for (let k = n - 1; k >= 0; k--) nextSolid[k] = isSpace(ch[k]!) ? nextSolid[k + 1]! : k;
  const first = nextSolid[0]!;
  if (first >= n || !/\p{L}/u.test(ch[first]!)) return false;
  // The name runs over name characters; it may end before any space inside or right after it.
  let end = first + 1;
  while (end < n && NAME_CHAR.test(ch[end]!)) end++;
  for (let e = first + 1; e <= end && e < n; e++) {
    if (!isSpace(ch[e]!) || (e > first + 1 && isSpace(ch[e - 1]!))) continue;
    const w = nextSolid[e]!;
    for (let t = 1; t <= 5 && w + t <= n && !isSpace(ch[w + t - 1]!); t++) {
      const after = w + t;
      if (after < n && !isSpace(ch[after]!)) {
        if (ch[after] === "," || ch[after] === ";") return true;
        continue;
      }
      const k = nextSolid[after]!;
      if (k === n || ch[k] === "," || ch[k] === ";") return true;
    }
  }
  return false;
}

/**
 * Pupils a typed name can mean: an exact surname (with the first name's initial when given) wins;
 * otherwise every surname that starts with it, case-insensitive, ё = е.
 */
export function matchPupils(name: string, pupils: readonly NamedPupil[]): NamedPupil[] {
  const [surname = "", initial = ""] = normalizeName(name).replace(/\./g, " ").split(" ");
  const byInitial = (p: NamedPupil) => !initial || normalizeName(p.firstName).startsWith(initial);
  const exact = pupils.filter((p) => normalizeName(p.lastName) === surname && byInitial(p));
  if (exact.length > 0) return exact;
  return pupils.filter((p) => normalizeName(p.lastName).startsWith(surname) && byInitial(p));
}

/** "н", "Н", latin "n": the pupil is absent. */
export const isAbsentSymbol = (value: string) => /^[нНnN]$/.test(value.trim());
