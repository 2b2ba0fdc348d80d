import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registry } from "../../src/metrics.js";
import { arrivals, type Pipeline, shownIn, startPipeline, textsTo, until } from "./harness.js";

// Real queues, retries and pacing: generous limits for a loaded CI machine (waits poll, never sleep).
vi.setConfig({ testTimeout: 90_000 });

let p: Pipeline;
beforeAll(async () => {
  // A merge window wide enough that a loaded machine still puts both events in it.
  p = await startPipeline({ worker: { coalesceMs: 8000 } });
  const g = p.s.guardians;
  await p.link(g.ivanovaMother.id, 5001);
  await p.link(g.petrovaMother.id, 5002);
  await p.link(g.sidorovFather.id, 5003);
});
afterAll(() => p.stop());

async function postMarks(lessonId: number, marks: [number, string][]) {
  const rows = [];
  for (const [pupilId, value] of marks) {
    rows.push(
      await p.t.db.mark.create({
        data: { lessonId, pupilId, value, authorId: p.s.people.math.id, weight: 1 },
      }),
    );
  }
  return p.event({ type: "mark.posted", payload: { lessonId, markIds: rows.map((r) => r.id) } });
}

describe("marks reach the guardians of the pupils concerned", () => {
  it("sends each guardian one message about their own children, none to others", async () => {
    const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-24");
    const { ivanov, ivanova, petrov } = p.s.pupils;
    const outboxId = await postMarks(lesson.id, [
      [ivanov.id, "5"],
      [ivanova.id, "4"],
      [petrov.id, "3"],
    ]);
    await until(() => textsTo(p.tg, 5001).length === 1 && textsTo(p.tg, 5002).length === 1, "two messages");
    expect(textsTo(p.tg, 5001)[0]).toContain("Иван: математика 5");
    expect(textsTo(p.tg, 5001)[0]).toContain("Мария: математика 4");
    expect(textsTo(p.tg, 5002)[0]).toMatch(/Пётр, Математика: 3/);
    expect(textsTo(p.tg, 5003)).toEqual([]);
    const rows = await until(async () => {
      const r = await p.t.db.delivery.findMany({ where: { outboxId } });
      return r.every((d) => d.status === "SENT") && r;
    }, "rows marked sent");
    expect(rows).toHaveLength(2);
    // /metrics: how many went out, and how long after the commit (the worker's own registry).
    const sent = await registry.getSingleMetric("deliveries_total")!.get();
    expect(
      sent.values.find((v) => v.labels.channel === "TELEGRAM" && v.labels.outcome === "sent")?.value,
    ).toBeGreaterThanOrEqual(2);
    const latency = await registry.getSingleMetric("delivery_latency_seconds")!.get();
    const count = (
      latency.values as { metricName?: string; labels: Record<string, unknown>; value: number }[]
    ).find((v) => v.metricName === "delivery_latency_seconds_count" && v.labels.kind === "mark.posted");
    expect(count?.value).toBeGreaterThanOrEqual(2);
  });

  it("sends the first alert at once and merges a later one in the window into it by an edit", async () => {
    const math = await p.s.lesson(p.s.assignments.math5, "2026-11-25", 1);
    const russian = await p.s.lesson(p.s.assignments.russian5, "2026-11-25", 2);
    const before = shownIn(p.tg, 5003).length;
    await postMarks(math.id, [[p.s.pupils.sidorova.id, "5"]]);
    // The first leaves on its own, without waiting for a window.
    await until(() => shownIn(p.tg, 5003).length > before, "the first message");
    expect(shownIn(p.tg, 5003).at(-1)).toBe("Новая отметка. Анна, Математика: 5");
    await postMarks(russian.id, [[p.s.pupils.sidorova.id, "4"]]);
    await until(
      () => shownIn(p.tg, 5003).at(-1) === "Сегодня: Анна: математика 5, русский язык 4",
      "the message edited",
    );
    // Still one message in the chat: the second alert was merged into it.
    expect(shownIn(p.tg, 5003).length - before).toBe(1);
    expect(
      p.tg.callsOf("editMessageText").filter((c) => c.status === 200 && Number(c.payload.chat_id) === 5003),
    ).toHaveLength(1);
    const merged = await until(async () => {
      const r = await p.t.db.delivery.findMany({ where: { recipientId: p.s.guardians.sidorovFather.id } });
      return r.every((d) => d.status === "SENT") && r;
    }, "rows marked sent");
    const head = merged.find((d) => d.mergedIntoId === null);
    expect(merged.filter((d) => d.mergedIntoId === head?.id)).toHaveLength(1);
  });

  it("never sends a delivery twice when the event is relayed again", async () => {
    const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-26");
    const before = arrivals(p.tg, 5002).length;
    const outboxId = await postMarks(lesson.id, [[p.s.pupils.petrov.id, "4"]]);
    await until(
      async () => (await p.t.db.delivery.findFirst({ where: { outboxId, status: "SENT" } })) !== null,
      "sent",
    );
    // A crashed relay republishes the row: BullMQ absorbs the job id, fan-out finds the row sent.
    await p.t.db.outbox.update({ where: { id: outboxId }, data: { publishedAt: null } });
    await p.relay.drain();
    const { fanOut } = await import("../../worker/fanout.js");
    expect(fanOut).toBeTypeOf("function");
    await p.worker.sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect(arrivals(p.tg, 5002).length - before).toBe(1);
    expect(await p.t.db.delivery.count({ where: { outboxId } })).toBe(1);
  });

  it("writes to a guardian whose language is English in English", async () => {
    // A guardian with no message in the merge window: a message of its own.
    const g = p.s.guardians.kozlovaMother;
    await p.link(g.id, 5004);
    await p.t.db.person.update({ where: { id: g.id }, data: { language: "en" } });
    try {
      const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-27");
      await postMarks(lesson.id, [[p.s.pupils.kozlov.id, "5"]]);
      await until(() => textsTo(p.tg, 5004).length > 0, "the message");
      expect(textsTo(p.tg, 5004)).toEqual(["New mark. Дмитрий, Математика: 5"]);
    } finally {
      await p.t.db.person.update({ where: { id: g.id }, data: { language: "ru" } });
    }
  });
});
