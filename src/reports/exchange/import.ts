import type { Db } from "../../db/client.js";
import { dateOnly } from "../../journal/validate.js";
import { delegate, type ExportFile, type Progress } from "./export.js";
import { FORMAT_VERSION, TABLES, type TableSpec } from "./spec.js";

/**
 * Loads an export into an EMPTY database, ids included, in one transaction; then moves each id
 * sequence past the imported ids so new rows do not collide. The result exports back to the
 * same file (apart from exportedAt).
 */
export class ImportError extends Error {}

function fromFile(spec: TableSpec, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of spec.columns) {
    const v = row[c.name];
    if (v === null || v === undefined) out[c.name] = null;
    else if (c.type === "date") out[c.name] = dateOnly(String(v));
    else if (c.type === "ts") out[c.name] = new Date(String(v));
    else if (c.type === "bigint") out[c.name] = BigInt(String(v));
    else out[c.name] = v;
  }
  // JSON nulls must be omitted: Prisma wants Prisma.DbNull for them and "absent" means NULL.
  for (const c of spec.columns) if (c.type === "json" && out[c.name] === null) delete out[c.name];
  return out;
}

export function checkFile(file: unknown): ExportFile {
  const f = file as Partial<ExportFile>;
  if (f?.format !== "zhurnal-export")
    throw new ImportError("Это не файл выгрузки «Журнала» (нет format: zhurnal-export).");
  if (f.formatVersion !== FORMAT_VERSION) {
    throw new ImportError(
      `Версия формата ${f.formatVersion} не поддерживается: ожидается ${FORMAT_VERSION}.`,
    );
  }
  for (const spec of TABLES) {
    // Tables added to version 1 later are empty in files written before them.
    if (spec.since && f.tables && !(spec.key in f.tables)) {
      f.tables[spec.key] = [];
      if (f.counts) f.counts[spec.key] = 0;
    }
    const rows = f.tables?.[spec.key];
    if (!Array.isArray(rows)) throw new ImportError(`В файле нет таблицы «${spec.key}».`);
    if (f.counts?.[spec.key] !== rows.length) {
      throw new ImportError(
        `Таблица «${spec.key}»: строк ${rows.length}, а в counts ${f.counts?.[spec.key]} — файл повреждён.`,
      );
    }
  }
  return f as ExportFile;
}

export async function importYear(db: Db, raw: unknown, progress?: Progress): Promise<Record<string, number>> {
  const file = checkFile(raw);
  const existing = await db.school.count().catch((e: { code?: string }) => {
    if (e.code === "P2021") {
      throw new ImportError(
        "В базе нет таблиц журнала: сначала подготовьте её (DATABASE_URL=… npm run db:migrate).",
      );
    }
    throw e;
  });
  if (existing > 0) throw new ImportError("База данных не пустая: импорт выполняется только в пустую базу.");
  const counts: Record<string, number> = {};
  await db.$transaction(
    async (tx) => {
      for (const [i, spec] of TABLES.entries()) {
        const rows = file.tables[spec.key]!.map((r) => fromFile(spec, r));
        // Chunks keep each INSERT's parameters under PostgreSQL's limit.
        for (let at = 0; at < rows.length; at += 2000) {
          await delegate(tx, spec.model).createMany({ data: rows.slice(at, at + 2000) });
        }
        counts[spec.key] = rows.length;
        progress?.(spec.key, i + 1, TABLES.length);
      }
      for (const spec of TABLES.filter((s) => s.serial)) {
        await tx.$executeRawUnsafe(
          `SELECT setval(pg_get_serial_sequence('"${spec.table}"', 'id'), COALESCE((SELECT MAX(id) FROM "${spec.table}"), 0) + 1, false)`,
        );
      }
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
  return counts;
}
