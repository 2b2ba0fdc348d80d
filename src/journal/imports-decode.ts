import iconv from "iconv-lite";

/**
 * What an uploaded file is and how its text is encoded, as offices save tables: Excel's «CSV UTF-8»
 * (UTF-8 with a BOM), «CSV (разделители — запятые)» in a Russian Windows (windows-1251, «;»),
 * «Текст Юникод» (UTF-16 LE with a BOM, tabs), LibreOffice (UTF-8 without a BOM, any of the three
 * separators), and now and then a KOI8-R or DOS (cp866) file from an old program.
 */
export type FileKind = "xlsx" | "xls" | "text";
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1251" | "koi8-r" | "cp866";

/** By the first bytes: a ZIP is an XLSX workbook, an OLE2 compound file an Excel 97–2003 .xls. */
export function sniffKind(data: Buffer): FileKind {
  if (data.length >= 4 && data.readUInt32BE(0) === 0x504b0304) return "xlsx";
  if (data.length >= 8 && data.readUInt32BE(0) === 0xd0cf11e0 && data.readUInt32BE(4) === 0xa1b11ae1)
    return "xls";
  return "text";
}

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * UTF-16 without a BOM: in Latin and Cyrillic text every other byte is the high byte of a code
 * unit, 0x00 (ASCII, «») or 0x04 (Cyrillic) — bytes that a single-byte text practically never has.
 */
function utf16WithoutBom(data: Buffer): "utf-16le" | "utf-16be" | null {
  const n = Math.min(data.length, 4096) & ~1;
  if (n < 4) return null;
  const high = (b: number | undefined) => b === 0x00 || b === 0x04;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (high(data[i])) even++;
    if (high(data[i + 1])) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.6 && even < pairs * 0.1) return "utf-16le";
  if (even > pairs * 0.6 && odd < pairs * 0.1) return "utf-16be";
  return null;
}

/**
 * The readings of a text file worth trying, most likely first. A BOM decides; otherwise text
 * that is valid UTF-8 is UTF-8 (a windows-1251 file with Cyrillic letters is practically never
 * valid UTF-8), and any other is one of the Russian single-byte code pages: the caller keeps the
 * reading in which it finds the header row.
 */
export function decodeCandidates(data: Buffer): DecodedText[] {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf)
    return [{ text: data.subarray(3).toString("utf8"), encoding: "utf-8" }];
  if (data[0] === 0xff && data[1] === 0xfe)
    return [{ text: iconv.decode(data.subarray(2), "utf-16le"), encoding: "utf-16le" }];
  if (data[0] === 0xfe && data[1] === 0xff)
    return [{ text: iconv.decode(data.subarray(2), "utf-16be"), encoding: "utf-16be" }];
  const wide = utf16WithoutBom(data);
  if (wide) return [{ text: iconv.decode(data, wide), encoding: wide }];
  try {
    return [{ text: utf8.decode(data), encoding: "utf-8" }];
  } catch {
    return (["windows-1251", "koi8-r", "cp866"] as const).map((encoding) => ({
      text: iconv.decode(data, encoding),
      encoding,
    }));
  }
}

/** Share of characters that are not text (controls other than tab and line breaks, U+FFFD). */
export function binaryShare(text: string): number {
  const sample = text.slice(0, 8192);
  if (!sample) return 0;
  const bad = sample.match(/[\p{Cc}\uFFFD]/gu)?.filter((c) => c !== "\t" && c !== "\n" && c !== "\r");
  return (bad?.length ?? 0) / sample.length;
}

/** Excel's day 0 (it counts 1900 as a leap year, so serials from 61 on line up with 30.12.1899). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** An Excel serial day number (42248) → "2015-09-01"; null outside 1927–2173 (five digits). */
export function excelSerialDate(value: string): string | null {
  if (!/^\d{5}(\.0+)?$/.test(value)) return null;
  return new Date(EXCEL_EPOCH_MS + Math.floor(Number(value)) * DAY_MS).toISOString().slice(0, 10);
}

/** A fraction of a day (0.354166… = 08:30), as a time cell without its format gives it. */
export function excelFractionTime(value: string): string | null {
  if (!/^0?\.\d+$/.test(value)) return null;
  const minutes = Math.round(Number(value) * 24 * 60);
  if (minutes >= 24 * 60) return null;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** A spreadsheet's Date: a time of day (Excel's day 0) → "08:30", a day → "2015-09-01". */
export function spreadsheetDate(value: Date): string {
  const ms = value.getTime();
  if (ms >= EXCEL_EPOCH_MS - DAY_MS && ms < EXCEL_EPOCH_MS + DAY_MS) return value.toISOString().slice(11, 16);
  // Dates are whole days; a value a little off midnight (Excel's float) rounds to the nearest.
  return new Date(Math.round(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}
