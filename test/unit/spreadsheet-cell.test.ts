import { describe, expect, it } from "vitest";
import { readTable, writeTable } from "../../src/journal/imports-table.js";
import { isFormulaLike, safeCell, unsafeCell } from "../../src/journal/rules/spreadsheet.js";
import { renderCsv } from "../../src/reports/render/csv.js";

describe("safeCell (spreadsheet formula injection, OWASP)", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+7 (900) 000-00-00", "'+7 (900) 000-00-00"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["＝1+1", "'＝1+1"],
    ['=HYPERLINK("http://x";"Дроби")', '\'=HYPERLINK("http://x";"Дроби")'],
    ["Дроби =1+1", "Дроби =1+1"],
    ["Иванов", "Иванов"],
    ["5/4", "5/4"],
    ["н", "н"],
    ["-5", "-5"],
    ["+3", "+3"],
    ["-4,5", "-4,5"],
    ["-", "-"],
    ["", ""],
    ["'=1+1", "'=1+1"],
  ])("%j → %j", (text, written) => {
    expect(safeCell(text)).toBe(written);
  });

  it.each([[5], [-1], [4.5], [0], [null]])("leaves the non-text cell %j as it is", (value) => {
    expect(safeCell(value)).toBe(value);
  });

  it("reads back what it wrote", () => {
    for (const text of ["=1+1", "@x", "-2+3", "Иванов", "'просто кавычка", "-5"]) {
      expect(unsafeCell(String(safeCell(text)))).toBe(text);
    }
    expect(isFormulaLike("=1")).toBe(true);
    expect(isFormulaLike("1=1")).toBe(false);
  });

  it("guards every cell of a rendered CSV, headers and titles included", () => {
    const csv = renderCsv({
      name: "t",
      title: "=title",
      class: "5А",
      period: "2026/2027 учебный год",
      subtitle: [],
      orientation: "portrait",
      tables: [
        { title: "@one", headers: ["=h", "n"], rows: [["=1+1", 5]] },
        { title: "two", headers: ["a"], rows: [["-1+2"]] },
      ],
    });
    expect(csv).toContain("'@one");
    expect(csv).toContain("'=h;n");
    expect(csv).toContain("'=1+1;5");
    expect(csv).toContain("'-1+2");
  });

  it.each(["csv", "xlsx"] as const)("round-trips an import-shaped %s export", async (format) => {
    const columns = [
      { key: "topic", title: "Тема" },
      { key: "n", title: "Номер" },
    ];
    const body = await writeTable(format, columns, [{ topic: "=1+1", n: 3 }]);
    if (format === "csv") expect(body.toString("utf8")).toContain("'=1+1");
    const rows = await readTable(format, body, columns, ["topic"]);
    expect(rows[0]!.cells.topic).toBe("=1+1");
  });
});
