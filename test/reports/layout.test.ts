import { describe, expect, it } from "vitest";
import { type ColumnNeed, columnNeeds, layoutColumns } from "../../src/reports/render/layout.js";

// One point per character, bold or not: widths below are easy to count by hand.
const measure = (s: string) => s.length;
const need = (min: number, max = min): ColumnNeed => ({ min, max });

describe("fitting a table to the page width", () => {
  // Each column costs its width + 4.5 pt (padding and rule), plus 0.5 pt for the first rule.
  it.each([
    {
      what: "fits: widths as wide as the content",
      needs: [need(10), need(20, 40)],
      available: 100,
      groups: [{ columns: [0, 1], widths: [10, 40] }],
    },
    {
      what: "fits only narrower: the extra shared in proportion to what each lacks",
      needs: [need(10, 30), need(10, 50)],
      available: 59.5,
      groups: [{ columns: [0, 1], widths: [20, 30] }],
    },
    {
      what: "too wide: continues with the key columns repeated",
      needs: [need(5), need(30), need(40), need(40), need(40)],
      available: 140,
      groups: [
        { columns: [0, 1, 2, 3], widths: [5, 30, 40, 40] },
        { columns: [0, 1, 4], widths: [5, 30, 40] },
      ],
    },
  ])("$what", ({ needs, available, groups }) => {
    expect(layoutColumns(needs, available, 2)).toEqual(groups);
  });

  it("gives a column its header's longest word and wraps only free text", () => {
    const needs = columnNeeds(
      {
        title: "t",
        headers: ["Решение педагогического совета", "Ученик"],
        rows: [["Переведён(а) в 6 класс условно", "Иванова Мария Викторовна"]],
        wrapColumns: [0],
      },
      measure,
      1000,
    );
    expect(needs).toEqual([
      { min: "педагогического".length, max: "Решение педагогического совета".length },
      { min: "Иванова Мария Викторовна".length, max: "Иванова Мария Викторовна".length },
    ]);
  });
});
