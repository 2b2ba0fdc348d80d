import { describe, expect, it } from "vitest";
import { statementName } from "../../src/db/client.js";

const q = (sql: string, n = 1) => ({ sql, args: Array.from({ length: n }, (_, i) => i) });

describe("statementName: which statements a connection keeps prepared", () => {
  it.each([
    ["a raw read with an array parameter", q(`SELECT id FROM "Mark" WHERE id = ANY($1::int[])`), true],
    ["an ORM read", q(`SELECT "public"."Person"."id" FROM "public"."Person" WHERE "id" = $1`), true],
    [
      "an ORM IN list, whose text varies with its length",
      q(`SELECT 1 FROM "P" WHERE "id" IN ($1,$2,$3)`, 3),
      false,
    ],
    ["a bulk insert with many parameters", q(`INSERT INTO "M" VALUES ${"($1),".repeat(65)}`, 65), false],
  ])("%s: named %s", (_what, query, named) => {
    expect(statementName(query) !== "").toBe(named);
  });

  it("gives one text one name, and different texts different names", () => {
    const a = statementName(q("SELECT $1::int"));
    expect(statementName(q("SELECT $1::int"))).toBe(a);
    expect(statementName(q("SELECT $1::text"))).not.toBe(a);
    // PostgreSQL truncates names longer than 63 bytes.
    expect(a.length).toBeLessThanOrEqual(63);
  });
});
