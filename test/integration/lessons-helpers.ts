import { vi } from "vitest";
import type { Db } from "../../src/db/client.js";
import type { SchoolFixture } from "../support/school.js";

/** School days of the second quarter before "today" (2026-11-24), for lessons already held. */
const PAST_DAYS = [
  "2026-11-05",
  "2026-11-06",
  "2026-11-09",
  "2026-11-10",
  "2026-11-11",
  "2026-11-12",
  "2026-11-13",
  "2026-11-16",
  "2026-11-17",
  "2026-11-18",
  "2026-11-19",
  "2026-11-20",
  "2026-11-23",
];

/**
 * A fresh lesson per test (four per day, lesson numbers 1–4), so tests never share a column and
 * the database is built once per file.
 */
export function lessonFactory(s: SchoolFixture) {
  const used = new Map<number, number>();
  return async (
    assignment: SchoolFixture["assignments"]["math5"] = s.assignments.math5,
    days = PAST_DAYS,
  ) => {
    for (;;) {
      const k = used.get(assignment.id) ?? 0;
      used.set(assignment.id, k + 1);
      const date = days[Math.floor(k / 4)];
      if (!date) throw new Error("lessonFactory: out of days");
      // A test may have created a lesson at that place by hand: take the next one.
      const lesson = await s.lesson(assignment, date, (k % 4) + 1).catch((e: { code?: string }) => {
        if (e.code === "P2002") return null;
        throw e;
      });
      if (lesson) return lesson;
    }
  };
}

/** "Now" in the school (Moscow) as tests see it. */
export const setNow = (iso: string) => vi.setSystemTime(new Date(iso));
export const TODAY_MORNING = "2026-11-24T09:00:00+03:00";

export const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

export async function counts(db: Db) {
  const [marks, audit, outbox, history, attendance] = await Promise.all([
    db.mark.count(),
    db.auditLog.count(),
    db.outbox.count(),
    db.markHistory.count(),
    db.attendance.count(),
  ]);
  return { marks, audit, outbox, history, attendance };
}
