/**
 * `npm run bench:parse` — every parser fed by users, on the worst 4,096-character inputs we know
 * for it (issue 10, item 7: the marks line once took ~20 s on one such message). Prints one line
 * per case with the median and the slowest of 51 runs; the target is ≤ 10 ms a line. Last line:
 * {"worst_median_ms":…,"worst_max_ms":…}.
 */
import { performance } from "node:perf_hooks";
import { dayFromArg } from "../bot/features/today.js";
import { looksLikeMarks, matchPupils, normalizeName, parseMarksLine } from "../bot/marks-line.js";
import { matchPerson, parseClassName, parseDate, parseWeekday } from "../src/journal/imports-common.js";
import { line, text } from "../src/journal/validate.js";

const LEN = 4096;
const pad = (s: string, fill = " ") => (s + fill.repeat(LEN)).slice(0, LEN);
const spaces = (n: number) => " ".repeat(n);

/** The message from the issue, padded to 4,096 characters. */
const issueLine = pad(`Иванов 5, а${spaces(2040)}1${spaces(2040)}2`, "2");
const half = (LEN - 12) / 2;
const cases: [string, (s: string) => unknown, string][] = [
  ["parseMarksLine: issue 10 line", parseMarksLine, issueLine],
  ["parseMarksLine: letter, spaces, dash runs", parseMarksLine, pad(`а${" -".repeat(LEN)}`)],
  ["parseMarksLine: 800 short pieces", parseMarksLine, pad("Иванов 5, ".repeat(500))],
  ["parseMarksLine: one long name", parseMarksLine, `${"а".repeat(LEN - 2)} 5`],
  ["looksLikeMarks: issue 10 line", looksLikeMarks, issueLine],
  ["looksLikeMarks: spaces then a short token", looksLikeMarks, `а${spaces(half)}1${spaces(half)}1x1`],
  ["looksLikeMarks: name of spaces and dots", looksLikeMarks, `${pad(`а${" .".repeat(LEN)}`).slice(0, -1)}1`],
  ["matchPupils: long name", (s) => matchPupils(s, PUPILS), pad("Иванов . ".repeat(LEN))],
  ["normalizeName", normalizeName, pad("Ё ".repeat(LEN))],
  ["dayFromArg", (s) => dayFromArg("2026-11-24", s), pad("1.".repeat(LEN))],
  ["import parseClassName", parseClassName, `5${spaces(LEN - 3)}а!`],
  ["import parseDate", parseDate, pad("1.1.".repeat(LEN))],
  ["import parseWeekday", parseWeekday, pad("пн.".repeat(LEN))],
  ["import matchPerson", (s) => matchPerson(s, STAFF), pad("Кузнецова А. ".repeat(LEN))],
  ["text(4000) check", (s) => text(4000).safeParse(s), pad("😀\u0007".repeat(LEN))],
  ["line(60) check", (s) => line(60).safeParse(s), pad(`а${spaces(LEN)}`, "\u0000")],
];
const PUPILS = Array.from({ length: 35 }, (_, i) => ({
  pupilId: i,
  lastName: `Иванов${i}`,
  firstName: "Иван",
}));
const STAFF = Array.from({ length: 80 }, (_, i) => ({
  id: i,
  lastName: `Кузнецова${i}`,
  firstName: "Анна",
  middleName: "Сергеевна",
}));

let worst = 0;
let worstMax = 0;
for (const [name, fn, input] of cases) {
  if (input.length > LEN) throw new Error(`${name}: ${input.length} characters`);
  for (let i = 0; i < 10; i++) fn(input); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 51; i++) {
    const t = performance.now();
    fn(input);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[25]!;
  worst = Math.max(worst, median);
  worstMax = Math.max(worstMax, times.at(-1)!);
  console.log(
    `${name.padEnd(44)} ${String(input.length).padStart(5)} chars  median ${median.toFixed(3)} ms  max ${times.at(-1)!.toFixed(3)} ms`,
  );
}
// The median is the parser's cost; the max also holds garbage collection and a busy machine.
console.log(
  JSON.stringify({
    worst_median_ms: Number(worst.toFixed(3)),
    worst_max_ms: Number(worstMax.toFixed(3)),
    target_ms: 10,
  }),
);
