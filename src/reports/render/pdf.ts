import { createRequire } from "node:module";
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { type DocTable, type ReportDocument, russianDate, type Signature } from "../document.js";
import { robotoDir, robotoFiles } from "./fonts.js";
import { CELL_PADDING, cellText, columnNeeds, layoutColumns, type Measure, RULE } from "./layout.js";

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

interface TextMeasurer {
  font(file: string): TextMeasurer;
  fontSize(size: number): TextMeasurer;
  widthOfString(text: string): number;
}
let measurer: TextMeasurer | null = null;
/** Text widths with the same fonts pdfmake draws with (its own pdfkit). */
function measureWith(fontSize: number): Measure {
  if (!measurer) {
    const PDFDocument = createRequire(require.resolve("pdfmake"))("pdfkit") as new (
      o: object,
    ) => TextMeasurer;
    measurer = new PDFDocument({ autoFirstPage: false });
  }
  const m = measurer;
  const files = robotoFiles();
  return (text, bold) =>
    m
      .font(bold ? files.bold : files.normal)
      .fontSize(fontSize)
      .widthOfString(text);
}

/** A4 in points and the margins: 10 mm around, 13 mm at the bottom for the page footer. */
const A4 = { short: 595.28, long: 841.89 };
const MARGIN = { side: 28, top: 34, bottom: 40 };

function tableContent(t: DocTable, available: number): Content[] {
  const fontSize = t.fontSize ?? 8;
  const needs = columnNeeds(t, measureWith(fontSize), available);
  const groups = layoutColumns(needs, available, t.keyColumns ?? 0);
  return groups.flatMap((g, k) => {
    const title = groups.length === 1 ? t.title : `${t.title} (часть ${k + 1} из ${groups.length})`;
    const body = [
      g.columns.map((c) => ({ text: t.headers[c]!, bold: true, fillColor: "#eeeeee" })),
      ...t.rows.map((row, i) =>
        g.columns.map((c) => ({
          text: cellText(row[c] ?? null),
          bold: t.totalsRow === true && i === t.rows.length - 1,
        })),
      ),
    ];
    return [
      { text: title, style: "heading", ...(k > 0 ? { pageBreak: "before" as const } : {}) },
      {
        table: { headerRows: 1, widths: g.widths, body, dontBreakRows: true },
        fontSize,
        layout: {
          paddingLeft: () => CELL_PADDING,
          paddingRight: () => CELL_PADDING,
          paddingTop: () => 1,
          paddingBottom: () => 1,
          hLineWidth: () => RULE,
          vLineWidth: () => RULE,
        },
      },
    ];
  });
}

/** «Классный руководитель ____________ / Иванова М. В. /» and a date line under it. */
function signatureContent(s: Signature): Content {
  return {
    unbreakable: true,
    margin: [0, 16, 0, 0],
    stack: [
      { text: `${s.role} ____________________ / ${s.name ?? "______________________"} /` },
      { text: "«____» ________________ 20____ г.", margin: [0, 6, 0, 0], fontSize: 8 },
    ],
  };
}

/**
 * Renders a document as an A4 PDF with Cyrillic text. The header block names the school, the
 * class, the period and the day it was made; every page has «стр. N из M»; wide tables are laid
 * out to the page (see layout.ts), so no text reaches past the margins.
 */
export async function renderPdf(doc: ReportDocument): Promise<Buffer> {
  const width = doc.orientation === "landscape" ? A4.long : A4.short;
  const available = width - 2 * MARGIN.side;
  const made = doc.madeOn ? russianDate(doc.madeOn) : null;
  const content: Content[] = [
    ...(doc.school ? [{ text: doc.school, style: "school" }] : []),
    { text: doc.title, style: "title" },
    { text: `Класс: ${doc.class}. Период: ${doc.period.replace(/\.$/, "")}.`, style: "subtitle" },
    ...doc.subtitle.map((s) => ({ text: s, style: "subtitle" })),
    ...(made ? [{ text: `Дата составления: ${made}`, style: "subtitle" }] : []),
  ];
  for (const t of doc.tables) content.push(...tableContent(t, available));
  for (const img of doc.images ?? []) {
    content.push({
      image: `data:image/png;base64,${img.png.toString("base64")}`,
      width: Math.min(img.width, available),
      margin: [0, 8, 0, 0],
    });
    if (img.caption) content.push({ text: img.caption, style: "subtitle" });
  }
  for (const s of doc.signatures ?? []) content.push(signatureContent(s));
  const running = [doc.school, `${doc.title}`].filter(Boolean).join(" · ");
  const definition: TDocumentDefinitions = {
    pageSize: "A4",
    pageOrientation: doc.orientation,
    pageMargins: [MARGIN.side, MARGIN.top, MARGIN.side, MARGIN.bottom],
    content,
    defaultStyle: { font: "Roboto", fontSize: 9 },
    styles: {
      school: { fontSize: 10, bold: true, alignment: "center", margin: [0, 0, 0, 6] },
      title: { fontSize: 14, bold: true, margin: [0, 0, 0, 4] },
      subtitle: { fontSize: 9, color: "#333333" },
      heading: { fontSize: 11, bold: true, margin: [0, 10, 0, 4] },
    },
    header: (page) =>
      page === 1
        ? null
        : { text: running, fontSize: 7, color: "#555555", margin: [MARGIN.side, 18, MARGIN.side, 0] },
    footer: (page, pages) => ({
      margin: [MARGIN.side, 14, MARGIN.side, 0],
      fontSize: 7,
      columns: [
        { text: made ? `Сформировано в электронном журнале ${made}` : "", color: "#555555" },
        { text: `стр. ${page} из ${pages}`, alignment: "right" },
      ],
    }),
    info: { title: doc.title, creator: "Журнал" },
  };
  return pdfmake().createPdf(definition).getBuffer();
}
