import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, isUniqueViolation, Prisma, queryRows } from "../../src/db/client.js";
import { createTestDb, type TestDb, urlFor } from "../support/db.js";

/**
 * queryRows reads straight from the pool outside a transaction and through the ORM inside one:
 * the two must give the same values, whatever the process's time zone.
 */

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

const everyKind = () => Prisma.sql`
  SELECT 1::int AS int, 9007199254740993::bigint AS big, 'Иванова 🙂'::text AS text, true AS bool,
         1.5::float8 AS float, NULL::int AS "null",
         '2026-03-01'::date AS date, '2026-11-24T23:15:30.123+03:00'::timestamptz AS instant,
         '2026-11-24 10:15:30.123'::timestamp AS "localTime",
         '{"a":[1,"б"],"d":"2026-11-24"}'::json AS json, '{"a":1}'::jsonb AS jsonb,
         ARRAY[3,1,2]::int[] AS ints, ARRAY['а','b']::text[] AS texts,
         'ABSENT'::"AttendanceKind" AS kind,
         ${new Date("2026-11-24T21:30:00.000Z")}::timestamptz AS "argInstant",
         ${new Date("2026-03-01T00:00:00.000Z")}::date AS "argDate",
         ${9007199254740993n}::bigint AS "argBig", ${[5, 6]}::int[] AS "argInts"`;

describe("queryRows", () => {
  it.each(["UTC", "Asia/Vladivostok", "America/Los_Angeles"])(
    "gives the ORM's values for every kind of column (process time zone %s)",
    async (zone) => {
      const saved = process.env.TZ;
      process.env.TZ = zone;
      try {
        const [direct] = await queryRows<Record<string, unknown>>(t.db, everyKind());
        const [orm] = await t.db.$queryRaw<Record<string, unknown>[]>(everyKind());
        const [inTransaction] = await t.db.$transaction((tx) =>
          queryRows<Record<string, unknown>>(tx, everyKind()),
        );
        expect(direct).toEqual(orm);
        expect(inTransaction).toEqual(orm);
        // The values a caller relies on, spelled out: a date is its UTC midnight, bigints stay exact.
        expect(direct).toMatchObject({
          big: 9007199254740993n,
          date: new Date("2026-03-01T00:00:00.000Z"),
          instant: new Date("2026-11-24T20:15:30.123Z"),
          localTime: new Date("2026-11-24T10:15:30.123Z"),
          json: { a: [1, "б"], d: "2026-11-24" },
          kind: "ABSENT",
          argInstant: new Date("2026-11-24T21:30:00.000Z"),
          argDate: new Date("2026-03-01T00:00:00.000Z"),
          argBig: 9007199254740993n,
          argInts: [5, 6],
        });
      } finally {
        process.env.TZ = saved;
      }
    },
  );

  it("refuses numeric columns, which only the ORM would turn into decimals", async () => {
    await expect(queryRows(t.db, Prisma.sql`SELECT 1.5::numeric AS n`)).rejects.toThrow(/numeric/);
  });

  it("reports a unique violation the same way on both paths", async () => {
    const school = await t.db.school.create({
      data: { name: "Школа уникальности", timeZone: "Europe/Moscow" },
    });
    const insert = () => Prisma.sql`
      INSERT INTO "Subject" ("schoolId", name) VALUES (${school.id}::int, 'Химия') RETURNING id`;
    await queryRows(t.db, insert());
    const direct = await queryRows(t.db, insert()).catch((e: unknown) => e);
    const inTransaction = await t.db.$transaction((tx) => queryRows(tx, insert())).catch((e: unknown) => e);
    expect(isUniqueViolation(direct)).toBe(true);
    expect(isUniqueViolation(inTransaction)).toBe(true);
    expect(await t.db.subject.count({ where: { schoolId: school.id } })).toBe(1);
  });

  it("survives the server dropping its connections and reads again on new ones", async () => {
    // A client that has only used queryRows: the ORM has not attached its own listeners yet.
    const db = createDb(t.url, { max: 3 });
    const admin = new pg.Client({ connectionString: urlFor("postgres") });
    await admin.connect();
    try {
      const pid = () => queryRows<{ pid: number }>(db, Prisma.sql`SELECT pg_backend_pid() AS pid`);
      const before = (await Promise.all([pid(), pid(), pid()])).map(([r]) => r!.pid);
      const slow = queryRows(db, Prisma.sql`SELECT pg_sleep(5)`).catch((e: { code?: string }) => e.code);
      await new Promise((r) => setTimeout(r, 200));
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid = ANY($2)",
        [t.name, [...before, ...(await pid()).map((r) => r.pid)]],
      );
      expect(rowCount).toBeGreaterThan(0);
      expect(await slow).toBe("57P01"); // the query in flight fails with the server's reason
      await new Promise((r) => setTimeout(r, 200));
      const [after] = await pid();
      expect(before).not.toContain(after!.pid);
    } finally {
      await admin.end();
      await db.$disconnect();
    }
  });
});
