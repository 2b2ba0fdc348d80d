import { describe, expect, it } from "vitest";
import { MAX_TEXT_LIMIT, splitText, TELEGRAM_TEXT_LIMIT } from "../../src/notifications/text-split.js";

/** Whitespace-insensitive content: what the reader gets once all parts are read in order. */
const words = (s: string) => s.split(/\s+/).filter(Boolean);
/** What Telegram shows of an HTML text (as the fake Bot API parses it). */
const visible = (s: string) => s.replace(/<[^>]*>/g, "").replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, "x");

/** Every opened tag is closed in order within the part. */
function balanced(part: string): boolean {
  const stack: string[] = [];
  for (const m of part.matchAll(/<(\/?)([a-z-]+)[^>]*>/gi)) {
    if (!m[1]) stack.push(m[2]!);
    else if (stack.pop() !== m[2]) return false;
  }
  return stack.length === 0;
}

/** A week as the diary shows it: a header, then days separated by blank lines. */
function week(lessonsPerDay: number[], homework = 95, topic = 70): { text: string; days: string[] } {
  const days = lessonsPerDay.map((n, d) => {
    const lines = [`📅 ${["Пн", "Вт", "Ср", "Чт", "Пт", "Сб"][d]} ${23 + d}.11`];
    for (let i = 1; i <= n; i++) {
      lines.push(`${i}. Математика · ⭐ 5`);
      lines.push(`   Тема: ${"Сложение дробей с разными знаменателями ".repeat(3).slice(0, topic)}`);
      lines.push(
        `   ДЗ: ${"§12 № 5, 6, 7; выучить правило на стр. 48 и решить задачи ".repeat(3).slice(0, homework)}`,
      );
    }
    return lines.join("\n");
  });
  return { text: ["📖 Иван: неделя 23.11–29.11", ...days].join("\n\n"), days };
}

describe("splitText: what is cut where", () => {
  const lines = Array.from({ length: 60 }, (_, i) => `${i + 1}. Иванов Иван — 5`).join("\n");
  const paragraph = Array.from({ length: 400 }, (_, i) => `слово${i}`).join(" ");
  it.each([
    {
      name: "lines without blank lines are cut between lines",
      text: lines,
      limit: 200,
      parts: Math.ceil(lines.length / 200),
    },
    {
      name: "one long paragraph is cut between words",
      text: paragraph,
      limit: 500,
      parts: Math.ceil(paragraph.length / 500),
    },
  ])("$name", ({ text, limit, parts }) => {
    const out = splitText(text, { limit });
    // As few parts as the cuts allow: at least the length over the limit, one more for slack.
    expect(out.length).toBeGreaterThanOrEqual(parts);
    expect(out.length).toBeLessThanOrEqual(Math.ceil(text.length / limit) + 1);
    for (const p of out) expect(p.length).toBeLessThanOrEqual(limit);
    expect(words(out.join(" "))).toEqual(words(text));
  });

  it.each([
    ["a short text", "Привет\n\n  мир "],
    ["exactly the limit", "я".repeat(4096)],
  ])("leaves %s as one part, unchanged", (_name, text) => {
    expect(splitText(text, { limit: 4096 })).toEqual([text]);
  });

  it("keeps whole lines when it cuts between lines", () => {
    const original = lines.split("\n");
    for (const part of splitText(lines, { limit: 200 })) {
      for (const line of part.split("\n")) expect(original).toContain(line);
    }
  });

  it("never cuts inside a word when there is a space to cut at", () => {
    const vocabulary = new Set(words(paragraph));
    for (const part of splitText(paragraph, { limit: 500 })) {
      for (const w of words(part)) expect(vocabulary.has(w)).toBe(true);
    }
  });

  it("cuts a single word longer than the limit where the limit falls, losing nothing", () => {
    const word = "а".repeat(25);
    expect(splitText(word, { limit: 10 })).toEqual(["а".repeat(10), "а".repeat(10), "а".repeat(5)]);
  });

  it("never splits a surrogate pair (emoji count 2 like in Telegram)", () => {
    const text = "😀".repeat(7);
    const out = splitText(text, { limit: 5 });
    expect(out.join("")).toBe(text);
    for (const p of out) {
      expect(p.length).toBeLessThanOrEqual(5);
      expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it.each([
    ["", []],
    ["   \n\n  ", []],
  ])("gives no parts for %j", (text, parts) => {
    expect(splitText(text, { limit: 10 })).toEqual(parts);
  });

  it("refuses a limit below 1", () => {
    expect(() => splitText("abc", { limit: 0 })).toThrow(RangeError);
  });
});

describe("splitText: a long week diary (issue 11 item 5)", () => {
  // 30 lessons, ~95 characters of homework and ~70 of topic each: over 5,000 characters.
  const { text, days } = week([6, 6, 6, 6, 6]);

  it.each([
    ["Telegram", TELEGRAM_TEXT_LIMIT],
    ["MAX", MAX_TEXT_LIMIT],
  ])("fits %s's limit, cuts only between days and loses nothing", (_name, limit) => {
    expect(text.length).toBeGreaterThan(5000);
    const out = splitText(text, { limit });
    expect(out.length).toBeGreaterThanOrEqual(2);
    for (const p of out) expect(p.length).toBeLessThanOrEqual(limit);
    // Each day is whole in exactly one part.
    for (const day of days) expect(out.filter((p) => p.includes(day))).toHaveLength(1);
    expect(out.join("\n\n")).toBe(text);
  });

  it("cuts inside a day only when a day alone is over the limit, and then between lessons", () => {
    const big = week([40]);
    const out = splitText(big.text, { limit: TELEGRAM_TEXT_LIMIT });
    const original = big.text.split("\n");
    for (const p of out) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      for (const line of p.split("\n")) if (line) expect(original).toContain(line);
    }
    expect(words(out.join("\n"))).toEqual(words(big.text));
  });
});

describe("splitText: HTML parse mode", () => {
  it("counts what the reader sees, not the tags", () => {
    const text = `<b>${"а".repeat(10)}</b>`;
    expect(splitText(text, { limit: 10, html: true })).toEqual([text]);
  });

  it.each([
    { name: "bold across a cut", text: `<b>${"слово ".repeat(40)}</b>`, limit: 50 },
    {
      name: "link and italic across cuts",
      text: `<a href="https://x.ru/?a=1&amp;b=2"><i>${"ссылка ".repeat(30)}</i></a> и ${"хвост ".repeat(20)}`,
      limit: 40,
    },
    { name: "entities at the cut", text: `${"&lt;тег&gt; &amp; ".repeat(40)}`, limit: 33 },
    { name: "nested tags in days", text: `<b>Пн</b>\n\n<b><i>${"урок\n".repeat(30)}</i></b>`, limit: 30 },
  ])("$name: every part parses, fits, and nothing is lost", ({ text, limit }) => {
    const out = splitText(text, { limit, html: true });
    expect(out.length).toBeGreaterThan(1);
    for (const p of out) {
      expect(balanced(p)).toBe(true);
      expect(visible(p).length).toBeLessThanOrEqual(limit);
      // No entity or tag is broken: every & starts a whole entity, every < a whole tag.
      expect(p).not.toMatch(/&(?!(#\d+|#x[0-9a-f]+|[a-z]+);)/i);
      expect(p).not.toMatch(/<[^>]*$/);
    }
    expect(words(visible(out.join(" ")))).toEqual(words(visible(text)));
  });

  it("reopens a link with its address in the next part", () => {
    const out = splitText(`<a href="https://x.ru">${"ссылка ".repeat(10)}</a>`, { limit: 30, html: true });
    for (const p of out) expect(p).toMatch(/^<a href="https:\/\/x\.ru">.*<\/a>$/s);
  });
});
