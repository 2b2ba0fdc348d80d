import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  type BackupFile,
  backupFileName,
  backupKind,
  backupsToPrune,
  parseBackupFileName,
} from "../../src/reports/exchange/backup-plan.js";

describe("backup file names", () => {
  it.each([
    ["2026-11-29T02:30", "daily", "zhurnal-2026-11-29T0230-daily.dump"],
    ["2026-12-29T02:30", "period", "zhurnal-2026-12-29T0230-period.dump"],
    ["2027-07-01T23:05", "year", "zhurnal-2027-07-01T2305-year.dump"],
  ] as const)("%s %s ↔ %s", (at, kind, name) => {
    expect(backupFileName(DateTime.fromISO(at, { zone: "Europe/Moscow" }), kind)).toBe(name);
    expect(parseBackupFileName(name)).toEqual({ name, at, kind });
  });

  it.each([
    "zhurnal-2026-11-29T0230-daily.dump.sha256",
    "zhurnal-2026-11-29T0230-weekly.dump",
    "my-own-copy.dump",
    "zhurnal-2026-11-29-daily.dump",
  ])("%s is not a scheduled backup", (name) => {
    expect(parseBackupFileName(name)).toBeNull();
  });
});

describe("backupKind", () => {
  const ends = { periods: new Set(["2026-10-25", "2026-12-28"]), years: new Set(["2027-05-31"]) };
  it.each([
    ["2026-11-28", "daily"],
    ["2026-10-25", "period"],
    ["2026-12-28", "period"],
    ["2027-05-31", "year"],
    // 003 §8.1: a copy by 30 June every year, whatever the school's calendar.
    ["2027-06-30", "year"],
  ])("%s → %s", (day, kind) => {
    expect(backupKind(day, ends)).toBe(kind);
  });
});

describe("backupsToPrune", () => {
  const f = (at: string, kind: BackupFile["kind"]): BackupFile => ({
    name: `zhurnal-${at.replace(":", "").replace("T", "T")}-${kind}.dump`,
    at,
    kind,
  });
  const files = [
    f("2026-11-20T02:30", "daily"),
    f("2026-11-21T02:30", "daily"),
    f("2026-10-26T02:30", "period"),
    f("2026-11-23T02:30", "daily"),
    f("2026-11-22T02:30", "daily"),
    f("2026-07-01T02:30", "year"),
  ];
  it.each([
    [0, ["2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20"]],
    [2, ["2026-11-21", "2026-11-20"]],
    [4, []],
    [14, []],
  ])("keeping %i daily deletes %j (never a period or year backup)", (keep, days) => {
    const names = backupsToPrune(files, keep);
    expect(names).toEqual(days.map((d) => files.find((x) => x.at.startsWith(d))!.name));
    for (const n of names) expect(n).toMatch(/-daily\.dump$/);
  });
});
