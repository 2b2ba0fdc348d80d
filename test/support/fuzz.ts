/**
 * Generators for the seeded API fuzz test: values drawn from a route's OpenAPI schema, some of
 * them plausible (real ids, dates of the school year, enum members) and some hostile (ids past
 * int4, "0x1BC", NUL bytes, lone surrogates, far dates, wrong types). Deterministic for a seed.
 */

/** mulberry32: a tiny seeded PRNG, enough for test data. Returns [0, 1). */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = ReturnType<typeof prng>;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** JSON Schema as @fastify/swagger writes it (only the parts the generator reads). */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  default?: unknown;
}

/** Integers a careless parser reads as a valid id, or that PostgreSQL's int4 refuses. */
export const HOSTILE_INTS: readonly unknown[] = [
  2147483648,
  2147483647,
  -2147483649,
  9007199254740992,
  1e308,
  -1,
  0,
  1.5,
  "0x1BC",
  " 444",
  "444 ",
  "1e3",
  "",
  "٤٤٤",
  "2147483648",
  "99999999999999999999999",
  "-0",
  "NaN",
  "Infinity",
  null,
  true,
  [],
  {},
  [1],
];

/** Strings PostgreSQL, a regex or an export may choke on. */
export const HOSTILE_STRINGS: readonly unknown[] = [
  "\u0000",
  "Иванов\u0000",
  "a\uD800b",
  "\uDC00",
  "я".repeat(5000),
  " ",
  "\u202Eтекст",
  '\'; DROP TABLE "Mark"; --',
  "%00",
  "\r\n\t",
  "\u0007звонок",
  "😀".repeat(3),
  "=1+1",
  "9999-12-31",
  "0000-00-00",
  "+275760-09-13",
  "2026-02-30",
  "1899-12-31",
  "24:00",
  "99:99",
  5,
  null,
  [],
  {},
  true,
];

/** Path segments: a number-looking value in every spelling, and some that are not. */
export const HOSTILE_SEGMENTS: readonly string[] = [
  "2147483648",
  "0x1BC",
  "%20444",
  "444%20",
  "1e3",
  "-1",
  "0",
  "1.0",
  "%00",
  "%EF%BC%99",
  "99999999999999999999",
  "abc",
  "%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2",
];

export interface Pools {
  /** Real row ids of the fixture (any table): a fuzzed id often hits a real row. */
  ids: number[];
  /** Dates of the school year around the faked "today". */
  dates: string[];
}

const asTypes = (s: Schema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** A value that fits `s` (roughly: the server may still refuse it by its rules). */
export function plausible(r: Rand, s: Schema, pools: Pools, depth = 0): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return pick(r, s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return plausible(r, pick(r, alts), pools, depth);
  if (s.allOf?.length) return plausible(r, s.allOf[0] as Schema, pools, depth);
  const types = asTypes(s).filter((t) => t !== "null");
  if (s.nullable && r() < 0.1) return null;
  const type = types.length ? pick(r, types) : s.properties ? "object" : "string";
  switch (type) {
    case "integer":
    case "number": {
      const min = s.minimum ?? 1;
      const max = s.maximum ?? 1000;
      if (min >= 1 && max > 1000 && r() < 0.85) return pick(r, pools.ids);
      return Math.min(max, min + Math.floor(r() * Math.min(max - min + 1, 12)));
    }
    case "boolean":
      return r() < 0.5;
    case "array": {
      const n = Math.floor(r() * 3) + (depth > 2 ? 0 : 1);
      return Array.from({ length: n }, () => plausible(r, s.items ?? {}, pools, depth + 1));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(key) || r() < 0.5) out[key] = plausible(r, sub, pools, depth + 1);
      }
      return out;
    }
    default:
      return plausibleString(r, s, pools);
  }
}

function plausibleString(r: Rand, s: Schema, pools: Pools): string {
  const p = s.pattern ?? "";
  if (p.includes("\\d{4}-\\d{2}-\\d{2}") || s.format === "date") return pick(r, pools.dates);
  if (p.includes("[0-5]\\d")) return pick(r, ["08:30", "09:15", "13:00", "18:00", "21:45"]);
  if (p.includes("\\d{4}\\/\\d{4}")) return pick(r, ["2026/2027", "2027/2028"]);
  if (p.includes("A-Za-z0-9")) return pick(r, ["fuzz.login", "teacher-2", "a@b"]);
  const words = ["Иванов", "Контрольная работа", "Упр. 5 стр. 12", "5", "4/5", "н", "Europe/Moscow", "5А"];
  const w = pick(r, words);
  return s.maxLength !== undefined ? w.slice(0, s.maxLength) : w;
}

/**
 * `value` with one leaf (of a body or object) replaced by a hostile value of the leaf's kind, or
 * the whole value replaced (a body that is an array, a string, null).
 */
export function mutate(r: Rand, s: Schema, value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value) && s.properties) {
    const keys = Object.keys(s.properties);
    const roll = r();
    if (roll < 0.08) return pick(r, [[], "текст", null, 42, [value]]);
    if (roll < 0.16) return { ...value, [pick(r, ["lessonDate", "__proto__x", "id", "schoolId"])]: 1 };
    if (roll < 0.24 && s.required?.length) {
      const copy = { ...(value as Record<string, unknown>) };
      delete copy[pick(r, s.required)];
      return copy;
    }
    const key = pick(r, keys);
    const sub = s.properties[key] as Schema;
    const current = (value as Record<string, unknown>)[key];
    return { ...value, [key]: current === undefined ? hostileFor(r, sub) : mutate(r, sub, current) };
  }
  if (Array.isArray(value) && value.length && s.items) {
    const i = Math.floor(r() * value.length);
    const copy = [...value];
    copy[i] = mutate(r, s.items, copy[i]);
    return r() < 0.1 ? Array.from({ length: 200 }, () => copy[0]) : copy;
  }
  return hostileFor(r, s);
}

/** A hostile value for a leaf: the integer list for numbers, the string list otherwise. */
export function hostileFor(r: Rand, s: Schema): unknown {
  const types = asTypes(s);
  if (types.includes("integer") || types.includes("number")) return pick(r, HOSTILE_INTS);
  if (r() < 0.15) return pick(r, HOSTILE_INTS);
  return pick(r, HOSTILE_STRINGS);
}

/** URL-encodes any string; a lone surrogate becomes its (invalid) three UTF-8-like bytes. */
export function encode(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...v].map((ch) => (/\p{Cs}/u.test(ch) ? "%ED%A0%80" : encodeURIComponent(ch))).join("");
  }
}

/** A query string value: plausible or hostile, already URL-encoded. */
export function queryValue(r: Rand, s: Schema, pools: Pools, hostile: boolean): string {
  if (hostile) {
    const v = r() < 0.5 ? pick(r, HOSTILE_SEGMENTS) : hostileFor(r, s);
    return typeof v === "string" && /%[0-9A-F]{2}/.test(v) ? v : encode(String(v));
  }
  return encodeURIComponent(String(plausible(r, s, pools)));
}
