import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isFormulaLike } from "../../src/journal/rules/spreadsheet.js";
import { type HttpCtx, send, startHttp } from "./helpers.js";

/**
 * Issue 10 §4: text typed by users (a lesson topic «=1+1», names, subjects) reaches every CSV and
 * XLSX report neutralised, never as a formula; numbers stay numbers.
 */
let ctx: HttpCtx;
let q: Record<string, string>;
beforeAll(async () => {
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  const { db } = ctx.testDb;
  const { assignments, pupils, people, classes, subjects, periods, forms } = ctx.school;
  // What a hostile or careless hand could have typed into the journal, the roster or an import.
  await db.person.update({ where: { id: pupils.ivanov.id }, data: { lastName: "=Иванов+1" } });
  await db.person.update({ where: { id: pupils.petrov.id }, data: { lastName: "@Петров" } });
  await db.person.update({ where: { id: people.math.id }, data: { lastName: "-2+3" } });
  await db.subject.update({ where: { id: subjects.math.id }, data: { name: "+Математика" } });
  for (const [i, day] of ["2026-11-16", "2026-11-17", "2026-11-18"].entries()) {
    const l = await ctx.school.lesson(assignments.math5, day, 1);
    await db.lesson.update({ where: { id: l.id }, data: { topic: i === 0 ? "=1+1" : "\t=HYPERLINK(1)" } });
    await db.mark.create({
      data: {
        lessonId: l.id,
        pupilId: pupils.ivanov.id,
        value: ["5", "4", "5"][i]!,
        controlFormId: forms.oral.id,
        authorId: people.math.id,
      },
    });
    if (i === 1)
      await db.attendance.create({
        data: { lessonId: l.id, pupilId: pupils.petrov.id, kind: "ABSENT", markedById: people.math.id },
      });
  }
  q = {
    "journal-page": `classId=${classes.class5.id}&subjectId=${subjects.math.id}&periodId=${periods[1]!.id}`,
    summary: `classId=${classes.class5.id}`,
    absences: `classId=${classes.class5.id}&from=2026-11-01&to=2026-11-30`,
    dynamics: `pupilId=${pupils.ivanov.id}&subjectId=${subjects.math.id}&periodId=${periods[1]!.id}`,
    control: `periodId=${periods[1]!.id}`,
    activity: "",
  };
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

const NAMES = ["journal-page", "summary", "absences", "dynamics", "control", "activity"] as const;
// Reports whose cells begin with names, subjects or topics (dynamics and activity show numbers).
const WITH_TYPED_TEXT = new Set<string>(["journal-page", "summary", "absences", "control"]);
const get = (url: string) => send(ctx, "deputy", "GET", url);

async function xlsxCells(body: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ExcelJS.Buffer);
  const cells: ExcelJS.Cell[] = [];
  for (const sheet of book.worksheets) sheet.eachRow((row) => row.eachCell((c) => cells.push(c)));
  return cells;
}

describe("formula-like text in reports", () => {
  it("the journal page CSV writes the topic «=1+1» with an apostrophe", async () => {
    const res = await get(`/api/v1/reports/journal-page?format=csv&${q["journal-page"]}`);
    expect(res.statusCode).toBe(200);
    const cells = (
      parse(res.body, { delimiter: ";", bom: true, relaxColumnCount: true }) as string[][]
    ).flat();
    expect(cells).toContain("'=1+1");
    expect(cells).toContain("'\t=HYPERLINK(1)");
    expect(cells.some((c) => c.startsWith("'=Иванов+1"))).toBe(true);
    expect(cells).not.toContain("=1+1");
  });

  it.each(NAMES)("%s: no CSV cell starts a formula", async (name) => {
    const res = await get(`/api/v1/reports/${name}?format=csv&${q[name]}`);
    expect(res.statusCode, res.body).toBe(200);
    const cells = (
      parse(res.body, { delimiter: ";", bom: true, relaxColumnCount: true }) as string[][]
    ).flat();
    expect(cells.length).toBeGreaterThan(3);
    expect(cells.filter(isFormulaLike)).toEqual([]);
    if (WITH_TYPED_TEXT.has(name)) expect(cells.some((c) => /^'[=+\-@\t]/.test(c))).toBe(true);
  });

  it.each(NAMES)("%s: no XLSX cell is a formula or starts one; numbers stay numbers", async (name) => {
    const res = await get(`/api/v1/reports/${name}?format=xlsx&${q[name]}`);
    expect(res.statusCode, res.body).toBe(200);
    const cells = await xlsxCells(res.rawPayload);
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    const texts = cells.filter((c) => typeof c.value === "string").map((c) => c.value as string);
    expect(texts.filter(isFormulaLike)).toEqual([]);
    if (WITH_TYPED_TEXT.has(name)) expect(texts.some((c) => /^'[=+\-@\t]/.test(c))).toBe(true);
  });

  it("averages in the XLSX summary are numbers", async () => {
    const res = await get(`/api/v1/reports/summary?format=xlsx&${q.summary}`);
    const cells = await xlsxCells(res.rawPayload);
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Number)).toBe(true);
  });
});
