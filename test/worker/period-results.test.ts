import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { publishPeriod } from "../../src/journal/periods.js";
import { type Pipeline, startPipeline, textsTo, until } from "./harness.js";

/**
 * Period results tell each family only what it may see at that moment, once: a guardian with
 * children in two classes hears of the class published, not of the sibling's unpublished marks;
 * the school-wide publication later tells only what it newly made visible.
 */
vi.setConfig({ testTimeout: 90_000 });

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline({ worker: { coalesceMs: 0 } });
});
afterAll(() => p.stop());

it("tells a two-class family only the published class, and the school-wide publication only what is new", async () => {
  const { ivanov, petrov, kozlov } = p.s.pupils;
  // Ivanov (5А) and Kozlov (1А) are siblings here; Petrov's mother has one child in 5А.
  const parent = p.s.guardians.kozlovaMother;
  await p.t.db.guardianLink.create({ data: { guardianId: parent.id, pupilId: ivanov.id } });
  await p.link(parent.id, 15_001);
  await p.link(p.s.guardians.petrovaMother.id, 15_002);
  const period = p.s.periods[1]!;
  const mark = (pupilId: number, subjectId: number, value: string) => ({
    pupilId,
    subjectId,
    periodId: period.id,
    kind: "PERIOD" as const,
    value,
    authorId: p.s.people.math.id,
  });
  await p.t.db.periodMark.createMany({
    data: [
      mark(ivanov.id, p.s.subjects.math.id, "4"),
      mark(petrov.id, p.s.subjects.math.id, "5"),
      mark(kozlov.id, p.s.subjects.russian.id, "4"),
    ],
  });

  await publishPeriod(p.t.db, p.s.people.deputy.actor, {
    periodId: period.id,
    classId: p.s.classes.class5.id,
  });
  await until(() => textsTo(p.tg, 15_001).length === 1 && textsTo(p.tg, 15_002).length === 1, "5А's results");
  expect(textsTo(p.tg, 15_001)).toEqual(["Итоги: 2 четверть.\nИван: математика 4"]);
  expect(textsTo(p.tg, 15_002)).toEqual(["Итоги: 2 четверть.\nПётр: математика 5"]);

  await publishPeriod(p.t.db, p.s.people.deputy.actor, { periodId: period.id });
  await until(() => textsTo(p.tg, 15_001).length === 2, "1А's results");
  expect(textsTo(p.tg, 15_001)[1]).toBe("Итоги: 2 четверть.\nДмитрий: русский язык 4");
  // 5А's family without a child elsewhere hears nothing again.
  await p.relay.drain();
  const last = await p.t.db.outbox.findFirstOrThrow({
    where: { type: "period.published" },
    orderBy: { id: "desc" },
  });
  await until(
    async () => (await p.t.db.outbox.findUnique({ where: { id: last.id } }))?.publishedAt,
    "relayed",
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(textsTo(p.tg, 15_002)).toHaveLength(1);
  expect(await p.t.db.delivery.count({ where: { outboxId: last.id, address: "15002" } })).toBe(0);
});
