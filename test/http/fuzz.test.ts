import iconv from "iconv-lite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  HOSTILE_SEGMENTS,
  hostileFor,
  mutate,
  type Pools,
  pick,
  plausible,
  prng,
  queryValue,
  type Schema,
} from "../support/fuzz.js";
import { type HttpCtx, startHttp } from "./helpers.js";

/**
 * Seeded fuzzing of the whole API (issue 10, item 6). Every route of the OpenAPI document — so a
 * new route is fuzzed without touching this file — gets requests as every fixture role and
 * anonymously, with plausible and hostile ids, strings, dates and bodies. Fails on any 5xx, and
 * on any refused request (4xx) that changed a row: a trigger on every table counts committed row
 * writes, read after each request. FUZZ_SEED and FUZZ_REQUESTS override the defaults.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const WRITES = Number(process.env.FUZZ_REQUESTS ?? 10_000);
/** GET routes get a smaller share: they cannot change rows, only crash. */
const READS = Math.round(WRITES / 10);

let ctx: HttpCtx;
let probe: pg.Client;
beforeAll(async () => {
  ctx = await startHttp({ secondSchool: true });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  probe = new pg.Client({ connectionString: ctx.testDb.url });
  await probe.connect();
  // Row-level: a statement that touches no row is not a change.
  await probe.query(`
    CREATE TABLE fuzz_writes (tbl text PRIMARY KEY, n bigint NOT NULL);
    CREATE FUNCTION fuzz_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO fuzz_writes VALUES (TG_TABLE_NAME, 1) ON CONFLICT (tbl) DO UPDATE SET n = fuzz_writes.n + 1;
      RETURN NULL;
    END $$;
    DO $$ DECLARE t text; BEGIN
      FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
               AND tablename NOT IN ('fuzz_writes', '_prisma_migrations') LOOP
        EXECUTE format('CREATE TRIGGER fuzz_count AFTER INSERT OR UPDATE OR DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION fuzz_count()', t);
      END LOOP;
    END $$;`);
}, 120_000);
afterAll(async () => {
  await probe?.end();
  await ctx?.close();
  vi.useRealTimers();
});

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV_HEAD =
  "Класс;День недели;Урок №;Начало;Окончание;Предмет;Учитель;Кабинет;Фамилия;Имя;№;Тема;Дата\r\n";
/** Files for the import route: readable ones in several encodings and hostile ones. */
const FILES: Buffer[] = [
  Buffer.from(
    `${CSV_HEAD}5А;Пн;1;08:30;09:15;Математика;Кузнецова А.С.;201;Фаззов;Тест;1;Дроби;01.09.2026\r\n`,
  ),
  iconv.encode(
    `${CSV_HEAD}5А;Вт;2;8.30;9:15:00;Математика;Морозов;2\u00000;Фаззов\u0000;Т;x;\uD800;42248\r\n`,
    "win1251",
  ),
  Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV_HEAD.replaceAll(";", "\t"), "utf16le")]),
  Buffer.from(`${CSV_HEAD}5А;Пн;1;08:30;09:15;${"я".repeat(100_000)};;;;;;;\r\n`),
  Buffer.from(`${CSV_HEAD}${"5А;Пн;1;08:30;09:15;М;К;1;Ф;И;1;Т;\r\n".repeat(6000)}`),
  Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)),
  Buffer.concat([Buffer.from("504b0304", "hex"), Buffer.alloc(200)]),
  Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(200)]),
  Buffer.alloc(0),
  Buffer.from('"unterminated;quote\r\n'),
];

interface Op {
  method: string;
  path: string;
  params: Schema[];
  paramNames: string[];
  query?: Schema;
  body?: Schema;
  /** A body that is a file (imports): text/csv or XLSX bytes. */
  file: boolean;
}

/** Every operation of the OpenAPI document, with its path, query and body schemas. */
function operations(doc: {
  paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown }>>;
}): Op[] {
  const ops: Op[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith("/api/")) continue;
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []) as {
        in: string;
        name: string;
        schema: Schema;
        required?: boolean;
      }[];
      const inPath = params.filter((p) => p.in === "path");
      const inQuery = params.filter((p) => p.in === "query");
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)
        ?.content;
      const json = content?.["application/json"]?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: inPath.map((p) => p.schema),
        paramNames: inPath.map((p) => p.name),
        query: inQuery.length
          ? {
              type: "object",
              properties: Object.fromEntries(inQuery.map((p) => [p.name, p.schema])),
              required: inQuery.filter((p) => p.required).map((p) => p.name),
            }
          : undefined,
        body: json,
        // The import route takes its file as the raw body, which the document does not describe.
        file: (!json && !!content) || (method === "post" && path.includes("/imports/")),
      });
    }
  }
  return ops;
}

const writes = async () =>
  Number(
    // A named statement: parsed once, then only executed after each request.
    (
      await probe.query<{ n: string }>({
        name: "fuzz-writes",
        text: "SELECT coalesce(sum(n), 0)::text AS n FROM fuzz_writes",
      })
    ).rows[0]?.n,
  );

describe("API fuzz", () => {
  it("answers every generated request below 500, and a refused one changes nothing", async () => {
    const started = performance.now();
    const doc = ctx.app.swagger() as unknown as Parameters<typeof operations>[0];
    const ops = operations(doc);
    const writeOps = ops.filter((o) => o.method !== "GET");
    const readOps = ops.filter((o) => o.method === "GET" && (o.params.length || o.query));
    expect(writeOps.length).toBeGreaterThan(40);

    const db = ctx.testDb.db;
    const [people, lessons, marks, classes, messages, slots] = await Promise.all([
      db.person.findMany({ select: { id: true } }),
      db.lesson.findMany({ select: { id: true } }),
      db.mark.findMany({ select: { id: true } }),
      db.class.findMany({ select: { id: true } }),
      db.message.findMany({ select: { id: true } }),
      db.timetableSlot.findMany({ select: { id: true } }),
    ]);
    const s = ctx.school;
    for (const day of ["2026-11-23", "2026-11-24", "2026-11-25"]) {
      for (const a of Object.values(s.assignments)) await s.lesson(a, day, 1).catch(() => undefined);
    }
    const pools: Pools = {
      ids: [
        ...new Set([
          ...[people, lessons, marks, classes, messages, slots].flat().map((r) => r.id),
          ...(await db.lesson.findMany({ select: { id: true } })).map((r) => r.id),
          1,
          2,
          3,
        ]),
      ],
      dates: [
        "2026-09-01",
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-12-28",
        "2027-05-31",
        "2026-10-30",
      ],
    };
    const who = [...Object.keys(ctx.tokens), null];

    const r = prng(SEED);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let count = 0;
    // Requests run one at a time, so the write count read after each one is that request's.
    let written = await writes();

    const fire = async (op: Op) => {
      // Logins and password changes cost an argon2 hash (~70 ms): mostly hostile there.
      const hostile = r() < (op.path.startsWith("/api/v1/auth/") ? 0.9 : 0.6);
      // One part of the request is hostile at a time, so the others do not mask it.
      const part = hostile ? pick(r, ["path", "query", "body", "body", "mix"] as const) : "none";
      let url = op.path;
      for (const [i, name] of op.paramNames.entries()) {
        const schema = op.params[i] as Schema;
        const bad = (part === "path" || part === "mix") && r() < 0.7;
        const value = bad
          ? pick(r, HOSTILE_SEGMENTS)
          : encodeURIComponent(String(plausible(r, schema, pools)));
        url = url.replace(`{${name}}`, value);
      }
      if (op.query) {
        const pairs: string[] = [];
        for (const [key, sub] of Object.entries(op.query.properties ?? {})) {
          if (!op.query.required?.includes(key) && r() < 0.5) continue;
          const bad = (part === "query" || part === "mix") && r() < 0.5;
          pairs.push(`${key}=${queryValue(r, sub, pools, bad)}`);
          if (bad && r() < 0.1) pairs.push(`${key}=${queryValue(r, sub, pools, false)}`);
        }
        if (part === "query" && r() < 0.1) pairs.push("unknown=1");
        if (pairs.length) url += `?${pairs.join("&")}`;
      }
      let payload: string | Buffer | undefined;
      let contentType: string | undefined;
      if (op.body) {
        let body = plausible(r, op.body, pools);
        if (part === "body" || part === "mix") body = mutate(r, op.body, body);
        payload = JSON.stringify(body);
        contentType = "application/json";
      } else if (op.file) {
        contentType = pick(r, ["text/csv", "text/plain", "application/vnd.ms-excel", XLSX]);
        payload = pick(r, FILES);
      }
      const person = pick(r, who);
      const res = await ctx.app.inject({
        method: op.method as "GET",
        url,
        headers: {
          ...(person ? { authorization: `Bearer ${ctx.token(person)}` } : {}),
          ...(contentType ? { "content-type": contentType } : {}),
        },
        ...(payload === undefined ? {} : { payload }),
      });
      count++;
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const what = `${op.method} ${url} as ${person ?? "anonymous"} ${payload === undefined ? "" : String(payload).slice(0, 200)}`;
      if (res.statusCode >= 500) failures.push(`${res.statusCode} ${what} → ${res.body.slice(0, 200)}`);
      else {
        const now = await writes();
        if (res.statusCode >= 400 && now !== written)
          failures.push(`${res.statusCode} changed ${now - written} row(s): ${what}`);
        written = now;
      }
    };

    for (let i = 0; i < WRITES; i++) await fire(writeOps[i % writeOps.length] as Op);
    for (let i = 0; i < READS; i++) await fire(readOps[i % readOps.length] as Op);

    const seconds = (performance.now() - started) / 1000;
    const byClass = [...statuses].reduce<Record<string, number>>((acc, [code, n]) => {
      const k = `${Math.floor(code / 100)}xx`;
      acc[k] = (acc[k] ?? 0) + n;
      return acc;
    }, {});
    console.log(
      `fuzz seed ${SEED}: ${count} requests (${WRITES} over ${writeOps.length} write routes, ${READS} over ${readOps.length} read routes) in ${seconds.toFixed(1)} s; ` +
        `${JSON.stringify(byClass)}; by status ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(failures.slice(0, 30)).toEqual([]);
  }, 900_000);
});
