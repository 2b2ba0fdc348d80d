import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { type Prisma, PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** Either a client or a transaction: read models accept both. */
export type DbOrTx = Db | Tx;

export { Prisma } from "../generated/prisma/client.js";

/** The connection pool under each client made here, shared by the ORM and queryRows. */
const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10 });
  // A connection the server drops (restart, failover, an admin's terminate) must not take the
  // process down. pg reports it as an "error" event, thrown as uncaught where nobody listens: on
  // the pool for an idle connection (before the ORM's first query, only we listen), on the
  // connection itself while it is checked out between two queries. Either way the connection is
  // discarded and the query that meets it fails with the server's reason, for its caller.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const adapter = new PrismaPg(pool, { statementNameGenerator: statementName, disposeExternalPool: true });
  const db = new PrismaClient({ adapter });
  pools.set(db, pool);
  return db;
}

/**
 * Named statements are parsed and planned once per connection instead of on every call: the
 * journal's hot reads spend more time being planned than run. The name is the text's hash, so
 * one text is one statement. Texts that vary with the data (the ORM's `IN ($1,$2,…)` lists, bulk
 * inserts) stay unnamed ("" is pg's unnamed statement), so that the statements a connection
 * keeps are bounded by the queries in the code.
 */
const MAX_NAMED_PARAMS = 64;
// Named texts are few (they come from the code), so their names are kept rather than hashed again.
const names = new Map<string, string>();
export function statementName(query: { sql: string; args: readonly unknown[] }): string {
  const known = names.get(query.sql);
  if (known) return known;
  if (query.args.length > MAX_NAMED_PARAMS || /\bIN \(\$/.test(query.sql)) return "";
  const name = `z${createHash("sha1").update(query.sql).digest("base64url")}`;
  names.set(query.sql, name);
  return name;
}

/**
 * Columns as the ORM's raw queries return them, where pg's own parsing differs: `date` is the UTC
 * midnight of that day (pg would take the process's local midnight), `timestamp` is UTC, `bigint`
 * is a BigInt. `numeric` would be the ORM's Decimal, which the raw SQL here never returns.
 */
const { builtins } = pg.types;
const parsers: Partial<Record<number, (text: string) => unknown>> = {
  [builtins.DATE]: (text) => new Date(`${text}T00:00:00Z`),
  [builtins.TIMESTAMP]: (text) => new Date(`${text.replace(" ", "T")}Z`),
  [builtins.INT8]: BigInt,
  [builtins.NUMERIC]: () => {
    throw new Error("queryRows: numeric columns are not supported; cast them to float8 or text");
  },
};
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Arguments as the ORM's adapter sends them: instants in UTC, bigints as text. */
const argument = (value: unknown): unknown =>
  value instanceof Date ? value.toISOString() : typeof value === "bigint" ? value.toString() : value;

/**
 * The rows of a raw SQL query: the one way the code reads with hand-written SQL. On a client made
 * by createDb the query goes straight to its pg pool, because the ORM's raw-query path cost more
 * CPU than the journal's hottest statements themselves (about 0.2 ms a call, the most where JSON
 * columns come back); in a transaction it runs on the transaction's connection through the ORM.
 * Both give the same values (test/integration/query-rows.test.ts).
 */
export async function queryRows<T>(db: DbOrTx, query: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db as Db);
  if (!pool) return db.$queryRaw<T[]>(query);
  const text = query.text;
  const values = query.values.map(argument);
  const result = await pool.query({ name: statementName({ sql: text, args: values }), text, values, types });
  return result.rows as T[];
}

/** A unique constraint refused the write: from the ORM (P2002, or P2010 over raw SQL) or from pg. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return (
    err?.code === "P2002" ||
    err?.code === "23505" ||
    (err?.code === "P2010" && err.meta?.driverAdapterError?.cause?.originalCode === "23505")
  );
}
