import type { DateTime } from "luxon";

/**
 * Which scheduled backups exist and which to keep (002 §9.2.2: on a schedule; 003 §5.1: at each
 * period's end; 003 §8.1: by 30 June). Pure: the worker lists the directory and deletes.
 *
 * A file is `zhurnal-<yyyy-MM-dd>T<HHmm>-<kind>.dump`, the time in the backup's time zone, with
 * its `.sha256` and `.manifest.json` beside it.
 */
export const BACKUP_KINDS = ["daily", "period", "year"] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export interface BackupFile {
  name: string;
  /** Local time of the backup, `yyyy-MM-ddTHH:mm`. */
  at: string;
  kind: BackupKind;
}

const NAME = /^zhurnal-(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})-(daily|period|year)\.dump$/;

export const backupFileName = (at: DateTime, kind: BackupKind) =>
  `zhurnal-${at.toFormat("yyyy-MM-dd'T'HHmm")}-${kind}.dump`;

/** The backup a file name describes, or null for any other file (left alone by retention). */
export function parseBackupFileName(name: string): BackupFile | null {
  const m = NAME.exec(name);
  if (!m) return null;
  return { name, at: `${m[1]}T${m[2]}:${m[3]}`, kind: m[4] as BackupKind };
}

/**
 * The kind of the backup that covers `day` (the school day that just ended, yyyy-MM-dd): "year"
 * when it is a school year's last day or 30 June, "period" when a period (quarter, trimester,
 * half) ended on it, otherwise "daily".
 */
export function backupKind(
  day: string,
  ends: { periods: ReadonlySet<string>; years: ReadonlySet<string> },
): BackupKind {
  if (ends.years.has(day) || day.endsWith("-06-30")) return "year";
  if (ends.periods.has(day)) return "period";
  return "daily";
}

/**
 * Files to delete: daily backups beyond the newest `keepDaily`. Period and year backups are kept
 * (the journal's own retention: 5 years, summary sheets 25–75 years), so are files it does not
 * recognise.
 */
export function backupsToPrune(files: readonly BackupFile[], keepDaily: number): string[] {
  return files
    .filter((f) => f.kind === "daily")
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(Math.max(0, keepDaily))
    .map((f) => f.name);
}
