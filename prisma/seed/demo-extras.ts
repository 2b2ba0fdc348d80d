import type { Tx } from "../../src/db/client.js";
import { hashInviteCode } from "../../src/journal/invites.js";
import { dateOnly } from "./calendar.js";
import type { DemoPlan } from "./demo-plan.js";
import type { Journal } from "./journal.js";
import type { WrittenSchool } from "./write.js";

/** What the demo school has besides the journal: corrections, a class message, invite codes. */
export const DEMO_CODES = { teacher: "DEMO-TEACH", guardian: "DEMO-PARENT" } as const;

/**
 * A guardian reported yesterday that the child is ill until tomorrow (003 §5.6); the absences in
 * that range carry the reason the notice gave, as reportAbsence prefills them.
 */
export function guardianNotice(plan: DemoPlan, journal: Journal, lastDay: string | null, today: string) {
  if (!lastDay) return null;
  const absent = journal.attendance.find(
    (a) => a.kind === "ABSENT" && journal.lessons[a.lesson]!.date === lastDay && a.reason === null,
  );
  if (!absent) return null;
  const guardian = plan.guardianLinks.find(([, p]) => p === absent.pupil)?.[0];
  if (guardian === undefined) return null;
  const to = new Date(dateOnly(today).getTime() + 86_400_000).toISOString().slice(0, 10);
  for (const a of journal.attendance) {
    const date = journal.lessons[a.lesson]!.date;
    if (a.pupil === absent.pupil && a.kind === "ABSENT" && date >= lastDay && date <= to) {
      a.reason = "ILLNESS";
      a.reasonBy = guardian;
    }
  }
  return { pupil: absent.pupil, guardian, from: lastDay, to };
}

/**
 * A few changed marks with their history: the authors' own edits inside the lock window and
 * corrections by the deputy head after it, each with a reason from the listed set (003 §7).
 */
export async function corrections(tx: Tx, plan: DemoPlan, w: WrittenSchool, now: Date) {
  const deputy = w.personIds[plan.staff.deputy]!;
  const gradedClasses = [w.classIds[1]!, w.classIds[2]!];
  const old = await tx.mark.findMany({
    where: {
      lesson: { classId: { in: gradedClasses } },
      createdAt: { lt: new Date(now.getTime() - 30 * 86_400_000) },
      value2: null,
    },
    orderBy: { id: "asc" },
    select: { id: true, value: true, createdAt: true },
    take: 400,
  });
  const twos = old.filter((m) => m.value === "2").slice(0, 2);
  const others = old.filter((m) => m.value === "4").slice(0, 2);
  const plans: {
    id: number;
    from: string;
    to: string;
    change: "DEBT_CLEARED" | "TEACHER_STATEMENT" | "APPEAL_UPHELD";
    note: string;
  }[] = [
    ...twos.map((m, i) => ({
      id: m.id,
      from: "2",
      to: "3",
      change: i === 0 ? ("DEBT_CLEARED" as const) : ("APPEAL_UPHELD" as const),
      note:
        i === 0 ? "Задолженность ликвидирована, тема пересдана" : "Апелляция удовлетворена решением комиссии",
    })),
    ...others.map((m) => ({
      id: m.id,
      from: "4",
      to: "5",
      change: "TEACHER_STATEMENT" as const,
      note: "Заявление учителя: ошибка при внесении отметки",
    })),
  ];
  for (const [i, c] of plans.entries()) {
    const at = new Date(now.getTime() - (10 - i) * 86_400_000);
    await tx.mark.update({ where: { id: c.id }, data: { value: c.to, updatedAt: at } });
    await tx.markHistory.create({
      data: {
        markId: c.id,
        oldValue: c.from,
        newValue: c.to,
        change: c.change,
        note: c.note,
        authorId: deputy,
        createdAt: at,
      },
    });
  }
  // Authors' edits of recent marks (inside the 10 working day window).
  const recent = await tx.mark.findMany({
    where: {
      lesson: { classId: { in: gradedClasses } },
      createdAt: { gte: new Date(now.getTime() - 6 * 86_400_000) },
      value: "3",
      value2: null,
    },
    orderBy: { id: "asc" },
    select: { id: true, authorId: true, createdAt: true },
    take: 2,
  });
  for (const m of recent) {
    const at = new Date(m.createdAt.getTime() + 40 * 60_000);
    await tx.mark.update({ where: { id: m.id }, data: { value: "4", updatedAt: at } });
    await tx.markHistory.create({
      data: {
        markId: m.id,
        oldValue: "3",
        newValue: "4",
        change: "EDIT",
        authorId: m.authorId,
        createdAt: at,
      },
    });
  }
}

/** The class teacher of 5А invites the parents to a meeting; most have acknowledged it. */
export async function classMessage(tx: Tx, plan: DemoPlan, w: WrittenSchool, now: Date) {
  const ci = 1;
  const cls = plan.classes[ci]!;
  const pupils = new Set(cls.pupils);
  const guardians = [...new Set(plan.guardianLinks.filter(([, p]) => pupils.has(p)).map(([g]) => g))];
  const sentAt = new Date(now.getTime() - 2 * 86_400_000);
  const message = await tx.message.create({
    data: {
      schoolId: w.schoolId,
      authorId: w.personIds[cls.classTeacher]!,
      kind: "CLASS",
      classId: w.classIds[ci]!,
      body:
        "Уважаемые родители! В пятницу в 18:00 в кабинете 214 состоится родительское собрание " +
        "«Итоги 1 четверти и подготовка к контрольным работам». Просим подтвердить, что вы прочитали сообщение.",
      needsAck: true,
      createdAt: sentAt,
    },
  });
  await tx.messageRecipient.createMany({
    data: guardians.map((g, i) => {
      const read = i % 5 !== 4;
      const acked = i % 5 < 3;
      const at = new Date(sentAt.getTime() + (i + 1) * 17 * 60_000);
      return {
        messageId: message.id,
        personId: w.personIds[g]!,
        readAt: read ? at : null,
        acknowledgedAt: acked ? at : null,
      };
    }),
  });
}

export async function invites(tx: Tx, plan: DemoPlan, w: WrittenSchool, now: Date) {
  const expiresAt = new Date(now.getTime() + 7 * 86_400_000);
  const admin = w.personIds[plan.staff.admin]!;
  await tx.inviteCode.createMany({
    data: [
      { person: plan.staff.math, code: DEMO_CODES.teacher },
      { person: plan.twoChildGuardian, code: DEMO_CODES.guardian },
    ].map((i) => ({
      schoolId: w.schoolId,
      personId: w.personIds[i.person]!,
      codeHash: hashInviteCode(i.code),
      issuedById: admin,
      expiresAt,
      createdAt: now,
    })),
  });
}
