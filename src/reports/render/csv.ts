import { stringify } from "csv-stringify/sync";
import { safeRow } from "../../journal/rules/spreadsheet.js";
import type { ReportDocument } from "../document.js";

/**
 * CSV of a document: UTF-8 with a BOM so that Excel opens Cyrillic correctly, ";" as separator
 * (Russian locale Excel), decimal comma kept out of numbers (they are written with a dot).
 * Several tables follow each other, each introduced by its title line. Formula-like text is
 * neutralised (safeCell).
 */
export function renderCsv(doc: ReportDocument): string {
  const parts = doc.tables.map((t) => {
    const lines = [...(doc.tables.length > 1 ? [[t.title]] : []), t.headers, ...t.rows];
    return stringify(lines.map(safeRow), { delimiter: ";" });
  });
  return `\uFEFF${parts.join("\n")}`;
}
