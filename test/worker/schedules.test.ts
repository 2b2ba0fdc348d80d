import { Queue } from "bullmq";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { publishPeriod } from "../../src/journal/periods.js";
import type { ScheduleJob } from "../../worker/queues.js";
import { ensureSchedulers } from "../../worker/schedules.js";
import { type Pipeline, setTime, startPipeline, textsTo, until } from "./harness.js";

// Real queues, retries and pacing: generous limits for a loaded CI machine (waits poll, never sleep).
vi.setConfig({ testTimeout: 90_000 });

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline();
  await p.link(p.s.people.math.id, 12001);
  await p.link(p.s.people.russian.id, 12002);
  await p.link(p.s.people.deputy.id, 12003);
  await p.link(p.s.guardians.ivanovaMother.id, 12004);
});
afterAll(() => p.stop());
beforeEach(() => setTime("2026-11-24T17:00:00+03:00"));

describe("scheduled notifications", () => {
  it("registers time-zone aware job schedulers per school", async () => {
    const queue = new Queue<ScheduleJob>("schedules", {
      connection: { url: p.redisUrl },
      prefix: `${p.prefix}-reg`,
    });
    try {
      await ensureSchedulers(p.t.db, queue);
      const list = await queue.getJobSchedulers();
      const byKey = Object.fromEntries(list.map((j) => [j.key, j]));
      const id = p.s.school.id;
      // The fixture's fill deadline is 18:00: the reminder goes an hour before, on school days.
      expect(byKey[`reminders:${id}`]).toMatchObject({ pattern: "0 17 * * 1-5", tz: "Europe/Moscow" });
      expect(byKey[`control:${id}`]).toMatchObject({ pattern: "0 9 1,11,21 * *", tz: "Europe/Moscow" });
      expect(byKey[`weekly:${id}`]).toMatchObject({ pattern: "0 18 * * 6", tz: "Europe/Moscow" });
      expect(byKey.digests).toMatchObject({ pattern: "* * * * *" });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("reminds a teacher before the fill deadline of what is missing, once", async () => {
    await p.s.lesson(p.s.assignments.math5, "2026-11-24", 1);
    const filled = await p.s.lesson(p.s.assignments.russian5, "2026-11-24", 2);
    await p.t.db.lesson.update({
      where: { id: filled.id },
      data: { attendanceAt: new Date(), topic: "Имя существительное", homework: "Упр. 12" },
    });
    const schoolId = p.s.school.id;
    await p.worker.runSchedule({ kind: "reminders", schoolId });
    await until(() => textsTo(p.tg, 12001).length === 1, "reminder");
    expect(textsTo(p.tg, 12001)[0]).toBe(
      "Напоминание: до конца дня заполните журнал за 24.11.\n1-й урок, 5А, Математика: посещаемость, тема, д/з",
    );
    // The job scheduler may fire twice (a retry, a second worker): still one reminder.
    expect(await p.worker.runSchedule({ kind: "reminders", schoolId })).toBe("reminders 0");
    expect(textsTo(p.tg, 12002)).toEqual([]);
  });

  it("gives the deputy head the 10-day summary of unfilled lessons", async () => {
    await p.worker.runSchedule({ kind: "control-summary", schoolId: p.s.school.id });
    await until(() => textsTo(p.tg, 12003).length === 1, "summary");
    expect(textsTo(p.tg, 12003)[0]).toBe(
      "Контроль заполнения журнала за 15.11–24.11. Не заполнены уроки:\nКузнецова А. С. — 1",
    );
  });

  it("sends guardians their week and the period results", async () => {
    setTime("2026-11-24T10:00:00+03:00");
    const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-23", 1);
    const mark = await p.t.db.mark.create({
      data: { lessonId: lesson.id, pupilId: p.s.pupils.ivanov.id, value: "5", authorId: p.s.people.math.id },
    });
    const posted = await p.event({
      type: "mark.posted",
      payload: { lessonId: lesson.id, markIds: [mark.id] },
    });
    // The week is built from deliveries recorded as sent: wait for the record, not the receipt.
    await until(() => p.t.db.delivery.findFirst({ where: { outboxId: posted, status: "SENT" } }), "the mark");

    setTime("2026-11-28T18:00:00+03:00");
    await p.worker.runSchedule({ kind: "weekly", schoolId: p.s.school.id });
    await until(() => textsTo(p.tg, 12004).length === 2, "the week");
    expect(textsTo(p.tg, 12004)[1]).toBe("Итоги недели: Иван: математика 5");

    const period = p.s.periods[1]!;
    await p.t.db.periodMark.createMany({
      data: [
        {
          pupilId: p.s.pupils.ivanov.id,
          subjectId: p.s.subjects.math.id,
          periodId: period.id,
          kind: "PERIOD",
          value: "5",
          authorId: p.s.people.math.id,
        },
        {
          pupilId: p.s.pupils.ivanova.id,
          subjectId: p.s.subjects.math.id,
          periodId: period.id,
          kind: "PERIOD",
          value: "4",
          authorId: p.s.people.math.id,
        },
      ],
    });
    await publishPeriod(p.t.db, p.s.people.deputy.actor, {
      periodId: period.id,
      classId: p.s.classes.class5.id,
    });
    await until(() => textsTo(p.tg, 12004).length === 3, "the results");
    expect(textsTo(p.tg, 12004)[2]).toBe("Итоги: 2 четверть.\nИван: математика 5\nМария: математика 4");
  });
});
