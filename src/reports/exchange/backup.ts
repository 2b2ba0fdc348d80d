import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * Backups are pg_dump custom-format files (002 §9.2.2) with two companions:
 * `<file>.sha256` (sha256sum format, `sha256sum -c` verifies it) and `<file>.manifest.json` with
 * the row count and a content checksum of every table. A restore goes only into an empty
 * database and is verified against both.
 */
const run = promisify(execFile);

export class BackupError extends Error {}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface TableStat {
  rows: number;
  /** md5 of the table's rows as text, in text order: equal contents give equal checksums. */
  checksum: string;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new BackupError(`Нет подключения к базе данных: ${(e as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function listTables(c: pg.Client): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

export async function tableStats(url: string): Promise<Record<string, TableStat>> {
  return withClient(url, async (c) => {
    const out: Record<string, TableStat> = {};
    for (const name of await listTables(c)) {
      const q = `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS checksum FROM "${name}" t`;
      const { rows } = await c.query<TableStat>(q);
      out[name] = rows[0]!;
    }
    return out;
  });
}

export interface BackupResult {
  file: string;
  sha256: string;
  tables: Record<string, TableStat>;
  bytes: number;
}

export async function backup(
  url: string,
  out: string,
  progress?: (step: string) => void,
): Promise<BackupResult> {
  progress?.("pg_dump");
  try {
    await run("pg_dump", [
      "--format=custom",
      "--no-owner",
      "--no-privileges",
      `--file=${out}`,
      `--dbname=${url}`,
    ]);
  } catch (e) {
    throw new BackupError(
      `pg_dump завершился с ошибкой: ${String((e as { stderr?: string }).stderr ?? e).trim()}`,
    );
  }
  progress?.("контрольная сумма");
  const sha256 = await sha256File(out);
  await writeFile(`${out}.sha256`, `${sha256}  ${path.basename(out)}\n`);
  progress?.("подсчёт строк");
  const tables = await tableStats(url);
  await writeFile(
    `${out}.manifest.json`,
    `${JSON.stringify({ createdAt: new Date().toISOString(), file: path.basename(out), sha256, tables }, null, 2)}\n`,
  );
  const bytes = (await readFile(out)).length;
  return { file: out, sha256, tables, bytes };
}

export async function restore(from: string, url: string, progress?: (step: string) => void) {
  progress?.("проверка контрольной суммы");
  let expected: string;
  let manifest: { sha256: string; tables: Record<string, TableStat> };
  try {
    expected = (await readFile(`${from}.sha256`, "utf8")).split(/\s+/)[0]!;
    manifest = JSON.parse(await readFile(`${from}.manifest.json`, "utf8"));
  } catch {
    throw new BackupError(
      `Рядом с ${from} нет файлов .sha256 и .manifest.json: восстановление без проверки запрещено.`,
    );
  }
  const actual = await sha256File(from).catch(() => {
    throw new BackupError(`Файл резервной копии не найден: ${from}`);
  });
  if (actual !== expected || actual !== manifest.sha256) {
    throw new BackupError("Контрольная сумма не совпадает: файл резервной копии повреждён или подменён.");
  }
  const existing = await withClient(url, listTables);
  if (existing.length > 0) {
    throw new BackupError(
      `База данных не пустая (${existing.length} таблиц): восстановление выполняется только в пустую базу.`,
    );
  }
  progress?.("pg_restore");
  try {
    await run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", `--dbname=${url}`, from]);
  } catch (e) {
    throw new BackupError(
      `pg_restore завершился с ошибкой: ${String((e as { stderr?: string }).stderr ?? e).trim()}`,
    );
  }
  progress?.("сверка строк и контрольных сумм");
  const tables = await tableStats(url);
  const diff = Object.keys({ ...manifest.tables, ...tables }).filter(
    (t) =>
      tables[t]?.rows !== manifest.tables[t]?.rows || tables[t]?.checksum !== manifest.tables[t]?.checksum,
  );
  if (diff.length > 0)
    throw new BackupError(`После восстановления не совпадают таблицы: ${diff.join(", ")}.`);
  return { tables };
}
