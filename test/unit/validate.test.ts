import { describe, expect, it } from "vitest";
import { z } from "zod";
import { INT4_MAX, id, int, isoDate, line, secret, text } from "../../src/journal/validate.js";

/** The shared input vocabulary (issue 10, item 6): what each declaration takes and refuses. */
const ok = (schema: z.ZodType, value: unknown) => schema.safeParse(value);

describe("id: an int4 row id with strict integer syntax", () => {
  it.each([
    [444, 444],
    ["444", 444],
    [1, 1],
    [INT4_MAX, INT4_MAX],
    [String(INT4_MAX), INT4_MAX],
  ])("takes %j as %j", (value, expected) => {
    const r = ok(id, value);
    expect(r.success && r.data).toBe(expected);
  });
  it.each([
    2147483648,
    "2147483648",
    "99999999999999999999999",
    0,
    -1,
    "-1",
    1.5,
    "0x1BC",
    " 444",
    "444 ",
    "1e3",
    "",
    "٤٤٤",
    "NaN",
    null,
    true,
    ["444"],
    {},
  ])("refuses %j", (value) => {
    const r = ok(id, value);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/[А-Яа-я]/);
  });
  it("is documented as an integer with its bounds", () => {
    const schema = z.toJSONSchema(z.object({ id }), { io: "input", unrepresentable: "any" });
    expect(schema.properties?.id).toEqual({ type: "integer", minimum: 1, maximum: INT4_MAX });
  });
  it("int(min, max) says the range in the given words", () => {
    const r = ok(int(1, 10, "от 1 до 10 часов"), "11");
    expect(r.error?.issues[0]?.message).toBe("от 1 до 10 часов");
  });
});

describe("strings: no control characters, valid Unicode, bounded", () => {
  const cases: [string, z.ZodType, unknown, boolean][] = [
    ["text keeps line breaks", text(100), "Упр. 5\nстр. 12", true],
    ["text takes emoji", text(100), "Дроби 🍕", true],
    ["text refuses NUL", text(100), "Тема\u0000", false],
    ["text refuses a lone surrogate", text(100), "Дроби \uD83C", false],
    ["text refuses a lone low surrogate", text(100), "\uDC00", false],
    ["text refuses too long", text(5), "шесть!", false],
    ["line refuses a line break", line(100), "a\nb", false],
    ["line refuses NUL", line(100), "admin\u0000", false],
    ["line(max, 0) may be empty", line(60, 0), "", true],
    ["line refuses over max", line(3), "четыре", false],
    ["secret keeps spaces", secret(200), " пароль ", true],
    ["secret refuses NUL", secret(200), "пароль\u0000", false],
  ];
  it.each(cases)("%s", (_name, schema, value, accepted) => {
    expect(ok(schema, value).success).toBe(accepted);
  });
});

describe("isoDate: a real calendar day within 1900–2100", () => {
  it.each([
    ["2026-11-24", true],
    ["1900-01-01", true],
    ["2100-12-31", true],
    ["1899-12-31", false],
    ["2101-01-01", false],
    ["9999-12-31", false],
    ["0000-01-01", false],
    ["2027-02-29", false],
    ["24.11.2026", false],
    ["+275760-09-13", false],
  ])("%s → %s", (value, accepted) => {
    expect(ok(isoDate, value).success).toBe(accepted);
  });
});
