/**
 * Spreadsheet formula injection (OWASP "CSV injection"): a text cell that starts with = + - @,
 * a tab or a carriage return (or their full-width forms, which some spreadsheet programs also
 * read as formulas) is run as a formula when the file is opened or the cell edited — a lesson
 * topic «=HYPERLINK(…)» in a printed journal page would be one. Every CSV and XLSX writer passes
 * its cells through `safeCell`, which puts an apostrophe in front of such text, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
// Plain numbers written as text ("-5", "+3", "4,5") and a lone sign ("-" for "none") are no formulas.
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d+)?)?$/;

/** Whether a text cell would be read as a formula by a spreadsheet program. */
export const isFormulaLike = (text: string) => FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);

/**
 * A cell as it may be written into CSV or XLSX: formula-like text gets a leading apostrophe;
 * numbers, null and other text are returned unchanged (numbers stay numbers).
 */
export function safeCell<T>(value: T): T | string {
  return typeof value === "string" && isFormulaLike(value) ? `'${value}` : value;
}

/** `safeCell` over a row. */
export const safeRow = <T>(row: readonly T[]): (T | string)[] => row.map(safeCell);

/**
 * The reverse for files read back (exports are made to be edited and loaded again): text that
 * `safeCell` marked loses its apostrophe; anything else is returned as it is.
 */
export const unsafeCell = (text: string) =>
  text.startsWith("'") && isFormulaLike(text.slice(1)) ? text.slice(1) : text;
