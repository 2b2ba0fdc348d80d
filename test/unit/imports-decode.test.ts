import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseClassName, parseDate, parseTime } from "../../src/journal/imports-common.js";
import { decodeCandidates, sniffKind, spreadsheetDate } from "../../src/journal/imports-decode.js";

/** Cells and bytes as offices write them (issue 10, item 14). */
describe("dates in import cells", () => {
  it.each([
    ["24.11.2026", "2026-11-24"],
    ["1.9.2015", "2015-09-01"],
    ["01.09.15", "2015-09-01"],
    ["2015-09-01", "2015-09-01"],
    ["01.09.2015 0:00:00", "2015-09-01"],
    ["2015-09-01 00:00", "2015-09-01"],
    ["42248", "2015-09-01"],
    ["46267", "2026-09-02"],
    ["31.02.2015", null],
    ["2015", null],
    ["сентябрь", null],
  ])("%j → %j", (cell, iso) => {
    expect(parseDate(cell)).toBe(iso);
  });
});

describe("times in import cells", () => {
  it.each([
    ["8:30", "08:30"],
    ["08:30", "08:30"],
    ["8.30", "08:30"],
    ["9:25:00", "09:25"],
    ["0.3541666666666667", "08:30"],
    [".5", "12:00"],
    ["24:00", null],
    ["8-30", null],
  ])("%j → %j", (cell, hhmm) => {
    expect(parseTime(cell)).toBe(hhmm);
  });
  it("a workbook's time cell (Excel's day 0) reads as a time, a date cell as a day", () => {
    expect(spreadsheetDate(new Date(Date.UTC(1899, 11, 30, 8, 30)))).toBe("08:30");
    expect(spreadsheetDate(new Date(Date.UTC(2015, 8, 1)))).toBe("2015-09-01");
    expect(spreadsheetDate(new Date(Date.UTC(2015, 7, 31, 23, 59, 59, 999)))).toBe("2015-09-01");
  });
});

describe("class names", () => {
  it.each([
    ["5А", { grade: 5, letter: "А" }],
    [" 5 а ", { grade: 5, letter: "А" }],
    ["10-Б", { grade: 10, letter: "Б" }],
    ["10 – б", { grade: 10, letter: "Б" }],
    ["12А", null],
    [`5${" ".repeat(4000)}!`, null],
  ])("%j", (cell, parsed) => {
    expect(parseClassName(cell)).toEqual(parsed);
  });
});

describe("file bytes", () => {
  const text = "Класс;Фамилия\r\n5А;Ёлкина\r\n";
  it.each([
    ["utf-8 with BOM", Buffer.from(`\uFEFF${text}`), "utf-8"],
    ["utf-8", Buffer.from(text), "utf-8"],
    [
      "utf-16le with BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, "utf16le")]),
      "utf-16le",
    ],
    ["utf-16le", iconv.encode(text, "utf16le"), "utf-16le"],
    ["utf-16be", iconv.encode(text, "utf16be"), "utf-16be"],
    ["windows-1251", iconv.encode(text, "win1251"), "windows-1251"],
  ])("%s is decoded first as %s", (_name, bytes, encoding) => {
    const [first] = decodeCandidates(bytes);
    expect(first).toEqual({ text, encoding });
  });
  it("a single-byte file is offered as windows-1251, KOI8-R and cp866", () => {
    const readings = decodeCandidates(iconv.encode(text, "koi8-r"));
    expect(readings.map((r) => r.encoding)).toEqual(["windows-1251", "koi8-r", "cp866"]);
    expect(readings[1]!.text).toBe(text);
  });
  it("tells a workbook, an old .xls and text apart by their first bytes", () => {
    expect(sniffKind(Buffer.from("504b030414000000", "hex"))).toBe("xlsx");
    expect(sniffKind(Buffer.from("d0cf11e0a1b11ae1", "hex"))).toBe("xls");
    expect(sniffKind(Buffer.from(text))).toBe("text");
  });
});
