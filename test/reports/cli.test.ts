import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/reports/cli.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildScenario } from "./support/scenario.js";

let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb();
  await buildScenario(t.db);
  dir = await mkdtemp(path.join(tmpdir(), "zhurnal-cli-"));
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => main([...args, "--database-url", t.url], { quiet: true });

describe("journal CLI", () => {
  it("prints a report by class, subject and period names", async () => {
    const out = path.join(dir, "journal.xlsx");
    const summary = await run(
      "report",
      "journal-page",
      "--class",
      "5A",
      "--subject",
      "математика",
      "--period",
      "2",
      "--format",
      "xlsx",
      "--out",
      out,
    );
    expect(summary).toMatch(/^Отчёт «journal-page» \(xlsx\) сохранён в .*journal\.xlsx, \d+ КБ\.$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Отметки и посещаемость", "Записи уроков"]);
  });
  it("prints a pupil's dynamics as PDF", async () => {
    const out = path.join(dir, "dyn.pdf");
    await run(
      "report",
      "dynamics",
      "--pupil",
      "Иванов Иван",
      "--subject",
      "Математика",
      "--period",
      "2 четверть",
      "--format",
      "pdf",
      "--out",
      out,
    );
    expect((await readFile(out)).subarray(0, 5).toString()).toBe("%PDF-");
  });
  it("refuses an unknown class with one Russian line", async () => {
    await expect(run("report", "summary", "--class", "9Я", "--format", "pdf")).rejects.toThrow(
      /^Класс «9Я» не найден/,
    );
  });
  it("names the missing parameters and unknown commands in one line", async () => {
    await expect(run("report", "journal-page", "--class", "5А", "--format", "pdf")).rejects.toThrow(
      /^Для отчёта «journal-page» укажите --subject, --period\.$/,
    );
    await expect(run("frobnicate")).rejects.toThrow(/^Нет команды «frobnicate»: есть backup/);
  });
  it("archives the year with documents, export and retention", async () => {
    const out = path.join(dir, "archive");
    const summary = await run("archive", "--year", "2026/2027", "--out", out);
    expect(summary).toMatch(/^Архив 2026\/2027 собран в .*: \d+ файлов/);
    const retention = JSON.parse(await readFile(path.join(out, "retention.json"), "utf8"));
    expect(retention.retention).toEqual({ journalsYears: 5, summarySheetsYears: 25 });
    const summaryPdf = retention.files.find(
      (f: { path: string }) => f.path === "summary/5А — Сводная ведомость.pdf",
    );
    expect(summaryPdf).toMatchObject({ kind: "summary", retainYears: 25, keepUntil: "2052-05-31" });
    const journal = retention.files.find(
      (f: { path: string }) => f.path === "journals/5А/Математика — 2 четверть.pdf",
    );
    expect(journal).toMatchObject({ kind: "journal", keepUntil: "2032-05-31" });
    expect((await stat(path.join(out, journal.path))).size).toBe(journal.bytes);
    expect(await readdir(path.join(out, "export", "csv"))).toContain("marks.csv");
  }, 60_000);
  it("exits non-zero with a single error line from the command line", async () => {
    const exec = promisify(execFile);
    const err = await exec(
      "npx",
      ["tsx", "src/reports/cli.ts", "restore", "--from", "/nonexistent.dump", "--database-url", t.url],
      {
        cwd: path.resolve(import.meta.dirname, "../.."),
      },
    ).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    const lines = (err as { stderr: string }).stderr
      .split("\n")
      .filter((l) => l && !l.startsWith("… ") && !l.startsWith("npm warn"));
    expect(lines).toEqual([expect.stringMatching(/^Ошибка: Рядом с \/nonexistent\.dump нет файлов/)]);
  }, 60_000);
});
