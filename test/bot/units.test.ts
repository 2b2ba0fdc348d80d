import { describe, expect, it } from "vitest";
import { cb, parseCallback } from "../../bot/callback-data.js";
import { dayFromArg } from "../../bot/features/today.js";
import { looksLikeMarks, matchPupils, parseMarksLine } from "../../bot/marks-line.js";

const pupils = [
  { pupilId: 1, lastName: "Иванов", firstName: "Иван" },
  { pupilId: 2, lastName: "Иванова", firstName: "Мария" },
  { pupilId: 3, lastName: "Королёв", firstName: "Пётр" },
  { pupilId: 4, lastName: "Петров", firstName: "Пётр" },
];

describe("callback data", () => {
  it("round-trips, stays compact and refuses anything else", () => {
    const data = cb("att.t", 123456, 7890);
    expect(data).toBe("v1:att.t:2n9c:636");
    expect(parseCallback(data)).toEqual({ kind: "att.t", args: [123456, 7890] });
    for (const bad of [
      "v0:att.t:1:2",
      "v1:att.t:1",
      "v1:nope:1",
      "v1:att.t:1:-2",
      "v1:att.t:1:2:3",
      "",
      undefined,
    ]) {
      expect(parseCallback(bad)).toBeNull();
    }
    expect(() => cb("att.t", 1)).toThrow();
    expect(Buffer.byteLength(cb("mk.amb", 999_999, 59, 2 ** 31))).toBeLessThanOrEqual(64);
  });
});

describe("marks line", () => {
  it.each([
    [
      "Иванов 5, Петров 4/5, Сидорова н",
      [
        ["Иванов", "5"],
        ["Петров", "4/5"],
        ["Сидорова", "н"],
      ],
      [],
    ],
    [
      "иванов 5; петров - 4\nСидорова: 3",
      [
        ["иванов", "5"],
        ["петров", "4"],
        ["Сидорова", "3"],
      ],
      [],
    ],
    ["Иванов И. 5", [["Иванов И.", "5"]], []],
    ["Иванов 5, Петров", [["Иванов", "5"]], ["Петров"]],
  ])("reads %j", (line, items, unreadable) => {
    const r = parseMarksLine(line);
    expect(r.items.map((i) => [i.name, i.value])).toEqual(items);
    expect(r.unreadable).toEqual(unreadable);
  });

  // Issue 10, item 7: the message that took ~20 s of CPU (cubic backtracking) now reads at once.
  it("reads the adversarial 4 KB line: Иванов's mark, the rest unreadable", () => {
    const piece = `а${" ".repeat(2040)}1${" ".repeat(2040)}2`;
    const r = parseMarksLine(`Иванов 5, ${piece}`);
    expect(r.items).toEqual([{ name: "Иванов", value: "5" }]);
    expect(r.unreadable).toEqual([piece]);
    expect(looksLikeMarks(`Иванов 5, ${piece}`)).toBe(true);
    expect(looksLikeMarks(`а${" ".repeat(2000)}1${" ".repeat(2000)}1x1`)).toBe(false);
    expect(parseMarksLine(`Иванов 5, ${"а ".repeat(2100)}`).items).toEqual([]);
  });

  it.each([
    ["Иванов — 5", [["Иванов", "5"]], []],
    ["Иванов-Петров 4/5", [["Иванов-Петров", "4/5"]], []],
    ["Иванов -5", [["Иванов", "-5"]], []],
    ["Иванов. - 5", [["Иванов.", "5"]], []],
    ["А - Б - 5", [["А - Б", "5"]], []],
    ["- 5", [], ["- 5"]],
    ["Иванов5", [], ["Иванов5"]],
    ["Иванов\tПетров 5", [], ["Иванов\tПетров 5"]],
  ])("reads separators and names in %j as before", (line, items, unreadable) => {
    const r = parseMarksLine(line);
    expect(r.items.map((i) => [i.name, i.value])).toEqual(items);
    expect(r.unreadable).toEqual(unreadable);
  });

  it("agrees with the former regular expressions on every short line of a seeded sample", () => {
    // The expressions replaced for their worst case, kept here as the definition of behaviour.
    const formerPiece = /^(\p{L}[\p{L}\-'. ]*?)\s*[-–—:]?\s+(\S+)$/u;
    const formerLooks = /^\s*\p{L}[\p{L}\-'. ]*\s+(\S{1,5})\s*([,;]|$)/u;
    const parts = [
      "И",
      "в",
      " ",
      " ",
      "-",
      "–",
      ":",
      ",",
      ";",
      "\n",
      "5",
      "4/5",
      "н",
      ".",
      "'",
      "\t",
      "\u00a0",
      "😀",
    ];
    let seed = 20261129;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      let s = "";
      for (let n = Math.floor(next() * 14); n > 0; n--) s += parts[Math.floor(next() * parts.length)];
      const expected = { items: [] as { name: string; value: string }[], unreadable: [] as string[] };
      for (const piece of s.split(/[,;\n]+/).map((p) => p.trim())) {
        if (!piece) continue;
        const m = formerPiece.exec(piece);
        if (m?.[1] && m[2]) expected.items.push({ name: m[1].trim(), value: m[2] });
        else expected.unreadable.push(piece);
      }
      expect(parseMarksLine(s), JSON.stringify(s)).toEqual(expected);
      const looks = formerLooks.test(s) && /\d|(^|\s)[нН](\s|,|$)/u.test(s);
      expect(looksLikeMarks(s), JSON.stringify(s)).toBe(looks);
    }
  });

  it("tells a marks line from other text", () => {
    expect(looksLikeMarks("Иванов 5")).toBe(true);
    expect(looksLikeMarks("Сидорова н")).toBe(true);
    expect(looksLikeMarks("привет")).toBe(false);
    expect(looksLikeMarks("Иванов пять")).toBe(false);
  });

  it.each([
    ["Иванов", [1]],
    ["иван", [1, 2]],
    ["ИВАНОВА", [2]],
    ["королев", [3]],
    ["Кор", [3]],
    ["Иванов М", [2]],
    ["Сидоров", []],
  ])("matches %s by prefix, case-insensitive, ё = е, exact surname first", (name, ids) => {
    expect(matchPupils(name, pupils).map((p) => p.pupilId)).toEqual(ids);
  });
});

describe("/today with a day", () => {
  it.each([
    ["", "2026-11-24"],
    ["вчера", "2026-11-23"],
    ["23.11", "2026-11-23"],
    ["15.05", "2027-05-15"],
    ["01.09", "2026-09-01"],
    ["32.13", null],
    ["завтра-послезавтра", null],
  ])("%j → %s", (arg, day) => {
    expect(dayFromArg("2026-11-24", arg)).toBe(day);
  });
});
