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

/** Calendar date "YYYY-MM-DD" (a lesson's date in the school's time zone). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "дата в формате ГГГГ-ММ-ДД")
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "такой даты нет",
  );

export const id = z.coerce.number().int("целое число").positive("положительное число");

/** Local time "HH:mm". */
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "время в формате ЧЧ:ММ");

/** Free text stored in the journal: trimmed, bounded, no control characters. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "не может быть пустым")
    .max(max, `не длиннее ${max} символов`)
    // Control characters other than tab and line breaks break messages and exports.
    .refine((v) => !/[^\P{Cc}\t\n\r]/u.test(v), "недопустимые управляющие символы");

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
