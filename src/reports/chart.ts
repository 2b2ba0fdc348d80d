import { Resvg } from "@resvg/resvg-js";
import { ddmm } from "./document.js";
import { robotoFiles } from "./render/fonts.js";

/**
 * The progress dynamics chart: marks as dots, the running weighted average as a line, the
 * forecast as a dashed line to the period's end. Drawn as SVG and rasterised with resvg (no
 * browser); the bot sends the PNG with sendPhoto and the PDF embeds it.
 */
export interface ChartInput {
  title: string;
  points: { date: string; marks: number[]; average: number | null }[];
  forecast?: { date: string; average: number } | null;
  from: string;
  to: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const W = 800;
const H = 400;
const L = 50;
const R = 20;
const T = 40;
const B = 40;

function dayNumber(iso: string) {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

export function dynamicsSvg(input: ChartInput): string {
  const x0 = dayNumber(input.from);
  const span = Math.max(1, dayNumber(input.to) - x0);
  const x = (iso: string) => L + ((dayNumber(iso) - x0) / span) * (W - L - R);
  const y = (v: number) => T + ((5 - v) / 4) * (H - T - B);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Roboto">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${L}" y="24" font-size="16" fill="#222">${esc(input.title)}</text>`,
  ];
  for (let v = 1; v <= 5; v++) {
    parts.push(
      `<line x1="${L}" y1="${y(v)}" x2="${W - R}" y2="${y(v)}" stroke="#dddddd"/>`,
      `<text x="${L - 14}" y="${y(v) + 5}" font-size="13" fill="#555">${v}</text>`,
    );
  }
  parts.push(
    `<text x="${L}" y="${H - 12}" font-size="12" fill="#555">${ddmm(input.from)}</text>`,
    `<text x="${W - R - 36}" y="${H - 12}" font-size="12" fill="#555">${ddmm(input.to)}</text>`,
  );
  const avg = input.points.filter((p) => p.average !== null);
  if (avg.length > 0) {
    const d = avg
      .map((p, i) => `${i ? "L" : "M"}${x(p.date).toFixed(1)},${y(p.average!).toFixed(1)}`)
      .join(" ");
    parts.push(`<path d="${d}" fill="none" stroke="#1f6feb" stroke-width="2.5"/>`);
    const last = avg.at(-1)!;
    if (input.forecast) {
      parts.push(
        `<line x1="${x(last.date)}" y1="${y(last.average!)}" x2="${x(input.forecast.date)}" y2="${y(
          Math.min(5, Math.max(1, input.forecast.average)),
        )}" stroke="#d97706" stroke-width="2" stroke-dasharray="6 5"/>`,
      );
    }
  }
  for (const p of input.points) {
    for (const m of p.marks) {
      parts.push(`<circle cx="${x(p.date).toFixed(1)}" cy="${y(m).toFixed(1)}" r="4.5" fill="#16a34a"/>`);
    }
  }
  parts.push(
    `<text x="${W - R - 300}" y="24" font-size="12" fill="#1f6feb">— средний балл</text>`,
    `<text x="${W - R - 190}" y="24" font-size="12" fill="#16a34a">● отметки</text>`,
    `<text x="${W - R - 110}" y="24" font-size="12" fill="#d97706">- - прогноз</text>`,
    "</svg>",
  );
  return parts.join("\n");
}

/** PNG of the dynamics chart (800×400), ready for Telegram's sendPhoto or a PDF. */
export function dynamicsChartPng(input: ChartInput): Buffer {
  const fonts = robotoFiles();
  const resvg = new Resvg(dynamicsSvg(input), {
    font: { fontFiles: [fonts.normal], loadSystemFonts: false, defaultFontFamily: "Roboto" },
    background: "#ffffff",
  });
  return Buffer.from(resvg.render().asPng());
}
