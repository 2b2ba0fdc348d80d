/**
 * Splitting an outgoing text into messages a messenger accepts. Telegram refuses a text longer
 * than 4,096 characters ("message is too long") and MAX one longer than 4,000, so every sender —
 * the bot's replies and the worker's alerts — passes its text through `splitText` with its
 * channel's limit and sends the parts in order.
 *
 * Where a text is cut, best first: a blank line (between days of a week, between alerts of a
 * digest), a line break (between lessons, between items), a space (between words). Only a single
 * word longer than the whole limit is cut inside, and never inside a surrogate pair, an HTML tag
 * or an HTML entity. Nothing is dropped but the whitespace at the cut.
 *
 * With `html: true` (Telegram's parse_mode HTML) the limit counts what the reader sees, as
 * Telegram does (tags count 0, an entity 1), and tags open at a cut are closed at the end of the
 * part and opened again at the start of the next one, so every part parses on its own.
 */

/** Telegram Bot API: text of sendMessage / editMessageText after entities parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** MAX Bot API: text of a message. */
export const MAX_TEXT_LIMIT = 4000;

export interface SplitOptions {
  /** Largest part, in UTF-16 code units (how Telegram counts characters), at least 1. */
  limit: number;
  /** The text is Telegram HTML (parse_mode "HTML"). */
  html?: boolean;
}

interface Token {
  raw: string;
  /** UTF-16 units the reader sees. */
  visible: number;
  /** An HTML tag: its name and whether it closes. */
  tag?: { name: string; closing: boolean };
}

const HTML_TOKEN = /<\/?([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\s\S]/gu;

function tokenize(text: string, html: boolean): Token[] {
  if (!html) return Array.from(text, (ch) => ({ raw: ch, visible: ch.length }));
  const tokens: Token[] = [];
  for (const m of text.matchAll(HTML_TOKEN)) {
    const raw = m[0];
    if (m[1]) tokens.push({ raw, visible: 0, tag: { name: m[1].toLowerCase(), closing: raw[1] === "/" } });
    else if (raw.length > 1 && raw.startsWith("&")) tokens.push({ raw, visible: 1 });
    else tokens.push({ raw, visible: raw.length });
  }
  return tokens;
}

const isSpace = (t: Token | undefined) => t !== undefined && !t.tag && /^\s$/u.test(t.raw);
const isBreak = (t: Token | undefined) => t !== undefined && t.raw === "\n";

/** How good a cut before token i is: 3 a blank line, 2 a line break, 1 a space, 0 none. */
function cutRank(tokens: Token[], i: number): number {
  const t = tokens[i];
  if (!isSpace(t)) return 0;
  if (isBreak(t)) return isBreak(tokens[i + 1]) || isBreak(tokens[i - 1]) ? 3 : 2;
  return 1;
}

/** Open tags after applying tokens [from, to) to `open` (a new array; raw opening tags). */
function openTags(tokens: Token[], from: number, to: number, open: Token[]): Token[] {
  const stack = [...open];
  for (let i = from; i < to; i++) {
    const tag = tokens[i]!.tag;
    if (!tag) continue;
    if (!tag.closing) stack.push(tokens[i]!);
    else {
      const at = stack.findLastIndex((t) => t.tag?.name === tag.name);
      if (at >= 0) stack.splice(at, 1);
    }
  }
  return stack;
}

/**
 * Splits `text` into parts of at most `limit` characters each, cutting at the best boundary
 * (see the module comment). A text within the limit comes back as the only part; a text with
 * nothing visible gives []. Throws RangeError for a limit below 1.
 */
export function splitText(text: string, opts: SplitOptions): string[] {
  if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new RangeError(`limit ${opts.limit}`);
  const html = opts.html ?? false;
  const tokens = tokenize(text, html);
  const total = tokens.reduce((n, t) => n + t.visible, 0);
  if (total <= opts.limit) return text.trim() === "" ? [] : [text];

  const parts: string[] = [];
  let open: Token[] = [];
  let start = 0;
  while (start < tokens.length) {
    while (isSpace(tokens[start])) start++;
    if (start >= tokens.length) break;
    // Scan while the part fits; remember the latest cut of each rank.
    const best = [-1, -1, -1, -1];
    let visible = 0;
    let end = start;
    for (; end < tokens.length; end++) {
      const t = tokens[end]!;
      if (visible + t.visible > opts.limit) break;
      visible += t.visible;
      if (end > start) best[cutRank(tokens, end)] = end;
    }
    let cut = tokens.length;
    if (end < tokens.length) {
      // Cutting right before the token that did not fit is a cut too (the part ends where it fits).
      best[cutRank(tokens, end)] = end;
      // A word longer than the limit is cut where the limit falls (at least one token, to move on).
      cut = [3, 2, 1].map((r) => best[r]!).find((i) => i > start) ?? Math.max(end, start + 1);
    }
    let last = cut;
    while (last > start && isSpace(tokens[last - 1])) last--;
    const after = openTags(tokens, start, cut, open);
    const body = tokens
      .slice(start, last)
      .map((t) => t.raw)
      .join("");
    const closing = [...after]
      .reverse()
      .map((t) => `</${t.tag!.name}>`)
      .join("");
    const part = open.map((t) => t.raw).join("") + body + closing;
    if (tokens.slice(start, last).some((t) => t.visible > 0 && !isSpace(t))) parts.push(part);
    open = after;
    start = cut;
  }
  return parts;
}
