import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { Queue, Worker } from "bullmq";
import { DateTime } from "luxon";
import { type Db, Prisma, queryRows } from "../src/db/client.js";
import { emit } from "../src/events/outbox.js";
import type { Logger } from "../src/logger.js";
import { backup, sha256File } from "../src/reports/exchange/backup.js";
import { pruneBackups } from "../src/reports/exchange/backup-dir.js";
import { type BackupKind, backupFileName, backupKind } from "../src/reports/exchange/backup-plan.js";
import { producerConnection, workerConnection } from "./queues.js";

const run = promisify(execFile);

/** The backups queue: one scheduled job a day (002 §9.2.2, 003 §5.1, 8.1). */
export const BACKUPS_QUEUE = "backups";

export interface BackupSettings {
  DATABASE_URL: string;
  REDIS_URL: string;
  BACKUP_DIR: string;
  /** Local time of the daily backup, HH:MM. */
  BACKUP_TIME: string;
  BACKUP_TIME_ZONE: string;
  BACKUP_KEEP_DAILY: number;
}

export interface ScheduledBackup {
  file: string;
  kind: BackupKind;
  bytes: number;
  pruned: string[];
}

/** A pg_dump error can quote the connection string: never pass a password on to a message. */
const clean = (reason: string) =>
  reason.replace(/postgres(ql)?:\/\/[^\s"']+/g, "postgresql://…").slice(0, 300);

/**
 * One scheduled backup: dumps the database into BACKUP_DIR under a name that says its kind (the
 * day that just ended was a period's or a year's last day, or an ordinary one), verifies what was
 * written (the checksum read back from disk, and pg_restore can read the archive's table of
 * contents), then deletes daily backups beyond BACKUP_KEEP_DAILY. When anything fails, every
 * school's journal admins are told (`backup.failed`) and the error is thrown (the job fails).
 */
export async function runScheduledBackup(
  deps: { db: Db; logger: Logger; clock?: () => Date },
  s: BackupSettings,
): Promise<ScheduledBackup> {
  const at = DateTime.fromJSDate(deps.clock?.() ?? new Date(), { zone: s.BACKUP_TIME_ZONE });
  try {
    // The backup runs at night: it covers the day that ended.
    const day = at.minus({ hours: 12 }).toISODate()!;
    const ends = await queryRows<{ kind: string }>(
      deps.db,
      Prisma.sql`SELECT DISTINCT kind::text AS kind FROM "Period" WHERE "endDate" = ${day}::date`,
    );
    const kind = backupKind(day, {
      periods: new Set(ends.some((e) => e.kind !== "YEAR") ? [day] : []),
      years: new Set(ends.some((e) => e.kind === "YEAR") ? [day] : []),
    });
    await mkdir(s.BACKUP_DIR, { recursive: true });
    const file = path.join(s.BACKUP_DIR, backupFileName(at, kind));
    const result = await backup(s.DATABASE_URL, file);
    const recorded = (await readFile(`${file}.sha256`, "utf8")).split(/\s+/)[0];
    if ((await sha256File(file)) !== recorded || recorded !== result.sha256) {
      throw new Error("контрольная сумма записанного файла не совпадает");
    }
    await run("pg_restore", ["--list", file]).catch((e: { stderr?: string }) => {
      throw new Error(`pg_restore не читает архив: ${String(e.stderr ?? e).trim()}`);
    });
    const pruned = await pruneBackups(s.BACKUP_DIR, s.BACKUP_KEEP_DAILY);
    deps.logger.info(
      { file: path.basename(file), kind, bytes: result.bytes, pruned: pruned.length },
      "резервная копия создана",
    );
    return { file, kind, bytes: result.bytes, pruned };
  } catch (error) {
    const reason = clean(error instanceof Error ? error.message : String(error));
    deps.logger.error({ err: reason }, "резервная копия не создана");
    await tellAdmins(deps.db, at.toISO()!, reason).catch((e: unknown) =>
      deps.logger.error(
        { err: String(e) },
        "не удалось сообщить администраторам о сбое резервного копирования",
      ),
    );
    throw error;
  }
}

async function tellAdmins(db: Db, at: string, reason: string) {
  const schools = await db.school.findMany({ select: { id: true } });
  await db.$transaction(async (tx) => {
    for (const school of schools) {
      await emit(tx, school.id, { type: "backup.failed", payload: { schoolId: school.id, at, reason } });
    }
  });
}

/**
 * The backup role of a worker process: a BullMQ job scheduler fires at BACKUP_TIME in
 * BACKUP_TIME_ZONE every day, and one job at a time runs it (several worker copies share it).
 */
export async function startBackups(deps: { db: Db; logger: Logger; prefix?: string }, s: BackupSettings) {
  const queue = new Queue(BACKUPS_QUEUE, {
    connection: producerConnection(s.REDIS_URL),
    prefix: deps.prefix,
  });
  queue.on("error", (err) => deps.logger.warn({ err: err.message }, "backups: queue error"));
  const [hour, minute] = s.BACKUP_TIME.split(":").map(Number);
  await queue.upsertJobScheduler(
    "backup:daily",
    { pattern: `${minute} ${hour} * * *`, tz: s.BACKUP_TIME_ZONE },
    { name: "backup", data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(BACKUPS_QUEUE, () => runScheduledBackup(deps, s), {
    connection: workerConnection(s.REDIS_URL),
    prefix: deps.prefix,
    concurrency: 1,
    // A dump of a large school takes minutes: the lock is renewed, the job is never run twice.
    lockDuration: 120_000,
  });
  worker.on("error", (err) => deps.logger.warn({ err: err.message }, "backups: worker error"));
  return {
    queue,
    async stop() {
      await worker.close();
      await queue.close();
    },
  };
}
