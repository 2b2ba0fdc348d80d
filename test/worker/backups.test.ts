import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvent } from "../../src/events/types.js";
import { sha256File } from "../../src/reports/exchange/backup.js";
import { listBackups } from "../../src/reports/exchange/backup-dir.js";
import { audienceOf } from "../../worker/audience.js";
import {
  BACKUPS_QUEUE,
  type BackupSettings,
  runScheduledBackup,
  startBackups,
} from "../../worker/backups.js";
import { renderMessage } from "../../worker/render/index.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { logger, until } from "./harness.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let t: TestDb;
let s: SchoolFixture;
let dir: string;
let settings: BackupSettings;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
  dir = await mkdtemp(path.join(tmpdir(), "zhurnal-backups-"));
  settings = {
    DATABASE_URL: t.url,
    REDIS_URL: redisUrl,
    BACKUP_DIR: dir,
    BACKUP_TIME: "02:30",
    BACKUP_TIME_ZONE: "Europe/Moscow",
    BACKUP_KEEP_DAILY: 2,
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.drop();
});

/** 02:30 Moscow time on a day, as the job scheduler fires it. */
const night = (day: string) => DateTime.fromISO(`${day}T02:30`, { zone: "Europe/Moscow" }).toJSDate();

describe("scheduled backups", () => {
  it("runs nightly with a fake clock: names each copy by kind, verifies it, keeps the newest daily ones and every period end", async () => {
    // The fixture's 2nd quarter ends on 28.12: the copy of the night after it is a period's.
    const days = ["2026-12-26", "2026-12-27", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"];
    const made = [];
    for (const day of days)
      made.push(await runScheduledBackup({ db: t.db, logger, clock: () => night(day) }, settings));
    expect(made.map((m) => m.kind)).toEqual(["daily", "daily", "daily", "period", "daily", "daily"]);

    const list = await listBackups(dir);
    expect(list.map((b) => [b.at, b.kind])).toEqual([
      ["2026-12-31T02:30", "daily"],
      ["2026-12-30T02:30", "daily"],
      ["2026-12-29T02:30", "period"],
    ]);
    // Deleted with their companions; what is kept carries its checksum and manifest.
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(9);
    for (const b of list) {
      const sum = (await readFile(path.join(dir, `${b.name}.sha256`), "utf8")).split(/\s+/)[0];
      expect(await sha256File(path.join(dir, b.name))).toBe(sum);
      const manifest = JSON.parse(await readFile(path.join(dir, `${b.name}.manifest.json`), "utf8"));
      expect(manifest.tables.Person.rows).toBeGreaterThan(10);
    }
  }, 120_000);

  it("a copy made after the year's end or on 30 June is kept as the year's", async () => {
    const june = await runScheduledBackup({ db: t.db, logger, clock: () => night("2027-07-01") }, settings);
    const yearEnd = await runScheduledBackup(
      { db: t.db, logger, clock: () => night("2027-06-01") },
      settings,
    );
    expect([june.kind, yearEnd.kind]).toEqual(["year", "year"]);
    // More daily copies do not push the year's out.
    await runScheduledBackup({ db: t.db, logger, clock: () => night("2027-07-02") }, settings);
    await runScheduledBackup({ db: t.db, logger, clock: () => night("2027-07-03") }, settings);
    const kinds = (await listBackups(dir)).map((b) => `${b.at.slice(0, 10)} ${b.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining(["2027-07-01 year", "2027-06-01 year", "2026-12-29 period"]),
    );
    expect(kinds.filter((k) => k.endsWith("daily"))).toEqual(["2027-07-03 daily", "2027-07-02 daily"]);
  }, 120_000);

  it("a failed backup tells the school's journal admins, and the job fails", async () => {
    const broken = { ...settings, DATABASE_URL: t.url.replace(/\/[^/]+$/, "/zhurnal_no_such_db") };
    await expect(
      runScheduledBackup({ db: t.db, logger, clock: () => night("2027-01-15") }, broken),
    ).rejects.toThrow(/pg_dump/);
    const row = await t.db.outbox.findFirstOrThrow({
      where: { type: "backup.failed" },
      orderBy: { id: "desc" },
    });
    expect(JSON.stringify(row.payload)).not.toMatch(/postgresql:\/\/postgres@/);
    const event = parseEvent(row.type, row.payload);
    const audience = await t.db.$transaction((tx) => audienceOf(tx, event));
    expect(audience.map((a) => a.recipientId)).toEqual([s.people.admin.id]);
    const rendered = await t.db.$transaction((tx) =>
      renderMessage(
        tx,
        s.people.admin.id,
        [{ deliveryId: 1n, type: row.type, payload: row.payload }],
        "instant",
      ),
    );
    expect(rendered.message?.text).toMatch(
      /^Резервная копия журнала не создана \(2027-01-15 02:30\): pg_dump/,
    );
  }, 60_000);

  it("is registered as a daily BullMQ job scheduler at BACKUP_TIME in its time zone, and its job runs", async () => {
    const prefix = `t-backups-${Date.now()}`;
    const own = await mkdtemp(path.join(tmpdir(), "zhurnal-backups-job-"));
    const running = await startBackups({ db: t.db, logger, prefix }, { ...settings, BACKUP_DIR: own });
    const queue = new Queue(BACKUPS_QUEUE, { connection: { url: redisUrl }, prefix });
    try {
      const [scheduler] = await queue.getJobSchedulers();
      expect(scheduler).toMatchObject({ key: "backup:daily", pattern: "30 2 * * *", tz: "Europe/Moscow" });
      await queue.add("backup", {});
      await until(async () => (await listBackups(own)).length === 1, "a backup written by the job", 60_000);
    } finally {
      await running.stop();
      await queue.obliterate({ force: true });
      await queue.close();
      await rm(own, { recursive: true, force: true });
    }
  }, 90_000);
});
