import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { absenceReport } from "../../src/reports/absences.js";
import { activityReport } from "../../src/reports/activity.js";
import { controlReport, requiredToDate } from "../../src/reports/control.js";
import {
  dynamicsChart,
  forecastAverage,
  progressChartPng,
  progressDynamics,
  rankOf,
} from "../../src/reports/dynamics.js";
import { renderReport } from "../../src/reports/index.js";
import { journalPage, journalPageDocument } from "../../src/reports/journal-page.js";
import { councilDecision, summarySheet } from "../../src/reports/summary-sheet.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildScenario, NOW, type Scenario } from "./support/scenario.js";

let t: TestDb;
let s: Scenario;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildScenario(t.db);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterAll(async () => {
  vi.useRealTimers();
  await t.drop();
});

const q2Math = () => ({
  classId: s.classes.class5.id,
  subjectId: s.subjects.math.id,
  periodId: s.periods[1]!.id,
});

describe("class journal page", () => {
  it("has the grid of marks and н, averages and period marks", async () => {
    const page = await journalPage(t.db, s.people.math.actor, q2Math());
    expect(page.lessons.map((l) => l.date)).toEqual([
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
      "2026-11-23",
      "2026-11-24",
    ]);
    expect(page.lessons[1]!.homework).toBe("не задано");
    const row = (name: string) => page.pupils.find((p) => p.name === name)!;
    expect(row("Иванов Иван")).toMatchObject({
      cells: ["5", "4", "5", "", "", "", ""],
      average: 4.8,
      periodMark: "5",
    });
    expect(row("Иванова Мария")).toMatchObject({
      cells: ["2", "", "3", "", "", "", ""],
      average: 2.75,
      periodMark: null,
    });
    expect(row("Петров Пётр").cells).toEqual(["н", "", "", "", "н", "", ""]);
    expect(row("Смирнов Алексей").cells).toEqual(["", "", "4", "", "", "", ""]);
  });
  it("is not given to a teacher of another subject nor to a guardian", async () => {
    await expect(journalPage(t.db, s.people.primary.actor, q2Math())).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(journalPage(t.db, s.guardians.petrovaMother.actor, q2Math())).rejects.toMatchObject({
      code: "forbidden",
    });
  });
  it("prints as a landscape PDF with the pupils' Cyrillic names", async () => {
    const r = await renderReport(t.db, s.people.deputy.actor, "journal-page", q2Math(), "pdf");
    expect(r.contentType).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(r.body) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Классный журнал 5А — Математика");
    expect(text).toContain("Иванов Иван");
    expect(text).toContain("Сложение дробей");
    const info = await new PDFParse({ data: new Uint8Array(r.body) }).getInfo();
    const page = info.pages?.[0] as { width?: number; height?: number } | undefined;
    if (page?.width && page.height) expect(page.width).toBeGreaterThan(page.height);
  });
  it("re-reads from XLSX to the same numbers, single marks as numbers", async () => {
    const r = await renderReport(t.db, s.people.deputy.actor, "journal-page", q2Math(), "xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Отметки и посещаемость")!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const ivanov = rows.find((x) => x[1] === "Иванов Иван")!;
    expect(ivanov.slice(2)).toEqual([5, 4, 5, "", "", "", "", 4.8, 5]);
    expect(rows.find((x) => x[1] === "Иванова Мария")![9]).toBe(2.75);
  });
});

describe("a long period", () => {
  it("spreads the grid over pages of 24 lessons, averages on the last", async () => {
    const page = await journalPage(t.db, s.people.math.actor, q2Math());
    const lessons = Array.from({ length: 30 }, (_, i) => ({ ...page.lessons[0]!, id: i + 1 }));
    const pupils = page.pupils.map((p) => ({ ...p, cells: lessons.map((_, i) => String((i % 4) + 2)) }));
    const doc = journalPageDocument({ ...page, lessons, pupils });
    expect(doc.tables.map((x) => x.title)).toEqual([
      "Отметки и посещаемость (1)",
      "Отметки и посещаемость (2)",
      "Записи уроков",
    ]);
    expect(doc.tables[0]!.headers).toHaveLength(2 + 24);
    expect(doc.tables[1]!.headers.slice(-2)).toEqual(["Ср. балл", "2 четверть"]);
    expect(doc.tables[1]!.rows[0]!).toHaveLength(2 + 6 + 2);
  });
});

describe("summary progress sheet", () => {
  it("lists period and year marks per subject and proposes the council's decision", async () => {
    const sheet = await summarySheet(t.db, s.people.russian.actor, { classId: s.classes.class5.id });
    expect(sheet.subjects.map((x) => x.name)).toEqual(["Математика", "Русский язык"]);
    const ivanov = sheet.pupils.find((p) => p.name === "Иванов Иван")!;
    expect(ivanov.subjects[0]).toMatchObject({ periods: ["5", "5", "4", "5"], year: "5" });
    expect(ivanov.decision).toBe("Переведён(а) в 6 класс");
    expect(sheet.pupils.find((p) => p.name === "Петров Пётр")!.decision).toMatch(/условно.*: 1/);
    expect(sheet.pupils.find((p) => p.name === "Смирнов Алексей")!.decision).toBe("");
  });
  it("is refused to a subject teacher who is not the class teacher", async () => {
    await expect(
      summarySheet(t.db, s.people.math.actor, { classId: s.classes.class5.id }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
  it("decides from year marks", () => {
    expect(councilDecision(["4", "5"], 5)).toBe("Переведён(а) в 6 класс");
    expect(councilDecision(["4", "н/а"], 5)).toMatch(/условно/);
    expect(councilDecision(["4", null], 5)).toBe("");
    expect(councilDecision(["4"], 11)).toBe("Допущен(а) к ГИА");
  });
  it("renders CSV with the decision column", async () => {
    const r = await renderReport(
      t.db,
      s.people.deputy.actor,
      "summary",
      { classId: s.classes.class5.id },
      "csv",
    );
    const csv = r.body.toString("utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("Решение педагогического совета");
    expect(csv).toContain("1 четверть\n№;Ученик;Математика;Русский язык\n1;Иванов Иван;5;4\n");
    expect(csv).toContain("1;Иванов Иван;5;4;Переведён(а) в 6 класс");
    expect(csv).toContain("3;Петров Пётр;2;3;Переведён(а) в 6 класс условно (академ. задолженность: 1)");
  });
});

describe("lessons missed", () => {
  it("counts per pupil per month by reason, with totals and whole days", async () => {
    const r = await absenceReport(t.db, s.people.russian.actor, { classId: s.classes.class5.id });
    expect(r.months).toEqual([
      "2026-09",
      "2026-10",
      "2026-11",
      "2026-12",
      "2027-01",
      "2027-02",
      "2027-03",
      "2027-04",
      "2027-05",
    ]);
    const petrov = r.pupils.find((p) => p.name === "Петров Пётр")!;
    expect(petrov.months.slice(1, 3)).toEqual([
      { month: "2026-10", excused: 1, illness: 0, unexcused: 0, unknown: 0, total: 1 },
      { month: "2026-11", excused: 0, illness: 2, unexcused: 0, unknown: 1, total: 3 },
    ]);
    // 16.11 both lessons of the day (mathematics and Russian), 20.11 and 05.10 the only lesson.
    expect(petrov.days).toBe(3);
    expect(r.days).toBe(4);
    expect(r.pupils.find((p) => p.name === "Сидорова Анна")!.total).toMatchObject({ unexcused: 1, total: 1 });
    expect(r.pupils.find((p) => p.name === "Смирнов Алексей")!.total.total).toBe(0);
    expect(r.total).toEqual({ excused: 1, illness: 2, unexcused: 1, unknown: 1, total: 5 });
  });
  it("prints months as columns, then reasons, lessons and days; re-reads from XLSX", async () => {
    const r = await renderReport(
      t.db,
      s.people.deputy.actor,
      "absences",
      { classId: s.classes.class5.id },
      "xlsx",
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.body as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toContainEqual([
      "№",
      "Ученик",
      "сентябрь",
      "октябрь",
      "ноябрь",
      "декабрь",
      "январь",
      "февраль",
      "март",
      "апрель",
      "май",
      "По уважит. причине",
      "По болезни",
      "Без уважит. причины",
      "Причина не указана",
      "Всего уроков",
      "Дней",
    ]);
    expect(rows.at(-1)).toEqual(["", "Всего по классу", 0, 1, 4, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1, 5, 4]);
    expect(rows).toContainEqual([3, "Петров Пётр", 0, 1, 3, 0, 0, 0, 0, 0, 0, 1, 2, 0, 1, 4, 3]);
  });
});

describe("progress dynamics", () => {
  it("gives the running average, the place in class and the forecast", async () => {
    const dyn = await progressDynamics(t.db, s.guardians.ivanovaMother.actor, {
      pupilId: s.pupils.ivanov.id,
      subjectId: s.subjects.math.id,
      periodId: s.periods[1]!.id,
    });
    expect(dyn.points).toEqual([
      { date: "2026-11-16", marks: [5], average: 5 },
      { date: "2026-11-17", marks: [4], average: 4.5 },
      { date: "2026-11-18", marks: [5], average: 4.8 },
    ]);
    expect(dyn.rating.subject).toEqual({ place: 1, of: 4 });
    // Trend −0.1 a day runs far below; clamped to the marks received (4–5): 4.
    expect(dyn.forecast).toEqual({ average: 4, mark: "4" });
  });
  it("is refused to another pupil's guardian", async () => {
    await expect(
      progressDynamics(t.db, s.guardians.petrovaMother.actor, {
        pupilId: s.pupils.ivanov.id,
        subjectId: s.subjects.math.id,
        periodId: s.periods[1]!.id,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
  it("forecasts by least squares and ranks with shared places", () => {
    expect(
      forecastAverage(
        [
          { date: "2026-11-01", average: 3 },
          { date: "2026-11-11", average: 4 },
        ],
        "2026-11-21",
      ),
    ).toBe(5);
    expect(
      forecastAverage(
        [
          { date: "2026-11-01", average: 4 },
          { date: "2026-11-11", average: 3.5 },
        ],
        "2026-11-21",
      ),
    ).toBe(3);
    expect(forecastAverage([], "2026-11-21")).toBeNull();
    const avgs = new Map<number, number | null>([
      [1, 4.5],
      [2, 4.5],
      [3, 3],
      [4, null],
    ]);
    expect([rankOf(avgs, 2), rankOf(avgs, 3), rankOf(avgs, 4)]).toEqual([
      { place: 1, of: 3 },
      { place: 3, of: 3 },
      { place: null, of: 3 },
    ]);
  });
  it("gives the bot a PNG with a Russian caption", async () => {
    const chart = await dynamicsChart(t.db, s.guardians.ivanovaMother.actor, {
      pupilId: s.pupils.ivanov.id,
      subjectId: s.subjects.math.id,
      periodId: s.periods[1]!.id,
    });
    expect(chart.png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(chart.caption).toBe(
      "Иванов Иван, Математика, 2 четверть\nСредний балл: 4,80\nМесто в классе: 1 из 4\nПрогноз за период: 4",
    );
  });
  it("draws a PNG chart and embeds it in the PDF", async () => {
    const dyn = await progressDynamics(t.db, s.people.math.actor, {
      pupilId: s.pupils.ivanova.id,
      subjectId: s.subjects.math.id,
      periodId: s.periods[1]!.id,
    });
    expect(dyn.forecast).toEqual({ average: 3, mark: "3" });
    const png = progressChartPng(dyn);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 400]);
    const r = await renderReport(
      t.db,
      s.people.math.actor,
      "dynamics",
      { pupilId: s.pupils.ivanova.id, subjectId: s.subjects.math.id, periodId: s.periods[1]!.id },
      "pdf",
    );
    const parser = new PDFParse({ data: new Uint8Array(r.body) });
    expect((await parser.getText()).text).toContain("Динамика успеваемости: Иванова Мария");
    const images = await parser.getImage();
    expect(images.pages.flatMap((p) => p.images).length).toBeGreaterThan(0);
    await parser.destroy();
  });
});

describe("control report", () => {
  it("finds what the deputy head must see, per teacher and class", async () => {
    const r = await controlReport(t.db, s.people.deputy.actor, { periodId: s.periods[1]!.id });
    expect(r.rows.map((x) => `${x.teacher.name.split(" ")[0]} ${x.class.name} ${x.subject.name}`)).toEqual([
      "Кузнецова 5А Математика",
      "Лебедева 1А Математика",
      "Лебедева 1А Обучение грамоте",
      "Морозов 5А ОДНКНР",
      "Морозов 5А Русский язык",
    ]);
    const math = r.rows[0]!;
    expect(math.lessonsHeld).toBe(7);
    expect(math.missing).toEqual({
      topic: ["2026-11-19"],
      attendance: ["2026-11-19"],
      homework: ["2026-11-19"],
    });
    expect(math.controlWorks).toEqual([{ date: "2026-11-18", pupilsWithoutMark: ["Петров Пётр"] }]);
    expect(math.minMarks).toBe(6);
    // 7 lessons held of the 13 the КТП plans in the quarter: ⌈6·7/13⌉ = 4 marks by now.
    expect(math.requiredToDate).toBe(4);
    expect(math.fewMarks.map((f) => f.marks)).toEqual([3, 2, 0, 1, 1]);
    expect(math.singleMark).toEqual(["Сидорова Анна", "Смирнов Алексей"]);
    expect(math.twosNotRechecked).toEqual([{ name: "Сидорова Анна", date: "2026-11-16" }]);
    expect(math.plan).toEqual({ toDate: 12, period: 13, year: 13 });
    expect(math.fact).toEqual({ toDate: 8, period: 7 });
    expect(math.behind).toBe(4);
    const russian = r.rows[4]!;
    expect(russian.missing.topic).toEqual(["2026-11-16"]);
  });
  it("asks for marks in proportion to the lessons held", () => {
    expect(requiredToDate(6, 10, 40, false)).toBe(2);
    expect(requiredToDate(6, 20, 40, false)).toBe(3);
    expect(requiredToDate(6, 0, 40, false)).toBe(0);
    expect(requiredToDate(6, 10, 40, true)).toBe(6);
    expect(requiredToDate(6, 7, 7, false)).toBe(6);
  });
  it("is for the administration only", async () => {
    await expect(
      controlReport(t.db, s.people.russian.actor, { periodId: s.periods[1]!.id }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
  it("prints the remarks in the PDF", async () => {
    const r = await renderReport(
      t.db,
      s.people.deputy.actor,
      "control",
      { periodId: s.periods[1]!.id },
      "pdf",
    );
    const parser = new PDFParse({ data: new Uint8Array(r.body) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Кузнецова Анна Сергеевна");
    expect(text).toContain("Отставание от КТП");
  });
});

describe("activity", () => {
  it("counts linked and active guardians and acknowledgements per class", async () => {
    const r = await activityReport(t.db, s.people.director.actor, {});
    expect(r.rows).toEqual([
      {
        class: { id: s.classes.class1.id, name: "1А" },
        pupils: 2,
        guardians: 1,
        linked: 0,
        active: 0,
        needAck: 0,
        acknowledged: 0,
      },
      {
        class: { id: s.classes.class5.id, name: "5А" },
        pupils: 5,
        guardians: 3,
        linked: 1,
        active: 2,
        needAck: 3,
        acknowledged: 1,
      },
    ]);
  });
});
