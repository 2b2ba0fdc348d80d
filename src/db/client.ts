import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** Either a client or a transaction: read models accept both. */
export type DbOrTx = Db | Tx;

export { Prisma } from "../generated/prisma/client.js";

export function createDb(databaseUrl: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: options.max ?? 10 },
    { statementNameGenerator: statementName },
  );
  return new PrismaClient({ adapter });
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
