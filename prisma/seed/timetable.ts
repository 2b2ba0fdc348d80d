import type { Rng } from "./random.js";

/**
 * Builds a weekly timetable: every class gets a compact day (lessons 1…k, no gaps), no teacher
 * is in two rooms at once, and a subject's hours spread over the week. Per class it is a
 * bipartite matching of lesson units to cells (augmenting paths), with a greedy first pass that
 * prefers days where the subject is not yet taught.
 */
export interface TimetableUnit {
  /** What the slot is for: one assignment, or one per subgroup taught at the same time. */
  assignments: readonly number[];
  teachers: readonly number[];
  subject: string;
  hours: number;
}

export interface TimetableClass {
  id: number;
  /** Lessons on Monday…Friday. */
  shape: readonly number[];
  units: readonly TimetableUnit[];
}

export interface PlacedSlot {
  classId: number;
  assignment: number;
  weekday: number;
  lessonNumber: number;
}

export interface Timetable {
  slots: PlacedSlot[];
  /** Lessons that could only be placed with a teacher in two places (0 when the plan is sane). */
  clashes: number;
}

const cellKey = (day: number, n: number) => day * 16 + n;

export function buildTimetable(classes: readonly TimetableClass[], rng: Rng): Timetable {
  const busy = new Map<number, Set<number>>(); // teacher → cells taken in classes already placed
  const isFree = (teachers: readonly number[], cell: number) =>
    teachers.every((t) => !busy.get(t)?.has(cell));
  const slots: PlacedSlot[] = [];
  let clashes = 0;

  for (const cls of classes) {
    const cells: { day: number; n: number; key: number }[] = [];
    cls.shape.forEach((count, i) => {
      for (let n = 1; n <= count; n++) cells.push({ day: i + 1, n, key: cellKey(i + 1, n) });
    });
    const units = cls.units.flatMap((u) => Array.from({ length: u.hours }, () => u));
    if (units.length !== cells.length) {
      throw new Error(`class ${cls.id}: ${units.length} lessons for ${cells.length} cells`);
    }
    const owner = new Map<number, number>(); // cell key → unit index
    const where = new Array<number | null>(units.length).fill(null);
    const perDay = new Map<string, number>(); // subject|day → lessons
    const place = (u: number, cell: { day: number; key: number }) => {
      owner.set(cell.key, u);
      where[u] = cell.key;
      const k = `${units[u]!.subject}|${cell.day}`;
      perDay.set(k, (perDay.get(k) ?? 0) + 1);
    };

    // Greedy: the most constrained units first, each on the least loaded day for its subject.
    const order = rng
      .shuffle(units.map((_, i) => i))
      .map((i) => ({ i, free: cells.filter((c) => isFree(units[i]!.teachers, c.key)).length }))
      .sort((a, b) => a.free - b.free)
      .map((x) => x.i);
    for (const u of order) {
      let best: (typeof cells)[number] | null = null;
      let bestScore = Number.POSITIVE_INFINITY;
      for (const c of cells) {
        if (owner.has(c.key) || !isFree(units[u]!.teachers, c.key)) continue;
        const score = (perDay.get(`${units[u]!.subject}|${c.day}`) ?? 0) * 10 + rng.next();
        if (score < bestScore) {
          best = c;
          bestScore = score;
        }
      }
      if (best) place(u, best);
    }

    // Augmenting paths for what the greedy pass left out.
    const tryPlace = (u: number, seen: Set<number>): boolean => {
      for (const c of cells) {
        if (seen.has(c.key) || !isFree(units[u]!.teachers, c.key)) continue;
        seen.add(c.key);
        const other = owner.get(c.key);
        if (other === undefined || tryPlace(other, seen)) {
          owner.set(c.key, u);
          where[u] = c.key;
          return true;
        }
      }
      return false;
    };
    for (let u = 0; u < units.length; u++) {
      if (where[u] === null) tryPlace(u, new Set());
    }
    // Last resort: any empty cell, counted as a clash so the caller can report it.
    for (let u = 0; u < units.length; u++) {
      if (where[u] !== null) continue;
      const c = cells.find((x) => !owner.has(x.key))!;
      owner.set(c.key, u);
      where[u] = c.key;
      clashes++;
    }

    for (const c of cells) {
      const unit = units[owner.get(c.key)!]!;
      for (const t of unit.teachers) {
        if (!busy.has(t)) busy.set(t, new Set());
        busy.get(t)!.add(c.key);
      }
      for (const a of unit.assignments) {
        slots.push({ classId: cls.id, assignment: a, weekday: c.day, lessonNumber: c.n });
      }
    }
  }
  return { slots, clashes };
}
