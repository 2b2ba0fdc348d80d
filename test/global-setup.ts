import { Redis } from "ioredis";
import pg from "pg";
import { ensureTemplate, urlFor } from "./support/db.js";

/** Fails the run at once, with one clear line, when PostgreSQL or Redis is not there. */
export default async function setup() {
  const client = new pg.Client({ connectionString: urlFor("postgres"), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL недоступен (${urlFor("postgres")}): ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis недоступен (${redisUrl}): ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
  await ensureTemplate();
  // Remove databases left behind by interrupted runs older than an hour.
  const admin = new pg.Client({ connectionString: urlFor("postgres") });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^zhurnal_[te]_'",
    );
    const hourAgo = performance.timeOrigin + performance.now() - 3600_000;
    for (const { datname } of rows) {
      const stamp = Number.parseInt(datname.split("_")[2] ?? "", 36);
      if (Number.isFinite(stamp) && stamp < hourAgo) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
      }
    }
  } finally {
    await admin.end();
  }
}
