import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "../../src/db/client.js";
import { migrate, readMigrations } from "../../src/db/migrate.js";

/**
 * A fresh, migrated database per test file. The migrations run once into a template database
 * (named by their checksum); each test file then gets a cheap copy of it.
 */
// Database names carry their creation time so stale ones can be dropped; tests fake Date, not
// the performance clock, so the real time comes from there.
const realNow = () => Math.round(performance.timeOrigin + performance.now());

export const SERVER_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/zhurnal";

export const urlFor = (name: string) => {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor("postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function templateName(): Promise<string> {
  const files = await readMigrations();
  const sum = files
    .map((f) => f.checksum.slice(0, 6))
    .join("")
    .slice(-24);
  return `zhurnal_tpl_${sum}`;
}

/** Creates the migrated template if missing; safe when several test runs start together. */
export async function ensureTemplate(): Promise<string> {
  const name = await templateName();
  await admin(async (c) => {
    await c.query("SELECT pg_advisory_lock(72201805)");
    try {
      const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (rowCount) return;
      const building = `${name}_build_${randomBytes(3).toString("hex")}`;
      await c.query(`CREATE DATABASE "${building}"`);
      await migrate(urlFor(building));
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await c.query("SELECT pg_advisory_unlock(72201805)");
    }
  });
  return name;
}

export interface TestDb {
  db: Db;
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const template = await ensureTemplate();
  const name = `zhurnal_t_${realNow().toString(36)}_${randomBytes(3).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      // Another run may hold the template for an instant ("being accessed by other users").
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
  const url = urlFor(name);
  const db = createDb(url, { max: 5 });
  return {
    db,
    url,
    name,
    async drop() {
      await db.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Creates an empty, unmigrated database (for the migration tests). */
export async function createEmptyDb(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `zhurnal_e_${realNow().toString(36)}_${randomBytes(3).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    url: urlFor(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}
