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

/** Splits a line into items, or returns the pieces it could not read. */
export function parseMarksLine(line: string): { items: LineItem[]; unreadable: string[] } {
  const items: LineItem[] = [];
  const unreadable: string[] = [];
  for (const raw of line.split(/[,;\n]+/)) {
    const piece = raw.trim();
    if (!piece) continue;
    const m = /^(\p{L}[\p{L}\-'. ]*?)\s*[-–—:]?\s+(\S+)$/u.exec(piece);
    if (!m?.[1] || !m[2]) {
      unreadable.push(piece);
      continue;
    }
    items.push({ name: m[1].trim(), value: m[2] });
  }
  return { items, unreadable };
}

/** True when the text looks like a marks line at all ("Иванов 5", "Петров н"). */
export const looksLikeMarks = (line: string) =>
  /^\s*\p{L}[\p{L}\-'. ]*\s+(\S{1,5})\s*([,;]|$)/u.test(line) && /\d|(^|\s)[нН](\s|,|$)/u.test(line);

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
