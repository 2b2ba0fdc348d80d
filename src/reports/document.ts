/**
 * A printable document, independent of its format: the read models build one, and the PDF,
 * XLSX and CSV renderers draw it. Cells are plain strings or numbers so that every format shows
 * the same values (an XLSX re-reads to the numbers the JSON read model has).
 */
export type Cell = string | number | null;

export interface DocTable {
  /** Sheet name in XLSX (≤31 chars) and the heading above the table in PDF. */
  title: string;
  headers: string[];
  rows: Cell[][];
  /** Relative column widths for PDF; "auto" when omitted. */
  widths?: (number | "auto" | "*")[];
  /** Bold last row (totals). */
  totalsRow?: boolean;
  fontSize?: number;
}

export interface ReportDocument {
  /** File-name stem, Latin: "journal-5A-math-q1". */
  name: string;
  title: string;
  subtitle: string[];
  orientation: "portrait" | "landscape";
  tables: DocTable[];
  /** PNG images placed after the tables (charts). */
  images?: { png: Buffer; width: number; caption?: string }[];
  /** Signature lines printed at the end ("Классный руководитель ________"). */
  signatures?: string[];
}

export const fullName = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");

export const className = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;

/** "2026-09-01" → "01.09". */
export const ddmm = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;
/** "2026-09-01" → "01.09.2026". */
export const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/** Average shown the Russian way in documents, numbers kept as numbers in XLSX. */
export const avgCell = (v: number | null): Cell => v;
