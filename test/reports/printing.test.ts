import { existsSync, readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemo } from "../../prisma/seed/demo.js";
import type { Actor } from "../../src/journal/actor.js";
import { REPORT_NAMES, type ReportName, renderDocument, renderReport } from "../../src/reports/index.js";
import { type SummarySheet, summarySheetDocument } from "../../src/reports/summary-sheet.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { outsidePrintable, pdfPages, pdfText, pdfWords, renderPageToPng } from "../support/pdf.js";

/**
 * Every report of the demo school printed as a school would file it (issue 14): it fits the
 * page, shows every column its spreadsheet has, and carries the school, the class, the period,
 * the day it was made in Russian words, page numbers and signature lines.
 */
const NOW = new Date("2026-11-24T09:00:00+03:00");
// Every report rendered several times on a loaded 2-core machine: a generous ceiling.
vi.setConfig({ testTimeout: 120_000 });
const MADE = "24 ноября 2026 г.";

let t: TestDb;
let deputy: Actor;
let inputs: Record<ReportName, Record<string, number>>;
beforeAll(async () => {
  t = await createTestDb();
  const r = await seedDemo(t.url, { now: NOW });
  if (r.status !== "seeded") throw new Error("demo not seeded");
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  const db = t.db;
  const person = await db.person.findFirstOrThrow({
    where: { schoolId: r.schoolId, roles: { some: { role: "DEPUTY" } } },
    include: { roles: true },
  });
  deputy = { personId: person.id, schoolId: r.schoolId, roles: person.roles.map((x) => x.role) };
  const cls = await db.class.findFirstOrThrow({
    where: { year: { schoolId: r.schoolId }, grade: 5, letter: "А" },
  });
  const math = await db.subject.findFirstOrThrow({ where: { schoolId: r.schoolId, name: "Математика" } });
  const q2 = await db.period.findFirstOrThrow({ where: { yearId: cls.yearId, kind: "QUARTER", number: 2 } });
  const pupil = await db.enrolment.findFirstOrThrow({
    where: { classId: cls.id },
    orderBy: { pupilId: "asc" },
  });
  inputs = {
    "journal-page": { classId: cls.id, subjectId: math.id, periodId: q2.id },
    summary: { classId: cls.id },
    absences: { classId: cls.id },
    dynamics: { pupilId: pupil.pupilId, subjectId: math.id, periodId: q2.id },
    control: { periodId: q2.id },
    activity: {},
  };
}, 180_000);
afterAll(async () => {
  vi.useRealTimers();
  await t?.drop();
});

describe.each(REPORT_NAMES)("the %s report, printed", (name) => {
  it("keeps every text inside the printable area of its pages", async () => {
    const pdf = await renderReport(t.db, deputy, name, inputs[name], "pdf");
    const pages = await pdfPages(pdf.body);
    expect(pages.length).toBeGreaterThan(0);
    expect(outsidePrintable(pages)).toEqual([]);
  });
  it("shows every column of its spreadsheet", async () => {
    const pdf = await renderReport(t.db, deputy, name, inputs[name], "pdf");
    const json = await renderReport(t.db, deputy, name, inputs[name], "xlsx");
    const words = pdfWords(await pdfPages(pdf.body));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(json.body as unknown as ArrayBuffer);
    const headers: string[] = [];
    for (const sheet of book.worksheets) {
      // The header row is the bold row right above the first data row: found by the frozen pane.
      const view = sheet.views[0] as { ySplit?: number } | undefined;
      expect(view?.ySplit, `${sheet.name}: frozen header row`).toBeGreaterThan(0);
      const row = sheet.getRow(view!.ySplit!);
      headers.push(...(row.values as unknown[]).slice(1).map(String));
    }
    expect(headers.length).toBeGreaterThan(0);
    // A header wraps where the PDF may break a line: between words and after "/" or "-".
    const missing = headers.flatMap((h) => h.split(/\s+|(?<=[/-])/).filter((w) => w && !words.has(w)));
    expect(missing).toEqual([]);
  });
  it("names the school, the class, the period, the day it was made and numbers its pages", async () => {
    const pdf = await renderReport(t.db, deputy, name, inputs[name], "pdf");
    const pages = await pdfPages(pdf.body);
    const text = pdfText(pages);
    expect(text).toContain("МБОУ «Средняя школа № 7»");
    expect(text).toMatch(/Класс: (5А|все классы)\./);
    expect(text).toMatch(/Период: .*(четверть|учебный год)/);
    expect(text).toContain(`Дата составления: ${MADE}`);
    pages.forEach((_, i) => {
      expect(text).toContain(`стр. ${i + 1} из ${pages.length}`);
    });
    // Dates in words or as dd.mm, never ISO, in what a person reads.
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe("signature lines", () => {
  it.each([
    ["summary", ["Классный руководитель", "Заместитель директора по УВР"]],
    ["absences", ["Классный руководитель", "Заместитель директора по УВР"]],
    ["control", ["Заместитель директора по УВР"]],
    ["journal-page", ["Учитель"]],
  ] as const)("the %s report is signed by name and role, with a date line", async (name, roles) => {
    const text = pdfText(await pdfPages((await renderReport(t.db, deputy, name, inputs[name], "pdf")).body));
    for (const role of roles)
      expect(text).toMatch(new RegExp(`${role} _+ / [А-ЯЁ][а-яё-]+ [А-ЯЁ]\\. [А-ЯЁ]\\. /`));
    expect(text).toContain("«____» ________________ 20____ г.");
  });
});

describe("the demo's 5А summary sheet", () => {
  it("has the council's decision column and every subject, and renders to a readable page image", async () => {
    const pdf = await renderReport(t.db, deputy, "summary", inputs.summary, "pdf");
    const json = JSON.parse(
      (await renderReport(t.db, deputy, "summary", inputs.summary, "json")).body.toString(),
    );
    const pages = await pdfPages(pdf.body);
    const text = pdfText(pages);
    expect(text).toContain("Решение педагогического совета");
    for (const s of json.subjects as { name: string }[])
      for (const w of s.name.split(" ")) expect(pdfWords(pages)).toContain(w);
    if (!existsSync("/usr/bin/pdftoppm"))
      throw new Error("pdftoppm is missing: apt-get install -y poppler-utils");
    const last = pages.length;
    const png = renderPageToPng(pdf.body, "summary-5A", last);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    // Landscape A4 at 110 dpi: 1286 × 909 pixels.
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(bytes.readUInt32BE(20));
    renderPageToPng(pdf.body, "summary-5A", 1);
  });
});

describe("a summary sheet wider than the page", () => {
  it("continues on the next page with the pupils' names repeated, all inside the page", async () => {
    const subjects = [
      "Русский язык",
      "Литература",
      "Родной язык (русский)",
      "Иностранный язык (английский)",
      "Второй иностранный язык (немецкий)",
      "Алгебра",
      "Геометрия",
      "Вероятность и статистика",
      "Информатика",
      "История",
      "Обществознание",
      "География",
      "Физика",
      "Химия",
      "Биология",
      "ОБЗР",
      "ИЗО",
      "Музыка",
      "Труд (технология)",
      "Физическая культура",
      "Индивидуальный проект",
      "Астрономия",
    ].map((name, i) => ({ id: i + 1, name }));
    const pupils = ["Александрова Есения Викторовна", "Константинопольский Вячеслав Всеволодович"].map(
      (name, i) => ({
        pupilId: i + 1,
        name,
        left: null,
        subjects: subjects.map((s) => ({
          subjectId: s.id,
          periods: ["4", "5"],
          year: "4/5",
          exam: null,
          final: null,
        })),
        decision: "Переведён(а) в 11 класс условно (академ. задолженность: 1)",
      }),
    );
    const sheet: SummarySheet = {
      class: { id: 1, name: "10Б", grade: 10 },
      year: "2026/2027",
      classTeacher: "Иванова Мария Викторовна",
      classTeacherSigns: "Иванова М. В.",
      periods: [
        { id: 1, name: "1 полугодие" },
        { id: 2, name: "2 полугодие" },
      ],
      subjects,
      pupils,
    };
    const doc = { ...summarySheetDocument(sheet), school: "МБОУ «Школа № 1»", madeOn: "2026-11-24" };
    const pages = await pdfPages(await renderDocument(doc, "pdf"));
    expect(outsidePrintable(pages)).toEqual([]);
    const text = pdfText(pages);
    expect(text).toContain("1 полугодие (часть 2 из");
    expect(text).toContain("Решение педагогического совета");
    // Every part of every table names the pupils again.
    const parts = pages.map((p) => pdfText([p])).filter((x) => /\(часть \d из \d\)/.test(x));
    expect(parts.length).toBeGreaterThanOrEqual(4);
    for (const p of parts) expect(p).toContain("Константинопольский");
    for (const w of subjects.flatMap((x) => x.name.split(/\s+/))) expect(pdfWords(pages)).toContain(w);
  });
});
