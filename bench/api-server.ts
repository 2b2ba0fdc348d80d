/**
 * The API under benchmark, in its own process so the load generator does not share its event
 * loop. Prints `{"port": …}` once listening; exits on SIGTERM.
 */
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { buildApp } from "../src/http/app.js";
import { createLogger } from "../src/logger.js";

const config = loadConfig();
const db = createDb(config.DATABASE_URL, { max: 20 });
const app = await buildApp({
  db,
  config,
  logger: createLogger("silent"),
  loginLimits: { freeFailures: 1000, baseDelaySec: 1, maxDelaySec: 1, perIp: 100_000, windowSec: 60 },
});
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
process.on("SIGTERM", async () => {
  await app.close();
  await db.$disconnect();
  process.exit(0);
});
