/**
 * The worker as a separate process, so a test can kill it with SIGKILL mid-batch. Configured by
 * environment: DATABASE_URL, REDIS_URL, BOT_TOKEN, BOT_API_ROOT, PREFIX, CLOCK_AT.
 */
import { createDb } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { startWorker } from "../../worker/index.js";

const env = process.env;
const offset = new Date(env.CLOCK_AT ?? new Date().toISOString()).getTime() - Date.now();
const db = createDb(env.DATABASE_URL!, { max: 20 });
await startWorker({
  config: {
    REDIS_URL: env.REDIS_URL!,
    BOT_TOKEN: env.BOT_TOKEN,
    BOT_API_ROOT: env.BOT_API_ROOT!,
    SMTP_FROM: "journal@school.test",
    TELEGRAM_GLOBAL_RATE: 25,
  },
  db,
  logger: createLogger("silent"),
  options: {
    prefix: env.PREFIX,
    clock: () => new Date(Date.now() + offset),
    coalesceMs: 0,
    sweepMs: 300,
    // The product's lock (6 s): a dead worker's jobs are taken over within seconds.
    backoffBaseMs: 50,
    backoffCapMs: 400,
    schedulers: false,
  },
});
process.stdout.write("ready\n");
