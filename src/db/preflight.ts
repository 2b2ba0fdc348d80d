import { Redis } from "ioredis";
import pg from "pg";

const HINT = "запустите его (docker compose up -d) или укажите верный адрес в .env";

/** Hides the password of a URL before it is printed. */
export const safeUrl = (raw: string) => {
  const u = new URL(raw);
  if (u.password) u.password = "***";
  return u.toString();
};

/**
 * Start-up stops with one clear line naming the URL that failed and how to fix it.
 * The server may not have the journal's database yet, so PostgreSQL is asked through "postgres".
 */
export async function preflight(
  databaseUrl: string,
  redisUrl: string | null,
  opts: { databaseMustExist?: boolean } = {},
): Promise<string | null> {
  const server = new URL(databaseUrl);
  const database = decodeURIComponent(server.pathname.slice(1));
  server.pathname = "/postgres";
  const client = new pg.Client({ connectionString: server.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    if (opts.databaseMustExist) {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (!rowCount) {
        return `База данных «${database}» не найдена на сервере ${safeUrl(databaseUrl)}: создайте её (npm start или createdb) или исправьте DATABASE_URL в .env.`;
      }
    }
  } catch (error) {
    return `PostgreSQL недоступен по адресу ${safeUrl(databaseUrl)} (${(error as Error).message}): ${HINT}.`;
  } finally {
    await client.end().catch(() => {});
  }
  if (redisUrl) {
    const redis = new Redis(redisUrl, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      return `Redis недоступен по адресу ${safeUrl(redisUrl)} (${(error as Error).message}): ${HINT}.`;
    } finally {
      redis.disconnect();
    }
  }
  return null;
}
