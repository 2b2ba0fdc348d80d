import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { config as loadDotenv } from "dotenv";
import { createDb, type Db } from "../db/client.js";
import { isDomainError } from "../journal/errors.js";
import { createOperator } from "../journal/operators.js";
import { createSchoolWithAdmin } from "../journal/schools.js";
import { archiveActor, archiveYear, DEFAULT_RETENTION } from "./exchange/archive.js";
import { backup, restore } from "./exchange/backup.js";
import { listBackups } from "./exchange/backup-dir.js";
import { exportCsv, exportYear } from "./exchange/export.js";
import { importYear } from "./exchange/import.js";
import { REPORT_FORMATS, REPORT_NAMES, type ReportFormat, type ReportName, renderReport } from "./index.js";
import { resolveClass, resolvePeriod, resolvePupil, resolveSubject, resolveYear } from "./resolve.js";

/**
 * `npm run journal -- <command>`: the IT admin's tool. Each command shows progress on stderr and
 * ends with one Russian summary line on stdout; an error is one line on stderr and exit code 1.
 */
const USAGE = `Команды:
  create-school --name "МБОУ «Школа № 1»" [--timezone Europe/Moscow] --admin "Фамилия Имя Отчество"
          --login <логин> (пароль — из переменной окружения JOURNAL_ADMIN_PASSWORD)
  create-operator --login <логин> (оператор развёртывания: панель очередей /admin/queues;
          пароль — из переменной окружения JOURNAL_OPERATOR_PASSWORD)
  backup  --out <файл> [--database-url <url>]
  backups [--dir <папка>] (резервные копии по расписанию; по умолчанию BACKUP_DIR)
  restore --from <файл> --database-url <url>
  export  --year 2026/2027 --out <файл.json> [--csv <папка>] [--school <id>]
  import  --file <файл.json> [--database-url <url>]
  archive --year 2026/2027 --out <папка> [--journals-years 5] [--summary-years 25] [--school <id>]
  report  <${REPORT_NAMES.join("|")}> [--class 5А] [--subject …] [--period …] [--pupil "Фамилия Имя"]
          [--from ГГГГ-ММ-ДД] [--to ГГГГ-ММ-ДД] [--year 2026/2027] --format ${REPORT_FORMATS.join("|")} [--out <файл>]`;

class UsageError extends Error {}

const options = {
  out: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  file: { type: "string" },
  dir: { type: "string" },
  csv: { type: "string" },
  year: { type: "string" },
  school: { type: "string" },
  class: { type: "string" },
  subject: { type: "string" },
  period: { type: "string" },
  pupil: { type: "string" },
  format: { type: "string" },
  "database-url": { type: "string" },
  "journals-years": { type: "string" },
  "summary-years": { type: "string" },
  name: { type: "string" },
  timezone: { type: "string" },
  admin: { type: "string" },
  login: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"];

function need(values: Values, key: keyof Values): string {
  const v = values[key];
  if (typeof v !== "string" || v === "") throw new UsageError(`Не указан параметр --${key}.`);
  return v;
}

let quiet = false;

/** Progress on stderr: a bar on a terminal, plain lines otherwise (logs, CI). */
function progressBar() {
  if (quiet) return { update: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    return {
      update: (step: string, done: number, total: number) =>
        process.stderr.write(`[${done}/${total}] ${step}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: " {bar} {value}/{total} {step}", hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(step: string, done: number, total: number) {
      if (!started) {
        bar.start(total, 0, { step });
        started = true;
      }
      bar.update(done, { step });
    },
    stop: () => started && bar.stop(),
  };
}

const step = (text: string) => {
  if (!quiet) process.stderr.write(`… ${text}\n`);
};
const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} КБ`;

function databaseUrl(values: Values): string {
  loadDotenv({ quiet: true });
  const url = values["database-url"] ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError("Не задан адрес базы данных: --database-url или DATABASE_URL.");
  return url;
}

async function withDb<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(url, { max: 3 });
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

/** What each report needs from the command line (the read models check the rest). */
const REQUIRED: Record<ReportName, ("class" | "subject" | "period" | "pupil")[]> = {
  "journal-page": ["class", "subject", "period"],
  summary: ["class"],
  absences: ["class"],
  dynamics: ["pupil", "subject", "period"],
  control: ["period"],
  activity: [],
};

async function reportCommand(db: Db, name: string | undefined, values: Values): Promise<string> {
  if (!name || !(REPORT_NAMES as string[]).includes(name)) {
    throw new UsageError(`Укажите отчёт: ${REPORT_NAMES.join(", ")}.`);
  }
  const missing = (REQUIRED[name as ReportName] ?? []).filter((k) => !values[k]);
  if (missing.length > 0) {
    throw new UsageError(`Для отчёта «${name}» укажите ${missing.map((k) => `--${k}`).join(", ")}.`);
  }
  const format = (values.format ?? "json") as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`Формат: ${REPORT_FORMATS.join(", ")}.`);
  const year = await resolveYear(db, values.year, values.school ? Number(values.school) : undefined);
  const input: Record<string, unknown> = {};
  if (values.class) input.classId = (await resolveClass(db, year.id, values.class)).id;
  if (values.subject) input.subjectId = (await resolveSubject(db, year.schoolId, values.subject)).id;
  if (values.period) input.periodId = (await resolvePeriod(db, year.id, values.period)).id;
  if (values.pupil) input.pupilId = (await resolvePupil(db, year.schoolId, values.pupil)).id;
  if (values.from) input.from = values.from;
  if (values.to) input.to = values.to;
  if (name === "activity") input.yearId = year.id;
  step(`строю отчёт «${name}»`);
  const r = await renderReport(db, archiveActor(year.schoolId), name, input, format);
  const out = values.out ?? r.fileName;
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await writeFile(out, r.body);
  return `Отчёт «${name}» (${format}) сохранён в ${out}, ${kb(r.body.length)}.`;
}

/** Runs one command and returns its summary line; `quiet` hides progress (tests). */
export async function main(argv: string[], opts: { quiet?: boolean } = {}): Promise<string> {
  quiet = opts.quiet ?? false;
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const option = /'(-[^']+)'/.exec((e as Error).message)?.[1];
    throw new UsageError(
      option
        ? `Неизвестный или неполный параметр ${option} (справка: npm run journal -- --help).`
        : "Неверные параметры (справка: npm run journal -- --help).",
    );
  }
  const { values, positionals } = parsed;
  const [command, arg] = positionals;
  if (values.help || !command) return USAGE;
  const bar = progressBar();
  try {
    switch (command) {
      case "create-school":
        return await withDb(databaseUrl(values), async (db) => {
          // The password never goes on the command line, where shell history and `ps` keep it.
          const password = process.env.JOURNAL_ADMIN_PASSWORD;
          if (!password) throw new UsageError("Задайте пароль администратора в JOURNAL_ADMIN_PASSWORD.");
          const [lastName, firstName, middleName] = need(values, "admin").trim().split(/\s+/);
          const r = await createSchoolWithAdmin(db, {
            name: need(values, "name"),
            timeZone: values.timezone,
            admin: { lastName, firstName, middleName },
            login: need(values, "login"),
            password,
          });
          return `Школа создана (id ${r.schoolId}); администратор журнала входит с логином ${values.login}.`;
        });
      case "create-operator":
        return await withDb(databaseUrl(values), async (db) => {
          const password = process.env.JOURNAL_OPERATOR_PASSWORD;
          if (!password) throw new UsageError("Задайте пароль оператора в JOURNAL_OPERATOR_PASSWORD.");
          const op = await createOperator(db, { login: need(values, "login"), password });
          return `Оператор «${op.login}» создан: вход на /admin/login, панель очередей /admin/queues.`;
        });
      case "backup": {
        const out = need(values, "out");
        await mkdir(path.dirname(path.resolve(out)), { recursive: true });
        const r = await backup(databaseUrl(values), out, step);
        const rows = Object.values(r.tables).reduce((s, t) => s + t.rows, 0);
        return `Резервная копия сохранена в ${out} (${kb(r.bytes)}, ${Object.keys(r.tables).length} таблиц, ${rows} строк), sha256 ${r.sha256.slice(0, 12)}….`;
      }
      case "backups": {
        const dir = values.dir ?? process.env.BACKUP_DIR;
        if (!dir) throw new UsageError("Укажите папку: --dir <папка> или BACKUP_DIR в .env.");
        const list = await listBackups(dir);
        if (list.length === 0) return `В ${dir} нет резервных копий по расписанию.`;
        const kinds = { daily: "ежедневная", period: "конец периода", year: "конец года" } as const;
        for (const b of list) {
          console.log(
            `${b.at.replace("T", " ")}  ${kinds[b.kind].padEnd(13)}  ${b.bytes === null ? "—" : kb(b.bytes)}  ${b.name}`,
          );
        }
        return `Резервных копий в ${dir}: ${list.length}.`;
      }
      case "restore": {
        const from = need(values, "from");
        const url = need(values, "database-url");
        const r = await restore(from, url, step);
        const rows = Object.values(r.tables).reduce((s, t) => s + t.rows, 0);
        return `Восстановлено из ${from}: ${Object.keys(r.tables).length} таблиц, ${rows} строк, контрольные суммы совпали.`;
      }
      case "export":
        return await withDb(databaseUrl(values), async (db) => {
          const year = await resolveYear(
            db,
            need(values, "year"),
            values.school ? Number(values.school) : undefined,
          );
          const file = await exportYear(db, year.id, bar.update);
          const out = need(values, "out");
          await mkdir(path.dirname(path.resolve(out)), { recursive: true });
          await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
          if (values.csv) {
            await mkdir(values.csv, { recursive: true });
            for (const [name, csv] of exportCsv(file)) await writeFile(path.join(values.csv, name), csv);
          }
          const rows = Object.values(file.counts).reduce((s, n) => s + n, 0);
          return `Выгрузка ${year.name} сохранена в ${out}: ${Object.keys(file.counts).length} таблиц, ${rows} строк.`;
        });
      case "import":
        return await withDb(databaseUrl(values), async (db) => {
          const file = need(values, "file");
          let raw: unknown;
          try {
            raw = JSON.parse(await readFile(file, "utf8"));
          } catch (e) {
            throw new UsageError(`Не удалось прочитать ${file}: ${(e as Error).message}`);
          }
          const counts = await importYear(db, raw, bar.update);
          const rows = Object.values(counts).reduce((s, n) => s + n, 0);
          return `Импорт из ${file} завершён: ${Object.keys(counts).length} таблиц, ${rows} строк.`;
        });
      case "archive":
        return await withDb(databaseUrl(values), async (db) => {
          const year = await resolveYear(
            db,
            need(values, "year"),
            values.school ? Number(values.school) : undefined,
          );
          const out = need(values, "out");
          const years = (key: "journals-years" | "summary-years", dflt: number) => {
            const v = values[key] === undefined ? dflt : Number(values[key]);
            if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${key}: целое число лет.`);
            return v;
          };
          const r = await archiveYear(
            db,
            {
              yearId: year.id,
              out,
              retention: {
                journals: years("journals-years", DEFAULT_RETENTION.journals),
                summarySheets: years("summary-years", DEFAULT_RETENTION.summarySheets),
              },
            },
            bar.update,
          );
          return `Архив ${year.name} собран в ${out}: ${r.files} файлов, ${kb(r.bytes)}, сроки хранения в retention.json.`;
        });
      case "report":
        return await withDb(databaseUrl(values), (db) => reportCommand(db, arg, values));
      default:
        throw new UsageError(
          `Нет команды «${command}»: есть backup, restore, export, import, archive, report (справка: --help).`,
        );
    }
  } finally {
    bar.stop();
  }
}

/** One line for any failure: domain errors and ours carry Russian text already. */
export function errorLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (isDomainError(e) || e instanceof UsageError) return `Ошибка: ${message}`;
  const first = message.split("\n").find((l) => l.trim() !== "") ?? "неизвестная ошибка";
  return `Ошибка: ${first.trim()}`;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("src/reports/cli.ts")) {
  main(process.argv.slice(2)).then(
    (summary) => {
      process.stdout.write(`${summary}\n`);
    },
    (e) => {
      process.stderr.write(`${errorLine(e)}\n`);
      process.exitCode = 1;
    },
  );
}
