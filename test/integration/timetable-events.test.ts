import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createSlot, endSlot, updateSlot } from "../../src/journal/timetable.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";

// Guardians learn of timetable changes through a "timetable.changed" event written with the change.
let t: TestDb;
let s: SchoolFixture;
beforeAll(async () => {
  t = await createTestDb();
  s = await buildSchool(t.db);
});
afterAll(() => t.drop());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
});
afterEach(() => vi.useRealTimers());

let seen = 0n;
/** timetable.changed rows written since the last call. */
async function newEvents() {
  const rows = await t.db.outbox.findMany({
    where: { type: "timetable.changed", id: { gt: seen } },
    orderBy: { id: "asc" },
  });
  if (rows.length > 0) seen = rows.at(-1)!.id;
  return rows;
}

/** Rows written by one transaction share its id (xmin). */
async function sameTransaction(outboxId: bigint, slotId: number) {
  const [o] = await t.db.$queryRaw<
    { x: string }[]
  >`SELECT xmin::text AS x FROM "Outbox" WHERE id = ${outboxId}`;
  const [sl] = await t.db.$queryRaw<{ x: string }[]>`
    SELECT xmin::text AS x FROM "TimetableSlot" WHERE id = ${slotId}`;
  return o!.x === sl!.x;
}

const base = { startsAt: "11:30", endsAt: "12:15" };

describe("timetable.changed", () => {
  it("a new slot: from its first day (today at the earliest), in the slot's own transaction", async () => {
    const admin = s.people.admin.actor;
    const later = await createSlot(t.db, admin, {
      assignmentId: s.assignments.math5.id,
      weekday: 3,
      lessonNumber: 4,
      ...base,
      validFrom: "2026-11-25",
    });
    const [e1, ...rest] = await newEvents();
    expect(rest).toEqual([]);
    expect(e1!.payload).toEqual({ classId: s.classes.class5.id, from: "2026-11-25", slotIds: [later.id] });
    expect(await sameTransaction(e1!.id, later.id)).toBe(true);

    const since = await createSlot(t.db, admin, {
      assignmentId: s.assignments.russian5.id,
      weekday: 2,
      lessonNumber: 5,
      startsAt: "12:30",
      endsAt: "13:15",
      validFrom: "2026-09-01",
      validTo: "2026-12-28",
    });
    const [e2] = await newEvents();
    expect(e2!.payload).toEqual({
      classId: s.classes.class5.id,
      from: "2026-11-24",
      to: "2026-12-28",
      slotIds: [since.id],
    });
  });

  it("a slot wholly in the past, or a refused change, tells nobody", async () => {
    const admin = s.people.admin.actor;
    await createSlot(t.db, admin, {
      assignmentId: s.assignments.math5.id,
      weekday: 4,
      lessonNumber: 6,
      startsAt: "13:25",
      endsAt: "14:10",
      validFrom: "2026-09-01",
      validTo: "2026-10-01",
    });
    expect(await newEvents()).toEqual([]);
    // Clashes with the Wednesday 4th lesson created above: refused, nothing written.
    await expect(
      createSlot(t.db, admin, {
        assignmentId: s.assignments.russian5.id,
        weekday: 3,
        lessonNumber: 4,
        ...base,
        validFrom: "2026-11-30",
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(await newEvents()).toEqual([]);
  });

  it("new bell times or room: from today for the rest of the slot; an unchanged save says nothing", async () => {
    const slot = s.slots.find((x) => x.assignmentId === s.assignments.math5.id && x.weekday === 5)!;
    await updateSlot(t.db, s.people.deputy.actor, { slotId: slot.id, room: "12" });
    const [e] = await newEvents();
    expect(e!.payload).toEqual({ classId: s.classes.class5.id, from: "2026-11-24", slotIds: [slot.id] });
    expect(await sameTransaction(e!.id, slot.id)).toBe(true);
    await updateSlot(t.db, s.people.deputy.actor, { slotId: slot.id, room: "12", startsAt: slot.startsAt });
    expect(await newEvents()).toEqual([]);
  });

  it("ending and extending a slot: the days between the old and the new last day", async () => {
    const slot = s.slots.find((x) => x.assignmentId === s.assignments.russian5.id && x.weekday === 1)!;
    await endSlot(t.db, s.people.admin.actor, { slotId: slot.id, validTo: "2026-12-07" });
    const [ended] = await newEvents();
    expect(ended!.payload).toEqual({ classId: s.classes.class5.id, from: "2026-12-08", slotIds: [slot.id] });
    expect(await sameTransaction(ended!.id, slot.id)).toBe(true);

    await endSlot(t.db, s.people.admin.actor, { slotId: slot.id, validTo: "2026-12-21" });
    const [extended] = await newEvents();
    expect(extended!.payload).toEqual({
      classId: s.classes.class5.id,
      from: "2026-12-08",
      to: "2026-12-21",
      slotIds: [slot.id],
    });
    // Ended from today on although its end is set in the past: the change starts today.
    await endSlot(t.db, s.people.admin.actor, { slotId: slot.id, validTo: "2026-11-16" });
    const [past] = await newEvents();
    expect(past!.payload).toEqual({
      classId: s.classes.class5.id,
      from: "2026-11-24",
      to: "2026-12-21",
      slotIds: [slot.id],
    });
  });

  it("changes that end before today tell nobody", async () => {
    const slot = s.slots.find((x) => x.assignmentId === s.assignments.russian5.id && x.weekday === 1)!;
    // Its end moves between two past days (16.11 → 09.11).
    await endSlot(t.db, s.people.admin.actor, { slotId: slot.id, validTo: "2026-11-09" });
    expect(await newEvents()).toEqual([]);
  });
});
