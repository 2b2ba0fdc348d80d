import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { updatePreferences } from "../../src/journal/preferences.js";
import { deliveriesOf, type Pipeline, setTime, startPipeline, textsTo, until } from "./harness.js";
import { bodyOf, startSmtp } from "./smtp.js";

// Real queues, retries and pacing: generous limits for a loaded CI machine (waits poll, never sleep).
vi.setConfig({ testTimeout: 90_000 });

let p: Pipeline;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
  p = await startPipeline({ smtpUrl: smtp.url, worker: { graceMs: 3000 } });
  const g = p.s.guardians;
  await p.link(g.ivanovaMother.id, 6001);
  await p.link(g.petrovaMother.id, 6002);
  await p.link(g.sidorovFather.id, 6003);
  await p.link(g.kozlovaMother.id, 6004);
});
afterAll(async () => {
  await p.stop();
  await smtp.stop();
});
beforeEach(() => setTime("2026-11-24T10:00:00+03:00"));

const settled = (outboxId: bigint, n = 1) =>
  until(async () => {
    const rows = await deliveriesOf(p.t.db, outboxId);
    return rows.length >= n && rows.every((r) => !["PENDING", "HELD", "SENDING"].includes(r.status)) && rows;
  }, "deliveries settled");

describe("absence alerts wait for the grace period and follow corrections", () => {
  it("holds the alert, then tells the current state: absent, corrected to late, corrected to present", async () => {
    const { math, russian } = p.s.people;
    const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-24", 1);
    const { ivanov, petrov, sidorova } = p.s.pupils;
    for (const pupilId of [ivanov.id, petrov.id, sidorova.id]) {
      await p.t.db.attendance.create({
        data: { lessonId: lesson.id, pupilId, kind: "ABSENT", markedById: math.id },
      });
    }
    const first = await p.event({
      type: "attendance.recorded",
      payload: { lessonId: lesson.id, pupilIds: [ivanov.id, petrov.id, sidorova.id] },
    });
    const held = await until(async () => {
      const rows = await deliveriesOf(p.t.db, first);
      return rows.length === 3 && rows;
    }, "held deliveries");
    expect(held.every((d) => d.status === "HELD")).toBe(true);
    // Within the grace: Пётр was only late (no event: the send-time re-check must see it),
    // Анна was there after all (a correcting save with its own event).
    await p.t.db.attendance.update({
      where: { lessonId_pupilId: { lessonId: lesson.id, pupilId: petrov.id } },
      data: { kind: "LATE", markedById: russian.id },
    });
    await p.t.db.attendance.delete({
      where: { lessonId_pupilId: { lessonId: lesson.id, pupilId: sidorova.id } },
    });
    const correction = await p.event({
      type: "attendance.recorded",
      payload: { lessonId: lesson.id, pupilIds: [sidorova.id] },
    });
    const rows = await settled(first, 3);
    expect(textsTo(p.tg, 6001)).toEqual(["Иван: отсутствие на уроке «Математика» (1-й урок, 24.11)."]);
    expect(textsTo(p.tg, 6002)).toEqual(["Пётр: опоздание на урок «Математика» (1-й урок, 24.11)."]);
    expect(textsTo(p.tg, 6003)).toEqual([]);
    const sidorov = rows.find((r) => r.recipientId === p.s.guardians.sidorovFather.id);
    expect(sidorov?.status).toBe("CANCELLED");
    expect(await deliveriesOf(p.t.db, correction)).toEqual([]);
  });
});

describe("quiet hours in the school's time zone", () => {
  it("holds a late-evening alert until the end of the quiet hours (across midnight)", async () => {
    setTime("2026-11-24T23:30:00+03:00");
    const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-25", 3);
    await p.t.db.lesson.update({ where: { id: lesson.id }, data: { homework: "№ 120, 121" } });
    const id = await p.event({ type: "homework.set", payload: { lessonId: lesson.id } });
    const rows = await until(async () => {
      const r = await deliveriesOf(p.t.db, id);
      return r.length === 3 && r;
    }, "deliveries");
    for (const r of rows) {
      expect(r.status).toBe("HELD");
      expect(r.sendAfter.toISOString()).toBe("2026-11-25T05:00:00.000Z"); // 08:00 in Moscow
    }
    const before = textsTo(p.tg, 6004).length;
    setTime("2026-11-25T08:00:10+03:00");
    await p.worker.sweep();
    await settled(id, 3);
    expect(textsTo(p.tg, 6004).slice(before)).toHaveLength(0); // 1А pupils' guardian: not their class
    expect(textsTo(p.tg, 6003).at(-1)).toBe("Домашнее задание. Математика, 25.11 (5А): № 120, 121");
  });

  it("uses the school's zone: 14:30 in Moscow is 21:30 in Vladivostok", async () => {
    await p.t.db.school.update({ where: { id: p.s.school.id }, data: { timeZone: "Asia/Vladivostok" } });
    try {
      setTime("2026-11-24T14:30:00+03:00");
      const msg = await p.t.db.message.create({
        data: {
          schoolId: p.s.school.id,
          authorId: p.s.people.russian.id,
          kind: "CLASS",
          classId: p.s.classes.class5.id,
          body: "Завтра экскурсия, форма свободная.",
          recipients: { create: [{ personId: p.s.guardians.petrovaMother.id }] },
        },
      });
      const id = await p.event({ type: "message.sent", payload: { messageId: msg.id } });
      const [row] = await until(async () => {
        const r = await deliveriesOf(p.t.db, id);
        return r.length === 1 && r;
      }, "delivery");
      expect(row?.status).toBe("HELD");
      expect(row?.sendAfter.toISOString()).toBe("2026-11-24T22:00:00.000Z"); // 08:00 in Vladivostok
    } finally {
      await p.t.db.school.update({ where: { id: p.s.school.id }, data: { timeZone: "Europe/Moscow" } });
    }
  });

  it("lets an urgent message from the class teacher through at night", async () => {
    setTime("2026-11-24T23:45:00+03:00");
    const msg = await p.t.db.message.create({
      data: {
        schoolId: p.s.school.id,
        authorId: p.s.people.russian.id,
        kind: "CLASS",
        classId: p.s.classes.class5.id,
        body: "Завтра занятия отменены из-за аварии теплосети.",
        urgent: true,
        recipients: { create: [{ personId: p.s.guardians.sidorovFather.id }] },
      },
    });
    const id = await p.event({ type: "message.sent", payload: { messageId: msg.id } });
    await settled(id);
    expect(textsTo(p.tg, 6003).at(-1)).toBe(
      "СРОЧНО. Сообщение от Морозова П. И.:\nЗавтра занятия отменены из-за аварии теплосети.",
    );
  });
});

describe("corrections and preferences", () => {
  it("tells a corrected mark as было → стало with the reason", async () => {
    const lesson = await p.s.lesson(p.s.assignments.math5, "2026-11-10");
    const mark = await p.t.db.mark.create({
      data: { lessonId: lesson.id, pupilId: p.s.pupils.petrov.id, value: "4", authorId: p.s.people.math.id },
    });
    const h = await p.t.db.markHistory.create({
      data: {
        markId: mark.id,
        oldValue: "3",
        newValue: "4",
        change: "APPEAL_UPHELD",
        note: "решение комиссии № 5",
        authorId: p.s.people.deputy.id,
      },
    });
    const id = await p.event({ type: "mark.corrected", payload: { markId: mark.id, historyId: h.id } });
    await settled(id);
    expect(textsTo(p.tg, 6002).at(-1)).toBe(
      "Исправлена отметка. Пётр, Математика (10.11): было 3 → стало 4 (причина: апелляция удовлетворена, решение комиссии № 5)",
    );
  });

  it("sends nothing for an alert kind switched off, and e-mail only to those who switched it on", async () => {
    const g = p.s.guardians;
    await updatePreferences(p.t.db, g.petrovaMother.actor, { homework: false });
    await updatePreferences(p.t.db, g.sidorovFather.actor, { email: true });
    const lesson = await p.s.lesson(p.s.assignments.russian5, "2026-11-24", 2);
    await p.t.db.lesson.update({ where: { id: lesson.id }, data: { homework: "Упр. 45" } });
    const id = await p.event({ type: "homework.set", payload: { lessonId: lesson.id } });
    const rows = await settled(id, 3);
    expect(rows.map((r) => [r.recipientId, r.channel, r.status]).sort()).toEqual(
      [
        [g.ivanovaMother.id, "TELEGRAM", "SENT"],
        [g.sidorovFather.id, "EMAIL", "SENT"],
        [g.sidorovFather.id, "TELEGRAM", "SENT"],
      ].sort(),
    );
    const mail = smtp.mails.find((m) => m.to.includes(g.sidorovFather.email!));
    expect(mail).toBeDefined();
    expect(bodyOf(mail!.raw)).toContain("Домашнее задание. Русский язык, 24.11 (5А): Упр. 45");
  });

  it("collects DIGEST-mode alerts and sends them at the guardian's digest time", async () => {
    const g = p.s.guardians.kozlovaMother;
    await updatePreferences(p.t.db, g.actor, { mode: "DIGEST", digestTime: "19:00" });
    const lesson = await p.s.lesson(p.s.assignments.math1, "2026-11-24", 1);
    const marks = [];
    for (const [pupilId, value] of [[p.s.pupils.kozlov.id, "5"]] as const) {
      marks.push(
        await p.t.db.mark.create({
          data: { lessonId: lesson.id, pupilId, value, authorId: p.s.people.primary.id },
        }),
      );
    }
    const a = await p.event({
      type: "mark.posted",
      payload: { lessonId: lesson.id, markIds: marks.map((m) => m.id) },
    });
    await p.t.db.lesson.update({ where: { id: lesson.id }, data: { homework: "Прописи, с. 12" } });
    const b = await p.event({ type: "homework.set", payload: { lessonId: lesson.id } });
    await until(
      async () =>
        (await p.t.db.delivery.count({ where: { outboxId: { in: [a, b] }, status: "DIGEST" } })) === 2,
      "digest rows",
    );
    const before = textsTo(p.tg, 6004).length;
    // Not yet: 18:59 local.
    setTime("2026-11-24T18:59:00+03:00");
    expect(await p.worker.runSchedule({ kind: "digests" })).toBe("digests 0");
    setTime("2026-11-24T19:00:30+03:00");
    expect(await p.worker.runSchedule({ kind: "digests" })).toBe("digests 1");
    await until(() => textsTo(p.tg, 6004).length > before, "digest");
    expect(textsTo(p.tg, 6004).slice(before)).toEqual([
      "Сводка за день:\n• Дмитрий: математика 5\n• д/з по предмету «Математика»: Прописи, с. 12",
    ]);
    await until(
      async () => (await p.t.db.delivery.count({ where: { recipientId: g.id, status: "DIGEST" } })) === 0,
      "digest rows marked sent",
    );
  });
});
