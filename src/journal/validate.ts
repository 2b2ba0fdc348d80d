import { z } from "zod";
import { validation } from "./errors.js";

// Users read Russian first: zod's own messages (wrong type, too long…) come in Russian too.
z.config(z.locales.ru());

/**
 * Parses a service's input with its zod schema. The same schemas describe the HTTP routes, so
 * a bad value is refused the same way whether it came from the API or the bot.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = Object.fromEntries(
    result.error.issues.map((i) => [i.path.join(".") || "(input)", i.message]),
  );
  const first = result.error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  throw validation(`Неверные данные — ${where}${first?.message ?? "проверьте ввод"}.`, { fields });
}

/*
 * The shared input vocabulary. Every value a person or another system sends — an HTTP path,
 * query or body, a bot command, a callback button, an import cell — is declared with one of
 * these, so it is bounded and checked at the edge and the database never sees a value it would
 * choke on (PostgreSQL refuses NUL bytes, ints above 2^31−1 and years past 294276 with an error,
 * not an answer). New routes and services declare their fields with them:
 *   ids              `id` (int4 row id, 1…2147483647), `int(min, max)` for any other whole number;
 *   free text        `text(max)` (trimmed, non-empty, may have line breaks),
 *                    `line(max)` (one line; `line(max, 0)` may be empty: search boxes, filters),
 *                    `secret(max)` (passwords: kept as typed);
 *   dates and times  `isoDate` (1900-01-01…2100-12-31), `hhmm`.
 * A bare z.string() / z.number() / z.coerce.number() on an input is a bug: it lets " 444",
 * "0x1BC", 2147483648, NUL bytes or lone surrogates through to the database.
 */

/** PostgreSQL's int4 (Prisma `Int`): the range of every row id and counter column. */
export const INT4_MAX = 2_147_483_647;

/**
 * A whole number in [min, max]: a JSON number, or (path and query strings are text) plain
 * decimal digits with an optional minus — not " 444", "0x1BC", "1e3" or "", which Number()
 * would quietly read. `range` replaces the bound messages ("от 1 до 10 часов"). Documented in
 * OpenAPI as an integer with its bounds.
 */
export const int = (min: number, max: number, range?: string) =>
  z
    .preprocess(
      (value, ctx) => {
        if (typeof value !== "string") return value;
        if (/^-?\d{1,20}$/.test(value)) return Number(value);
        ctx.issues.push({
          code: "custom",
          message: "целое число цифрами, без пробелов и знаков",
          input: value,
        });
        return z.NEVER;
      },
      z
        .number("целое число")
        .int("целое число")
        .min(min, range ?? (min === 1 ? "положительное число" : `не меньше ${min}`))
        .max(max, range ?? `не больше ${max}`),
    )
    .meta({ type: "integer", minimum: min, maximum: max });

/** A row id (int4 column): 1…2147483647, strict integer syntax. */
export const id = int(1, INT4_MAX);

/** Characters no stored or searched text may hold: control characters other than tab and line breaks. */
const CONTROL = /[^\P{Cc}\t\n\r]/u;
/** Control characters of any kind, line breaks and tabs included: for one-line values. */
const ANY_CONTROL = /\p{Cc}/u;

/**
 * Text must be valid Unicode: a lone UTF-16 surrogate (half an emoji from a cut string) would be
 * stored as U+FFFD, silently changing what was written.
 */
const wellFormed = (v: string) => !/\p{Cs}/u.test(v);

/** Free text stored in the journal: trimmed, bounded, no control characters, valid Unicode. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "не может быть пустым")
    .max(max, `не длиннее ${max} символов`)
    // Control characters other than tab and line breaks break messages and exports.
    .refine((v) => !CONTROL.test(v), "недопустимые управляющие символы")
    .refine(wellFormed, "недопустимые символы (неполная пара UTF-16)");

/**
 * One line of text (a login, a code, a search or filter value): trimmed, `min`…`max` characters,
 * no control characters at all (a NUL byte is refused by PostgreSQL), valid Unicode.
 */
export const line = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, "не может быть пустым")
    .max(max, `не длиннее ${max} символов`)
    .refine((v) => !ANY_CONTROL.test(v), "недопустимые управляющие символы")
    .refine(wellFormed, "недопустимые символы (неполная пара UTF-16)");

/** A password as typed (not trimmed): 1…`max` characters, no control characters, valid Unicode. */
export const secret = (max: number, missing = "укажите пароль") =>
  z
    .string()
    .min(1, missing)
    .max(max, `не длиннее ${max} символов`)
    .refine((v) => !ANY_CONTROL.test(v), "недопустимые управляющие символы")
    .refine(wellFormed, "недопустимые символы (неполная пара UTF-16)");

/** The calendar dates the journal takes: a school year, a birth date or a plan all fit in these. */
export const DATE_MIN = "1900-01-01";
export const DATE_MAX = "2100-12-31";

/** Calendar date "YYYY-MM-DD" (a lesson's date in the school's time zone), 1900…2100. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "дата в формате ГГГГ-ММ-ДД")
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "такой даты нет",
  )
  .refine((v) => v >= DATE_MIN && v <= DATE_MAX, "дата вне допустимого диапазона (1900–2100)");

/** Local time "HH:mm". */
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "время в формате ЧЧ:ММ");

/** A person's name part: letters (Cyrillic or Latin), spaces, hyphens and apostrophes. */
export const namePart = z
  .string()
  .trim()
  .min(1, "не может быть пустым")
  .max(60, "не длиннее 60 символов")
  .regex(/^[\p{L}][\p{L}\p{M}' -]*$/u, "только буквы, дефис и апостроф");

/** "YYYY-MM-DD" → the Date Prisma stores in a DATE column (UTC midnight). */
export const dateOnly = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
/** A DATE column's value → "YYYY-MM-DD". */
export const isoOf = (date: Date) => date.toISOString().slice(0, 10);
