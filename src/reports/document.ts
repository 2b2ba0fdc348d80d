import { fullName } from "../journal/names.js";

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
  /**
   * Columns that identify a row (№, the pupil's name): frozen in XLSX and repeated on every
   * continuation when the PDF has to split a wide table across pages. 0 when omitted.
   */
  keyColumns?: number;
  /** Columns of free text (topics, remarks) that may wrap onto several lines in the PDF. */
  wrapColumns?: number[];
  /** Bold last row (totals). */
  totalsRow?: boolean;
  fontSize?: number;
}

/** A signature line: «Классный руководитель ____________ / Иванова М. В. /». */
export interface Signature {
  role: string;
  /** The signer's printed name («Иванова М. В.»); `who` lets the renderer find it in the school. */
  name?: string | null;
  who?: "DEPUTY" | "DIRECTOR";
}

export interface ReportDocument {
  /** File-name stem, Latin: "journal-5A-math-q1". */
  name: string;
  title: string;
  /** The class the document is about («5А»), or «все классы» for a school-wide one. */
  class: string;
  /** The period it covers, in words: «2 четверть 2026/2027 учебного года», «с 1 сентября 2026 г. по …». */
  period: string;
  subtitle: string[];
  orientation: "portrait" | "landscape";
  tables: DocTable[];
  /** PNG images placed after the tables (charts). */
  images?: { png: Buffer; width: number; caption?: string }[];
  /** Signature lines printed at the end. */
  signatures?: Signature[];
  /** Filled by `renderReport`: the school's full name and the day the document was made (ISO, school time). */
  school?: string;
  madeOn?: string;
}

export { fullName };

export const className = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;

/** "2026-09-01" → "01.09" (column headers of lesson dates, as in the paper journal). */
export const ddmm = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;
/** "2026-09-01" → "01.09.2026". */
export const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

const MONTHS_GENITIVE = [
  "января",
  "февраля",
  "марта",
  "апреля",
  "мая",
  "июня",
  "июля",
  "августа",
  "сентября",
  "октября",
  "ноября",
  "декабря",
];
export const MONTHS_NOMINATIVE = [
  "январь",
  "февраль",
  "март",
  "апрель",
  "май",
  "июнь",
  "июль",
  "август",
  "сентябрь",
  "октябрь",
  "ноябрь",
  "декабрь",
];

/** "2026-09-01" (or "2026-09-01T…") → «1 сентября 2026 г.», the way a printed document dates. */
export function russianDate(iso: string): string {
  const [y, m, d] = [iso.slice(0, 4), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
  return `${d} ${MONTHS_GENITIVE[m - 1]} ${y} г.`;
}

/** «с 1 сентября 2026 г. по 31 мая 2027 г.». */
export const russianRange = (from: string, to: string) => `с ${russianDate(from)} по ${russianDate(to)}`;

/** "2026-11" → «ноябрь 2026». */
export const russianMonth = (ym: string) =>
  `${MONTHS_NOMINATIVE[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;

/** «2026/2027» → «2026/2027 учебный год». */
export const schoolYear = (name: string) => `${name} учебный год`;

/** Average shown the Russian way in documents, numbers kept as numbers in XLSX. */
export const avgCell = (v: number | null): Cell => v;

/**
 * A mark as a cell: a single mark "1"–"5" becomes a number (so a spreadsheet averages it), a
 * double mark ("4/5"), "н/а", "н" or a combination stays text.
 */
export const markCell = (v: string | null | undefined): Cell =>
  v === null || v === undefined ? null : /^[1-5]$/.test(v) ? Number(v) : v;
