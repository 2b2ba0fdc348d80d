import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { type BackupFile, backupsToPrune, parseBackupFileName } from "./backup-plan.js";

/** The scheduled backups in a directory, newest first. */
export async function listBackups(dir: string): Promise<(BackupFile & { bytes: number | null })[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.flatMap((n) => parseBackupFileName(n) ?? []);
  return Promise.all(
    files
      .sort((a, b) => (a.at < b.at ? 1 : -1))
      .map(async (f) => ({
        ...f,
        bytes: (await stat(path.join(dir, f.name)).catch(() => null))?.size ?? null,
      })),
  );
}

/** Deletes daily backups beyond `keepDaily` with their companions; returns their names. */
export async function pruneBackups(dir: string, keepDaily: number): Promise<string[]> {
  const files = (await readdir(dir)).flatMap((n) => parseBackupFileName(n) ?? []);
  const doomed = backupsToPrune(files, keepDaily);
  for (const name of doomed) {
    for (const suffix of ["", ".sha256", ".manifest.json"])
      await rm(path.join(dir, name + suffix), { force: true });
  }
  return doomed;
}
