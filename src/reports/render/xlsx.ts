import ExcelJS from "exceljs";
import { safeCell, safeRow } from "../../journal/rules/spreadsheet.js";
import type { ReportDocument } from "../document.js";

/** Sheet names: ≤31 characters, none of []:*?/\ and unique in the book. */
function sheetName(title: string, used: Set<string>): string {
  const base =
    title
      .replace(/[[\]:*?/\\]/g, " ")
      .slice(0, 31)
      .trim() || "Лист";
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base.slice(0, 27)} (${i})`;
  used.add(name);
  return name;
}

/**
 * One sheet per table: the document's title rows, then the headers and the rows; numbers stay
 * numbers, formula-like text is neutralised (safeCell).
 */
export async function renderXlsx(doc: ReportDocument): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Журнал";
  const used = new Set<string>();
  for (const t of doc.tables) {
    const sheet = book.addWorksheet(sheetName(t.title, used), {
      pageSetup: {
        orientation: doc.orientation,
        paperSize: 9,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      },
    });
    sheet.addRow([safeCell(doc.title)]).font = { bold: true, size: 13 };
    for (const s of doc.subtitle) sheet.addRow([safeCell(s)]);
    sheet.addRow([safeCell(t.title)]).font = { bold: true };
    const header = sheet.addRow(safeRow(t.headers));
    header.font = { bold: true };
    for (const row of t.rows) sheet.addRow(safeRow(row));
    if (t.totalsRow) sheet.lastRow!.font = { bold: true };
    sheet.columns.forEach((col, i) => {
      const longest = Math.max(t.headers[i]?.length ?? 0, ...t.rows.map((r) => String(r[i] ?? "").length));
      col.width = Math.min(50, Math.max(4, longest + 2));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The header row index (1-based) of a table sheet, for readers of these files. */
export const xlsxHeaderRow = (doc: Pick<ReportDocument, "subtitle">) => doc.subtitle.length + 3;
