import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** One piece of text on a PDF page with its box in points, origin at the page's bottom left. */
export interface PdfText {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PdfPage {
  width: number;
  height: number;
  items: PdfText[];
}

/** Every text item of every page with its position, as pdf.js reads them. */
export async function pdfPages(pdf: Buffer): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false })
    .promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const { width, height } = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items: PdfText[] = [];
    for (const it of content.items) {
      if (!("str" in it) || it.str.trim() === "") continue;
      items.push({ str: it.str, x: it.transform[4], y: it.transform[5], width: it.width, height: it.height });
    }
    pages.push({ width, height, items });
  }
  await doc.destroy();
  return pages;
}

/**
 * Text that leaves the printable area: closer than `margin` points (5 mm by default, what
 * office printers cannot print) to any edge of its page.
 */
export function outsidePrintable(pages: PdfPage[], margin = 14): string[] {
  return pages.flatMap((p, i) =>
    p.items
      .filter(
        (t) =>
          t.x < margin ||
          t.x + t.width > p.width - margin ||
          t.y < margin ||
          t.y + t.height > p.height - margin,
      )
      .map(
        (t) =>
          `page ${i + 1}: «${t.str}» at x ${t.x.toFixed(1)}–${(t.x + t.width).toFixed(1)}, y ${t.y.toFixed(1)}`,
      ),
  );
}

/** The words of a PDF's text, in reading order per item. */
export const pdfWords = (pages: PdfPage[]) =>
  new Set(pages.flatMap((p) => p.items.flatMap((t) => t.str.split(/\s+|(?<=[/-])/).filter(Boolean))));

/** The whole text, items joined by spaces (for phrase checks). */
export const pdfText = (pages: PdfPage[]) => pages.map((p) => p.items.map((t) => t.str).join(" ")).join("\n");

/**
 * Renders page `page` of a PDF to a PNG in the git-ignored `.tmp/artifacts` folder with
 * poppler's pdftoppm (apt-get install poppler-utils), so a person can look at it. Returns the path.
 */
export function renderPageToPng(pdf: Buffer, stem: string, page = 1, dpi = 110): string {
  const dir = path.resolve(".tmp/artifacts");
  mkdirSync(dir, { recursive: true });
  const source = path.join(dir, `${stem}.pdf`);
  writeFileSync(source, pdf);
  const out = path.join(dir, `${stem}-p${page}`);
  execFileSync("pdftoppm", [
    "-png",
    "-r",
    String(dpi),
    "-f",
    String(page),
    "-l",
    String(page),
    "-singlefile",
    source,
    out,
  ]);
  return `${out}.png`;
}
