import ExcelJS from "exceljs";
import { safeCell, safeRow } from "../../journal/rules/spreadsheet.js";
import { type ReportDocument, russianDate } from "../document.js";

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

/** The lines above every table: school, title, class and period, subtitles, the day it was made. */
export const xlsxTitleRows = (doc: ReportDocument) => [
  ...(doc.school ? [doc.school] : []),
  doc.title,
  `Класс: ${doc.class}. Период: ${doc.period.replace(/\.$/, "")}.`,
  ...doc.subtitle,
  ...(doc.madeOn ? [`Дата составления: ${russianDate(doc.madeOn)}`] : []),
];

/**
 * One sheet per table: the document's title rows, then the headers and the rows. Numbers stay
 * numbers (single marks too, so Excel averages them); the header row is frozen with the key
 * columns and repeats on every printed page; the page is set up in the document's orientation,
 * fitted to one page wide. Formula-like text is neutralised (safeCell).
 */
export async function renderXlsx(doc: ReportDocument): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Журнал";
  const used = new Set<string>();
  for (const t of doc.tables) {
    const titles = xlsxTitleRows(doc);
    const headerRow = titles.length + 2;
    const sheet = book.addWorksheet(sheetName(t.title, used), {
      pageSetup: {
        orientation: doc.orientation,
        paperSize: 9,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${headerRow}:${headerRow}`,
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: "&Lстр. &P из &N" },
      views: [{ state: "frozen", ySplit: headerRow, xSplit: t.keyColumns ?? 0 }],
    });
    for (const [i, line] of titles.entries())
      sheet.addRow([safeCell(line)]).font = { bold: i < 2, size: i === 1 ? 13 : 11 };
    sheet.addRow([safeCell(t.title)]).font = { bold: true };
    const header = sheet.addRow(safeRow(t.headers));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: "middle" };
    for (const row of t.rows) sheet.addRow(safeRow(row));
    if (t.totalsRow) sheet.lastRow!.font = { bold: true };
    // Widths in characters: the longest cell, the header's longest word (headers wrap).
    sheet.columns.forEach((col, i) => {
      const headerWord = Math.max(...(t.headers[i] ?? "").split(/\s+/).map((w) => w.length));
      const longest = Math.max(headerWord, ...t.rows.map((r) => String(r[i] ?? "").length));
      col.width = Math.min(50, Math.max(4, longest + 2));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The header row index (1-based) of a table sheet, for readers of these files. */
export const xlsxHeaderRow = (doc: ReportDocument) => xlsxTitleRows(doc).length + 2;
