import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type ExcelJS from "exceljs";

// ExcelJS is loaded on the first spreadsheet, not at start (it weighs ~28 MB).
const excel = async () => (await import("exceljs")).default;

import { validation } from "./errors.js";
import { safeCell, unsafeCell } from "./rules/spreadsheet.js";

/**
 * Tables in and out of the journal (class lists, timetables, topic plans): CSV as Russian Excel
 * writes it (";" or ",", UTF-8 with or without BOM) and XLSX. Columns are found by their header,
 * Russian or English, so a school may reorder them.
 */
export type TableFormat = "csv" | "xlsx";

export interface Column {
  key: string;
  /** Header as written in our exports; any of `aliases` is accepted on import too. */
  title: string;
  aliases?: string[];
}

export interface TableRow {
  /** 1-based line/row number as the user sees it in the file (the header is row 1). */
  row: number;
  cells: Record<string, string>;
}

export const MAX_IMPORT_ROWS = 5000;

const norm = (s: string) => s.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("text" in value) return String(value.text);
    if ("result" in value)
      return value.result === undefined ? "" : cellText(value.result as ExcelJS.CellValue);
    return "";
  }
  return String(value);
}

async function readRaw(format: TableFormat, data: Buffer): Promise<string[][]> {
  if (format === "csv") {
    try {
      return parse(data, {
        bom: true,
        delimiter: [";", ",", "\t"],
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      }) as string[][];
    } catch (e) {
      throw validation(`Не удалось прочитать CSV: ${(e as Error).message}. Сохраните файл как CSV (UTF-8).`);
    }
  }
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    throw validation("Не удалось прочитать XLSX: сохраните файл в формате Excel (.xlsx).");
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw validation("В файле XLSX нет ни одного листа.");
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values = row.values as ExcelJS.CellValue[];
    rows.push(values.slice(1).map((v) => cellText(v).trim()));
  });
  return rows;
}

/** Reads a table and maps its columns by header; a missing required column refuses the file. */
export async function readTable(
  format: TableFormat,
  data: Buffer,
  columns: readonly Column[],
  required: readonly string[],
): Promise<TableRow[]> {
  const raw = await readRaw(format, data);
  const header = raw[0];
  if (!header) throw validation("Файл пуст: первая строка должна содержать заголовки столбцов.");
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const col = columns.find((c) => [c.title, c.key, ...(c.aliases ?? [])].some((n) => norm(n) === norm(h)));
    if (col && !index.has(col.key)) index.set(col.key, i);
  });
  const missing = columns.filter((c) => required.includes(c.key) && !index.has(c.key));
  if (missing.length) {
    throw validation(`В файле нет столбцов: ${missing.map((c) => `«${c.title}»`).join(", ")}.`, {
      expected: columns.map((c) => c.title),
    });
  }
  if (raw.length - 1 > MAX_IMPORT_ROWS) {
    throw validation(`Слишком много строк: не больше ${MAX_IMPORT_ROWS} за один импорт.`);
  }
  const rows: TableRow[] = [];
  raw.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c === "")) return;
    const rec: Record<string, string> = {};
    for (const [key, at] of index) rec[key] = unsafeCell(cells[at] ?? "");
    rows.push({ row: i + 2, cells: rec });
  });
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
