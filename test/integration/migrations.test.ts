import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../../src/db/migrate.js";
import { createEmptyDb } from "../support/db.js";

// @prisma/internals parses schema.prisma with Prisma's own (wasm) parser: no engine binary needed.
const { getDMMF } = createRequire(import.meta.url)("@prisma/internals") as typeof import("@prisma/internals");

type Dmmf = Awaited<ReturnType<typeof getDMMF>>;

let empty: Awaited<ReturnType<typeof createEmptyDb>>;
let client: pg.Client;
let dmmf: Dmmf;

beforeAll(async () => {
  empty = await createEmptyDb();
  dmmf = await getDMMF({ datamodel: readFileSync("prisma/schema.prisma", "utf8") });
});
afterAll(async () => {
  await client?.end();
  await empty.drop();
});

const PG_TYPES: Record<string, string> = {
  Int: "integer",
  BigInt: "bigint",
  String: "text",
  Boolean: "boolean",
  Json: "jsonb",
  DateTime: "timestamp without time zone",
};

describe("migrations", () => {
  it("applies every migration to an empty database, twice in parallel, exactly once", async () => {
    const results = await Promise.all([migrate(empty.url), migrate(empty.url)]);
    const files = await readMigrations();
    // One process applied them all; the other waited on the advisory lock and found nothing to do.
    expect(results.map((r) => r.length).sort()).toEqual([0, files.length]);
    client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(rows.every((r) => r.finished_at && r.applied_steps_count === 1)).toBe(true);
  });

  it("matches schema.prisma: every model, field, type, nullability, unique and relation (drift check)", async () => {
    const { rows: cols } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: string;
      datetime_precision: number | null;
    }>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const columns = new Map(cols.map((c) => [`${c.table_name}.${c.column_name}`, c]));
    const tables = new Set(cols.map((c) => c.table_name));
    const problems: string[] = [];
    const enumNames = new Set(dmmf.datamodel.enums.map((e) => e.name));

    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      if (!tables.has(table)) problems.push(`missing table ${table}`);
      for (const field of model.fields.filter((f) => f.kind !== "object")) {
        const col = columns.get(`${table}.${field.dbName ?? field.name}`);
        if (!col) {
          problems.push(`missing column ${table}.${field.name}`);
          continue;
        }
        const native = field.nativeType?.[0];
        const expected = enumNames.has(field.type)
          ? `USER-DEFINED:${field.type}`
          : native === "Date"
            ? "date"
            : native === "Timestamptz"
              ? "timestamp with time zone"
              : PG_TYPES[field.type];
        const actual = col.data_type === "USER-DEFINED" ? `USER-DEFINED:${col.udt_name}` : col.data_type;
        if (actual !== expected)
          problems.push(`${table}.${field.name}: type ${actual}, schema says ${expected}`);
        if ((col.is_nullable === "NO") !== field.isRequired) {
          problems.push(
            `${table}.${field.name}: nullable=${col.is_nullable}, schema required=${field.isRequired}`,
          );
        }
      }
      const modelColumns = model.fields.filter((f) => f.kind !== "object").length;
      const dbColumns = cols.filter((c) => c.table_name === table).length;
      if (dbColumns !== modelColumns)
        problems.push(`${table}: ${dbColumns} columns in the database, ${modelColumns} in the schema`);
    }

    // Enums and their values.
    const { rows: enumRows } = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname::text AS typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const dbEnums = new Map(enumRows.map((r) => [r.typname, r.labels]));
    for (const e of dmmf.datamodel.enums) {
      expect(dbEnums.get(e.name), `enum ${e.name}`).toEqual(e.values.map((v) => v.name));
    }

    // Primary keys, unique constraints/indexes and plain indexes, by their column lists.
    const { rows: idx } = await client.query<{
      table: string;
      unique: boolean;
      primary: boolean;
      cols: string[];
    }>(
      `SELECT t.relname::text AS table, i.indisunique AS unique, i.indisprimary AS primary,
              array_agg(a.attname::text ORDER BY k.ord) AS cols
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const have = new Set(
      idx.map((i) => `${i.table}|${i.primary ? "id" : i.unique ? "unique" : "normal"}|${i.cols.join(",")}`),
    );
    for (const index of dmmf.datamodel.indexes) {
      const key = `${index.model}|${index.type}|${index.fields.map((f) => f.name).join(",")}`;
      if (!have.has(key)) problems.push(`missing ${index.type} index ${key}`);
    }

    // Relations: every foreign key of the schema with its columns, target and ON DELETE rule.
    const { rows: fks } = await client.query<{ table: string; cols: string[]; target: string; del: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target, c.confdeltype AS del,
              array_agg(a.attname::text ORDER BY k.ord) AS cols
       FROM pg_constraint c
       CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
       WHERE c.contype = 'f' GROUP BY c.oid`,
    );
    const fkSet = new Set(
      fks.map(
        (f) => `${f.table.replaceAll('"', "")}|${f.cols.join(",")}|${f.target.replaceAll('"', "")}|${f.del}`,
      ),
    );
    const DEL: Record<string, string> = { Cascade: "c", SetNull: "n", Restrict: "r", NoAction: "a" };
    let relations = 0;
    for (const model of dmmf.datamodel.models) {
      for (const f of model.fields.filter((x) => x.kind === "object" && x.relationFromFields?.length)) {
        relations++;
        const del = DEL[f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")];
        const key = `${model.name}|${f.relationFromFields!.join(",")}|${f.type}|${del}`;
        if (!fkSet.has(key)) problems.push(`missing relation ${key}`);
      }
    }
    expect(fks.length).toBe(relations);
    expect(problems).toEqual([]);
  });

  it("keeps the audit log append-only at the database level", async () => {
    await client.query(`INSERT INTO "AuditLog" (action, entity, "entityId") VALUES ('test', 'Test', '1')`);
    await expect(client.query(`UPDATE "AuditLog" SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(client.query(`DELETE FROM "AuditLog"`)).rejects.toThrow(/append-only/);
    await expect(client.query(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only/);
    const { rows } = await client.query(`SELECT action FROM "AuditLog"`);
    expect(rows).toEqual([{ action: "test" }]);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
    await expect(migrate(empty.url)).rejects.toThrow(/изменена после применения/);
  });
});
