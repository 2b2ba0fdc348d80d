import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishPeriod } from "../../src/journal/periods.js";
import { backup, restore, tableStats } from "../../src/reports/exchange/backup.js";
import { exportCsv, exportYear } from "../../src/reports/exchange/export.js";
import { importYear } from "../../src/reports/exchange/import.js";
import { createEmptyDb, createTestDb, type TestDb } from "../support/db.js";
import { buildScenario, type Scenario } from "./support/scenario.js";

let src: TestDb;
let s: Scenario;
let dir: string;
beforeAll(async () => {
  src = await createTestDb();
  s = await buildScenario(src.db);
  // A real service call so that the audit log and the outbox hold rows too.
  await publishPeriod(src.db, s.people.deputy.actor, { periodId: s.yearPeriod.id });
  await src.db.person.update({ where: { id: s.people.math.id }, data: { passwordHash: "$argon2id$secret" } });
  dir = await mkdtemp(path.join(tmpdir(), "zhurnal-exchange-"));
});
afterAll(async () => {
  await src.drop();
  await rm(dir, { recursive: true, force: true });
});

const strip = (f: Awaited<ReturnType<typeof exportYear>>) => ({ ...f, exportedAt: "" });

describe("export and import", () => {
  it("round-trips a school year exactly into an empty database", async () => {
    const file = await exportYear(src.db, s.year.id);
    expect(file.formatVersion).toBe(1);
    expect(file.counts).toMatchObject({
      lessons: 9,
      marks: 7,
      attendance: 6,
      people: 18,
      auditLog: 1,
      periods: 5,
    });
    expect(JSON.stringify(file)).not.toContain("argon2");
    const json = JSON.parse(JSON.stringify(file));
    const dst = await createTestDb();
    try {
      const steps: string[] = [];
      await importYear(dst.db, json, (step) => steps.push(step));
      expect(steps).toContain("marks");
      const again = await exportYear(dst.db, s.year.id);
      expect(strip(again)).toEqual(strip(file));
      // Sequences moved on: new rows get fresh ids.
      const added = await dst.db.subject.create({ data: { schoolId: s.school.id, name: "Музыка" } });
      expect(added.id).toBeGreaterThan(Math.max(...file.tables.subjects!.map((r) => r.id as number)));
      await expect(importYear(dst.db, json)).rejects.toThrow(/не пустая/);
    } finally {
      await dst.drop();
    }
  });
  it("refuses a file of another format version", async () => {
    const dst = await createTestDb();
    try {
      await expect(importYear(dst.db, { format: "zhurnal-export", formatVersion: 2 })).rejects.toThrow(
        /Версия формата 2/,
      );
    } finally {
      await dst.drop();
    }
  });
  it("writes one CSV per table that reads back to the same rows", async () => {
    const file = await exportYear(src.db, s.year.id);
    const csv = exportCsv(file);
    expect(csv.size).toBe(Object.keys(file.tables).length);
    const marks = parse(csv.get("marks.csv")!, { delimiter: ";", columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(marks.map((m) => m.value)).toEqual(file.tables.marks!.map((m) => m.value));
    expect(marks[0]!.createdAt).toBe(file.tables.marks![0]!.createdAt);
  });
  it("neutralises formula-like text in the CSV tables, the JSON keeps it as typed", async () => {
    const file = await exportYear(src.db, s.year.id);
    const lesson = file.tables.lessons![0]!;
    lesson.topic = "=1+1";
    lesson.homework = "@SUM(A1)";
    const lessons = parse(exportCsv(file).get("lessons.csv")!, {
      delimiter: ";",
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    const row = lessons.find((l) => l.id === String(lesson.id))!;
    expect(row.topic).toBe("'=1+1");
    expect(row.homework).toBe("'@SUM(A1)");
    expect(row.classId).toBe(String(lesson.classId));
  });
});

describe("backup and restore", () => {
  it("restores into a fresh database with identical row counts and per-table checksums", async () => {
    const out = path.join(dir, "journal.dump");
    const result = await backup(src.url, out);
    expect((await readFile(`${out}.sha256`, "utf8")).trim()).toBe(`${result.sha256}  journal.dump`);
    expect(result.tables.Mark!.rows).toBe(7);
    const empty = await createEmptyDb();
    try {
      await restore(out, empty.url);
      const before = await tableStats(src.url);
      const after = await tableStats(empty.url);
      expect(after).toEqual(before);
      await expect(restore(out, empty.url)).rejects.toThrow(/не пустая/);
    } finally {
      await empty.drop();
    }
  });
  it("refuses a damaged file", async () => {
    const out = path.join(dir, "broken.dump");
    await backup(src.url, out);
    const bytes = await readFile(out);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) % 256;
    await writeFile(out, bytes);
    const empty = await createEmptyDb();
    try {
      await expect(restore(out, empty.url)).rejects.toThrow(/Контрольная сумма не совпадает/);
    } finally {
      await empty.drop();
    }
  });
});
