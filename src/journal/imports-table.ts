import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type ExcelJS from "exceljs";

// ExcelJS is loaded on the first spreadsheet, not at start (it weighs ~28 MB).
const excel = async () => (await import("exceljs")).default;

import { validation } from "./errors.js";
import {
  binaryShare,
  decodeCandidates,
  sniffKind,
  spreadsheetDate,
  type TextEncoding,
} from "./imports-decode.js";
import { safeCell, unsafeCell } from "./rules/spreadsheet.js";

/**
 * Tables in and out of the journal (class lists, timetables, topic plans). Reading takes files as
 * offices save them: CSV in any encoding imports-decode.ts knows with «;», «,» or tab between
 * cells, XLSX whatever the upload said it was; title rows above the header, merged cells and
 * spreadsheet dates. Columns are found by their header, Russian or English, so a school may
 * reorder them. A file that cannot be read is refused with the reason (encoding, no header row,
 * an old .xls), not with a list of "missing" columns that are there.
 */
export type TableFormat = "csv" | "xlsx";

export interface Column {
  key: string;
  /** Header as written in our exports; any of `aliases` is accepted on import too. */
  title: string;
  aliases?: string[];
}

export interface TableRow {
  /** 1-based row number as the user sees it in the file (title rows above the header count). */
  row: number;
  cells: Record<string, string>;
}

export const MAX_IMPORT_ROWS = 5000;
/** How far down the header row is looked for (title rows, a school's name, a date above it). */
export const HEADER_SEARCH_ROWS = 30;

/** A header cell compared: case, ё, spaces, a required-field star, a colon, a note in brackets. */
const norm = (s: string) =>
  s
    .replace(/\([^)]*\)/g, " ")
    .replace(/[*:]/g, " ")
    .trim()
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/\s+/g, " ");

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return spreadsheetDate(value);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("text" in value) return String(value.text);
    if ("result" in value)
      return value.result === undefined ? "" : cellText(value.result as ExcelJS.CellValue);
    return "";
  }
  return String(value);
}

interface Sheet {
  rows: string[][];
  /** How the text was read, for the messages (CSV only). */
  encoding?: TextEncoding;
  delimiter?: string;
  /** The decoded file (CSV only). */
  text?: string;
}

const DELIMITERS = [";", ",", "\t"] as const;
const DELIMITER_NAMES: Record<string, string> = { ";": "«;»", ",": "«,»", "\t": "табуляция" };

function parseCsv(text: string, delimiter: string): string[][] | null {
  try {
    return parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][];
  } catch {
    return null;
  }
}

/** The first lines of a text: enough to find the header row and tell the separator. */
const headOf = (text: string) => {
  if (text.length <= 65_536) return text;
  const cut = text.lastIndexOf("\n", 65_536);
  return text.slice(0, cut > 0 ? cut : 65_536);
};

/**
 * Every reading of a CSV file worth trying — each likely encoding with each separator — over
 * its first lines only; the one chosen is then parsed whole (`wholeCsv`).
 */
function csvReadings(data: Buffer): Sheet[] {
  const readings: Sheet[] = [];
  for (const { text, encoding } of decodeCandidates(data)) {
    if (binaryShare(text) > 0.01) continue;
    for (const delimiter of DELIMITERS) {
      const rows = parseCsv(headOf(text), delimiter);
      if (rows) readings.push({ rows, encoding, delimiter, text });
    }
  }
  return readings;
}

function wholeCsv(sheet: Sheet): Sheet {
  if (!sheet.text || !sheet.delimiter || sheet.text.length <= 65_536) return sheet;
  const rows = parseCsv(sheet.text, sheet.delimiter);
  if (!rows) throw validation("Не удалось прочитать CSV: проверьте кавычки в ячейках.", { reason: "csv" });
  return { ...sheet, rows };
}

async function xlsxSheets(data: Buffer): Promise<Sheet[]> {
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    throw validation(
      "Не удалось прочитать XLSX: файл повреждён. Сохраните его в Excel как «Книга Excel (.xlsx)».",
      {
        reason: "broken_xlsx",
      },
    );
  }
  if (wb.worksheets.length === 0)
    throw validation("В файле XLSX нет ни одного листа.", { reason: "no_sheets" });
  return wb.worksheets.map((sheet) => {
    const rows: string[][] = [];
    // Row numbers as Excel shows them; a merged cell gives its value to every cell it covers.
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values = row.values as ExcelJS.CellValue[];
      rows[row.number - 1] = values.slice(1).map((v) => cellText(v).trim());
    });
    return { rows: Array.from(rows, (r) => r ?? []) };
  });
}

interface Header {
  sheet: Sheet;
  /** 0-based index of the header row. */
  at: number;
  index: Map<string, number>;
}

/** The row among the first ones that names the most known columns (0 when none does). */
function findHeader(sheet: Sheet, columns: readonly Column[]): Header {
  let best: Header = { sheet, at: -1, index: new Map() };
  const names = columns.map((c) => ({ key: c.key, names: [c.title, c.key, ...(c.aliases ?? [])].map(norm) }));
  for (let at = 0; at < Math.min(sheet.rows.length, HEADER_SEARCH_ROWS); at++) {
    const index = new Map<string, number>();
    (sheet.rows[at] ?? []).forEach((cell, i) => {
      const h = norm(cell);
      if (!h) return;
      const col = names.find((c) => c.names.includes(h));
      if (col && !index.has(col.key)) index.set(col.key, i);
    });
    if (index.size > best.index.size) best = { sheet, at, index };
  }
  return best;
}

/** Why no header row was found, in Russian: the encoding, the format or the header itself. */
function noHeader(kind: "csv" | "xlsx", columns: readonly Column[], required: readonly string[]): never {
  const titles = columns
    .filter((c) => required.includes(c.key))
    .map((c) => `«${c.title}»`)
    .join(", ");
  throw validation(
    `Не найдена строка заголовков: в первых ${HEADER_SEARCH_ROWS} строках ${kind === "csv" ? "файла" : "листов книги"} нет столбцов ${titles}. ` +
      "Над данными должна быть строка с названиями столбцов, как в выгрузке этого вида." +
      (kind === "csv"
        ? " Если заголовки в файле есть, но здесь не узнаны, сохраните таблицу в Excel как «CSV UTF-8 (разделитель — запятая)»."
        : ""),
    { reason: "header_not_found", expected: columns.map((c) => c.title) },
  );
}

/**
 * Reads a table and maps its columns by header. `format` is what the upload said; the bytes
 * decide (an XLSX sent as CSV is read as XLSX). Refuses, in Russian with `details.reason`: an
 * old .xls, a binary file, no header row, a header without a required column, too many rows.
 */
export async function readTable(
  format: TableFormat,
  data: Buffer,
  columns: readonly Column[],
  required: readonly string[],
): Promise<TableRow[]> {
  const kind = sniffKind(data);
  if (kind === "xls") {
    throw validation(
      "Файл в старом формате Excel 97–2003 (.xls): сохраните его в Excel как «Книга Excel (.xlsx)» или «CSV UTF-8».",
      { reason: "xls" },
    );
  }
  if (data.length === 0) throw validation("Файл пуст.", { reason: "empty" });
  const sheets = kind === "xlsx" ? await xlsxSheets(data) : csvReadings(data);
  if (sheets.length === 0) {
    throw validation(
      format === "xlsx"
        ? "Не удалось прочитать XLSX: это не книга Excel. Сохраните файл в Excel как «Книга Excel (.xlsx)» или «CSV UTF-8»."
        : "Файл не похож на таблицу CSV: в нём двоичные данные или неизвестная кодировка. Сохраните таблицу как «CSV UTF-8» или загрузите .xlsx.",
      { reason: format === "xlsx" ? "broken_xlsx" : "encoding" },
    );
  }
  // The reading (sheet, encoding, separator) whose header row names the most columns wins.
  const header = sheets
    .map((sheet) => findHeader(sheet, columns))
    .reduce((a, b) => (b.index.size > a.index.size ? b : a));
  if (header.index.size === 0) {
    if (kind === "text" && format === "xlsx" && !header.sheet.rows.some((r) => r.length > 1))
      throw validation(
        "Не удалось прочитать XLSX: это не книга Excel. Сохраните файл в Excel как «Книга Excel (.xlsx)» или «CSV UTF-8».",
        { reason: "broken_xlsx" },
      );
    noHeader(kind === "xlsx" ? "xlsx" : "csv", columns, required);
  }
  const { index, at } = header;
  const sheet = wholeCsv(header.sheet);
  const missing = columns.filter((c) => required.includes(c.key) && !index.has(c.key));
  if (missing.length) {
    const how = sheet.delimiter
      ? ` (строка заголовков — ${at + 1}-я, разделитель ${DELIMITER_NAMES[sheet.delimiter]})`
      : ` (строка заголовков — ${at + 1}-я)`;
    throw validation(`В файле нет столбцов: ${missing.map((c) => `«${c.title}»`).join(", ")}${how}.`, {
      reason: "missing_columns",
      expected: columns.map((c) => c.title),
      headerRow: at + 1,
      ...(sheet.encoding ? { encoding: sheet.encoding } : {}),
    });
  }
  const body = sheet.rows.slice(at + 1);
  const rows: TableRow[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => c === "")) return;
    const rec: Record<string, string> = {};
    for (const [key, col] of index) rec[key] = unsafeCell(cells[col] ?? "");
    rows.push({ row: at + i + 2, cells: rec });
  });
  if (rows.length > MAX_IMPORT_ROWS) {
    throw validation(`Слишком много строк: не больше ${MAX_IMPORT_ROWS} за один импорт.`, {
      reason: "too_many_rows",
    });
  }
  return rows;
}

export async function writeTable(
  format: TableFormat,
  columns: readonly Column[],
  rows: readonly Record<string, string | number | null | undefined>[],
  sheetName = "Лист1",
): Promise<Buffer> {
  // Rows echo what a school uploaded: formula-like text is neutralised before Excel sees it.
  const matrix = [
    columns.map((c) => c.title),
    ...rows.map((r) => columns.map((c) => safeCell(r[c.key] ?? ""))),
  ];
  if (format === "csv") {
    // BOM + ";" so that Excel with a Russian locale opens it as a table with Cyrillic intact.
    return Buffer.from(`\uFEFF${stringify(matrix, { delimiter: ";" })}`, "utf8");
  }
  const wb = new (await excel()).Workbook();
  const sheet = wb.addWorksheet(sheetName);
  for (const r of matrix) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c) => {
    c.width = 18;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
