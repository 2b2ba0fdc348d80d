import { createRequire } from "node:module";
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { Cell, ReportDocument } from "../document.js";
import { robotoDir, robotoFiles } from "./fonts.js";

const require = createRequire(import.meta.url);

interface PdfMake {
  addFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
}

let printer: PdfMake | null = null;
/** The shared pdfmake instance: Roboto with Cyrillic, no network, local files only the fonts. */
export function pdfmake(): PdfMake {
  if (printer) return printer;
  const p = require("pdfmake") as PdfMake;
  const fontDir = robotoDir();
  p.addFonts({ Roboto: robotoFiles() });
  // Documents are built from journal data only: no network, and local files only the fonts.
  p.setUrlAccessPolicy(() => false);
  p.setLocalAccessPolicy((file) => file.startsWith(fontDir));
  printer = p;
  return p;
}

const text = (c: Cell) =>
  c === null ? "" : typeof c === "number" ? c.toFixed(2).replace(".", ",").replace(/,00$/, "") : c;

/** Renders a document as a PDF (A4, portrait or landscape) with Cyrillic text. */
export async function renderPdf(doc: ReportDocument): Promise<Buffer> {
  const content: Content[] = [
    { text: doc.title, style: "title" },
    ...doc.subtitle.map((s) => ({ text: s, style: "subtitle" })),
  ];
  for (const t of doc.tables) {
    content.push({ text: t.title, style: "heading" });
    const body = [
      t.headers.map((h) => ({ text: h, bold: true, fillColor: "#eeeeee" })),
      ...t.rows.map((row, i) =>
        row.map((c) => ({ text: text(c), bold: t.totalsRow === true && i === t.rows.length - 1 })),
      ),
    ];
    content.push({
      table: { headerRows: 1, widths: t.widths ?? t.headers.map(() => "auto"), body, dontBreakRows: true },
      fontSize: t.fontSize ?? 8,
      layout: { paddingLeft: () => 2, paddingRight: () => 2, paddingTop: () => 1, paddingBottom: () => 1 },
    });
  }
  for (const img of doc.images ?? []) {
    content.push({
      image: `data:image/png;base64,${img.png.toString("base64")}`,
      width: img.width,
      margin: [0, 8, 0, 0],
    });
    if (img.caption) content.push({ text: img.caption, style: "subtitle" });
  }
  for (const s of doc.signatures ?? [])
    content.push({ text: `${s} ____________________`, margin: [0, 14, 0, 0] });
  const definition: TDocumentDefinitions = {
    pageSize: "A4",
    pageOrientation: doc.orientation,
    pageMargins: [24, 24, 24, 28],
    content,
    defaultStyle: { font: "Roboto", fontSize: 9 },
    styles: {
      title: { fontSize: 14, bold: true, margin: [0, 0, 0, 4] },
      subtitle: { fontSize: 9, color: "#333333" },
      heading: { fontSize: 11, bold: true, margin: [0, 10, 0, 4] },
    },
    footer: (page, pages) => ({
      text: `${page} / ${pages}`,
      alignment: "right",
      fontSize: 7,
      margin: [0, 8, 24, 0],
    }),
    info: { title: doc.title, creator: "Журнал" },
  };
  return pdfmake().createPdf(definition).getBuffer();
}
