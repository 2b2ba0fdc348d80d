import { stringify } from "csv-stringify/sync";
import type { DbOrTx } from "../../db/client.js";
import { safeCell } from "../../journal/rules/spreadsheet.js";
import { isoOf } from "../../journal/validate.js";
import { FORMAT_VERSION, TABLES, type TableSpec } from "./spec.js";

/** The export file: docs/export-format.md. */
export interface ExportFile {
  format: "zhurnal-export";
  formatVersion: typeof FORMAT_VERSION;
  exportedAt: string;
  school: { id: number; name: string };
  year: { id: number; name: string };
  counts: Record<string, number>;
  tables: Record<string, Record<string, unknown>[]>;
}

export type Progress = (step: string, done: number, total: number) => void;

interface Delegate {
  findMany(args: unknown): Promise<Record<string, unknown>[]>;
  createMany(args: unknown): Promise<{ count: number }>;
}
export const delegate = (db: DbOrTx, model: string) => (db as unknown as Record<string, Delegate>)[model]!;

export function toFile(spec: TableSpec, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of spec.columns) {
    const v = row[c.name];
    if (v === null || v === undefined) out[c.name] = null;
    else if (c.type === "date") out[c.name] = isoOf(v as Date);
    else if (c.type === "ts") out[c.name] = (v as Date).toISOString();
    else if (c.type === "bigint") out[c.name] = (v as bigint).toString();
    else out[c.name] = v;
  }
  return out;
}

/** Finds a school's year by name ("2026/2027"); with one school in the database the school may be omitted. */
export async function findYear(db: DbOrTx, yearName: string, schoolId?: number) {
  const years = await db.academicYear.findMany({
    where: { name: yearName, ...(schoolId ? { schoolId } : {}) },
    include: { school: true },
  });
  if (years.length === 0) throw new Error(`Учебный год «${yearName}» не найден.`);
  if (years.length > 1)
    throw new Error(`Учебный год «${yearName}» есть в нескольких школах: укажите --school <id>.`);
  return years[0]!;
}

/** Reads every row of the year into the versioned export structure. */
export async function exportYear(db: DbOrTx, yearId: number, progress?: Progress): Promise<ExportFile> {
  const year = await db.academicYear.findUniqueOrThrow({ where: { id: yearId }, include: { school: true } });
  const scope = { schoolId: year.schoolId, yearId: year.id, from: year.startDate, to: year.endDate };
  const tables: ExportFile["tables"] = {};
  const counts: ExportFile["counts"] = {};
  for (const [i, spec] of TABLES.entries()) {
    const select = Object.fromEntries(spec.columns.map((c) => [c.name, true]));
    const rows = await delegate(db, spec.model).findMany({
      where: spec.where(scope),
      select,
      orderBy: spec.orderBy.map((k) => ({ [k]: "asc" })),
    });
    tables[spec.key] = rows.map((r) => toFile(spec, r));
    counts[spec.key] = rows.length;
    progress?.(spec.key, i + 1, TABLES.length);
  }
  return {
    format: "zhurnal-export",
    formatVersion: FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    school: { id: year.school.id, name: year.school.name },
    year: { id: year.id, name: year.name },
    counts,
    tables,
  };
}

/**
 * One CSV per table (UTF-8 with BOM, ";" separated, header row; JSON columns as JSON text);
 * formula-like text gets a leading apostrophe (safeCell), since these files open in Excel too.
 */
export function exportCsv(file: ExportFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of TABLES) {
    const rows = file.tables[spec.key] ?? [];
    const header = spec.columns.map((c) => c.name);
    const body = rows.map((r) =>
      spec.columns.map((c) => {
        const v = r[c.name];
        if (v === null || v === undefined) return "";
        return c.type === "json" ? JSON.stringify(v) : typeof v === "string" ? safeCell(v) : String(v);
      }),
    );
    out.set(`${spec.key}.csv`, `\uFEFF${stringify([header, ...body], { delimiter: ";" })}`);
  }
  return out;
}
