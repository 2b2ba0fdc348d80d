import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../src/config.js";
import { ensureDatabase, migrate } from "../src/db/migrate.js";
import { preflight } from "../src/db/preflight.js";
import { DEMO_PASSWORD, seedDemo } from "./seed/demo.js";
import { LARGE_PUPILS, LARGE_SCHOOL, seedLarge } from "./seed/large.js";

/**
 * `npm run db:seed` — the demo school; `npm run db:seed -- --size large` — a 1,000-pupil school
 * with a full year for benchmarks (`--pupils N` for another size); `--reset` seeds the chosen
 * school again from scratch. Prints a summary in Russian with the time it took.
 */
const USAGE = "npm run db:seed [-- --size demo|large] [--reset] [--pupils N]";
const seconds = (ms: number) => `${(ms / 1000).toFixed(1).replace(".", ",")} с`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function args() {
  try {
    const { values } = parseArgs({
      options: {
        size: { type: "string", default: "demo" },
        reset: { type: "boolean", default: false },
        pupils: { type: "string" },
      },
    });
    const pupils = values.pupils === undefined ? LARGE_PUPILS : Number(values.pupils);
    if (!Number.isInteger(pupils) || pupils < 1 || pupils > 20_000)
      fail("--pupils: целое число от 1 до 20000", 2);
    if (values.size !== "demo" && values.size !== "large") {
      fail(`Неизвестный размер «${values.size}»: используйте --size demo или --size large.`, 2);
    }
    return { size: values.size, reset: values.reset, pupils };
  } catch (error) {
    return fail(`${(error as Error).message}\nИспользование: ${USAGE}`, 2);
  }
}

async function large(config: Config, reset: boolean, pupils: number) {
  const r = await seedLarge(config.DATABASE_URL, { reset, pupils, progress: true });
  if (r.status === "exists") {
    console.log(
      `Большая школа ${LARGE_SCHOOL} уже есть. Чтобы создать заново: npm run db:seed -- --size large --reset`,
    );
    return;
  }
  console.log(
    `Большая школа ${r.name} создана за ${seconds(r.ms)} (генерация ${seconds(r.generateMs)}, запись ${seconds(r.writeMs)}).`,
  );
  console.log(
    `  классов: ${r.classes}, учеников: ${r.pupils}, родителей: ${r.guardians}, учителей: ${r.teachers}`,
  );
  const counts = Object.entries(r.counts).map(([t, n]) => `${t} ${n.toLocaleString("ru-RU")}`);
  console.log(`  строк по таблицам: ${counts.join(", ")}`);
  if (r.clashes) console.log(`  внимание: ${r.clashes} уроков в расписании с накладкой учителя`);
  console.log(
    `  входы: admin.large, zavuch.large, director.large, teacher1.large…teacher${r.teachers}.large; пароль ${DEMO_PASSWORD}`,
  );
}

async function demo(config: Config, reset: boolean) {
  const r = await seedDemo(config.DATABASE_URL, { reset });
  if (r.status === "exists") {
    console.log("Демо-школа уже есть. Чтобы создать её заново: npm run db:seed -- --reset");
    return;
  }
  console.log(`Демо-школа МБОУ «Средняя школа № 7» создана за ${seconds(r.ms)}; сегодня ${r.today}.`);
  console.log(
    `  учеников: ${r.pupils} (1А, 5А, 7Б), родителей: ${r.guardians}, учителей: ${r.teachers}, уроков: ${r.lessons}, отметок: ${r.marks}, пропусков: ${r.absences}`,
  );
  console.log(`  входы (пароль ${DEMO_PASSWORD}):`);
  for (const l of r.logins) console.log(`    ${l.login.padEnd(14)} ${l.name} — ${l.roles}`);
  console.log("  коды приглашения для Telegram-бота (действуют 7 дней, /start КОД):");
  for (const c of r.codes) console.log(`    ${c.code.padEnd(14)} ${c.for}`);
}

const { size, reset, pupils } = args();
let config: Config;
try {
  config = loadConfig();
} catch (error) {
  fail((error as Error).message);
}
// Demo schools have public logins and a public password: never in a real deployment.
if (config.production) {
  fail(
    "NODE_ENV=production: демо-данные не создаются (их логины и пароль опубликованы). Школа: npm run journal -- create-school",
  );
}
// The seed needs PostgreSQL only; an unreachable server is one clear line, not a stack trace.
const unreachable = await preflight(config.DATABASE_URL, null);
if (unreachable) fail(unreachable);
try {
  if (await ensureDatabase(config.DATABASE_URL)) console.log("База данных создана.");
  const applied = await migrate(config.DATABASE_URL);
  if (applied.length) console.log(`Применены миграции: ${applied.join(", ")}`);
  if (size === "large") await large(config, reset, pupils);
  else await demo(config, reset);
} catch (error) {
  // Nothing was written: each school is seeded in one transaction.
  fail(`Заполнение не выполнено, база не изменена: ${(error as Error).message}`);
}
