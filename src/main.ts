import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyPluginAsync } from "fastify";
import { Redis } from "ioredis";
import { ConfigError, loadConfig } from "./config.js";
import { createDb } from "./db/client.js";
import { ensureDatabase, migrate } from "./db/migrate.js";
import { preflight } from "./db/preflight.js";
import { createLogger } from "./logger.js";
import { listenError } from "./start-errors.js";

/**
 * Starts the roles named in ROLES (api, bot, worker) in one process. `--setup` (used by
 * `npm start`) first creates and migrates the database and seeds the demo school once (never with
 * NODE_ENV=production). Each role's code is imported only when that role runs, so a worker-only
 * process carries no HTTP app or bot, and none carries the demo seed outside `--setup`.
 */
const setup = process.argv.includes("--setup");

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);

const unreachable = await preflight(config.DATABASE_URL, config.REDIS_URL, { databaseMustExist: !setup });
if (unreachable) {
  console.error(unreachable);
  process.exit(1);
}

if (setup) {
  if (await ensureDatabase(config.DATABASE_URL)) logger.info("база данных создана");
  const applied = await migrate(config.DATABASE_URL);
  if (applied.length) logger.info({ applied }, "миграции применены");
  // A real deployment gets no demo school: its logins and password are printed in the README.
  const { DEMO_PASSWORD, seedDemo } = await import("../prisma/seed/demo.js");
  const demo = config.production ? { status: "production" as const } : await seedDemo(config.DATABASE_URL);
  if (demo.status === "production") {
    logger.info("NODE_ENV=production: демо-школа не создаётся (школа: npm run journal -- create-school)");
  } else if (demo.status === "seeded") {
    logger.info({ pupils: demo.pupils, lessons: demo.lessons }, "демо-школа создана");
    console.log(`Демо-вход: ${demo.logins.map((l) => l.login).join(", ")} — пароль ${DEMO_PASSWORD}`);
    console.log(`Коды для Telegram-бота: ${demo.codes.map((c) => `${c.code} (${c.for})`).join(", ")}`);
  }
} else {
  // Production start: refuse to run against a database that lags behind the code.
  const applied = await migrate(config.DATABASE_URL);
  if (applied.length) logger.info({ applied }, "миграции применены");
}

const db = createDb(config.DATABASE_URL);
if (config.production) {
  const { publishedPasswordLogins } = await import("../prisma/seed/published.js");
  const open = await publishedPasswordLogins(db);
  if (open.length > 0) {
    console.error(
      `NODE_ENV=production: в базе есть демо-входы с опубликованным паролем (${open.join(", ")}): смените им пароль или запустите на чистой базе.`,
    );
    process.exit(1);
  }
}
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
redis.on("error", (err) => logger.warn({ err: err.message }, "redis"));
const roles = new Set(config.ROLES);
const stops: (() => Promise<unknown>)[] = [];

const plugins: FastifyPluginAsync[] = [];
if (roles.has("bot")) {
  const { startBot } = await import("../bot/start.js");
  const bot = await startBot(config, { db, redis, logger });
  if (bot.plugin) plugins.push(bot.plugin);
  stops.push(() => bot.stop());
}
if (roles.has("worker")) {
  const [{ startRelay }, { startWorker }] = await Promise.all([
    import("./events/relay.js"),
    import("../worker/index.js"),
  ]);
  const relay = await startRelay({ config, db, logger: logger.child({ role: "relay" }) });
  const worker = await startWorker({ config, db, logger: logger.child({ role: "worker" }) });
  stops.push(
    () => relay.stop(),
    () => worker.stop(),
  );
  if (config.BACKUP_DIR) {
    const { startBackups } = await import("../worker/backups.js");
    const backups = await startBackups(
      { db, logger: logger.child({ role: "backups" }) },
      { ...config, BACKUP_DIR: config.BACKUP_DIR },
    );
    stops.push(() => backups.stop());
  }
}
if (roles.has("api")) {
  const [{ queueBoard }, { buildApp }] = await Promise.all([
    import("../worker/board.js"),
    import("./http/app.js"),
  ]);
  const board = queueBoard({ redisUrl: config.REDIS_URL, db, auth: config, redis });
  plugins.push(board.plugin);
  // web/dist beside the sources (tsx src/main.ts) or above the compiled dist/src/main.js.
  const webRoot = ["../web/dist", "../../web/dist"]
    .map((p) => fileURLToPath(new URL(p, import.meta.url)))
    .find((p) => existsSync(p));
  const app = await buildApp({ db, config, redis, logger: logger.child({ role: "api" }), plugins, webRoot });
  try {
    await app.listen({ host: config.HOST, port: config.PORT });
  } catch (error) {
    const line = listenError(error, config.HOST, config.PORT);
    if (!line) throw error;
    console.error(line);
    process.exit(1);
  }
  // The HTTP server stops taking requests first; the other roles finish what they hold.
  stops.unshift(
    () => app.close(),
    () => board.close(),
  );
  console.log(
    `Веб-журнал: http://${config.HOST}:${config.PORT}/   API: http://${config.HOST}:${config.PORT}/docs`,
  );
}
if (roles.has("api") || config.METRICS_PORT) {
  const [{ queueDepths }, { registerQueueDepths }] = await Promise.all([
    import("../worker/queue-depths.js"),
    import("./metrics.js"),
  ]);
  const depths = queueDepths(config.REDIS_URL);
  registerQueueDepths(depths.counts);
  stops.push(() => depths.close());
}
if (config.METRICS_PORT) {
  const { startMetricsServer } = await import("./metrics-server.js");
  const metrics = await startMetricsServer({
    host: config.HOST,
    port: config.METRICS_PORT,
    allow: config.METRICS_ALLOW,
  });
  stops.unshift(() => metrics.close());
}
logger.info({ roles: [...roles] }, "журнал запущен");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "остановка");
  const timer = setTimeout(() => {
    logger.error("остановка заняла больше 20 с — выходим");
    process.exit(1);
  }, 20_000);
  timer.unref();
  for (const stop of stops) {
    await stop().catch((err: unknown) => logger.warn({ err: String(err) }, "ошибка при остановке"));
  }
  await db.$disconnect();
  redis.disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
