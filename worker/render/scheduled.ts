import { Prisma, queryRows, type Tx } from "../../src/db/client.js";
import { teacherDay } from "../../src/journal/lesson-views.js";
import { type Item, type RenderContext, renderPart } from "./parts.js";
import { dayMonth, initials } from "./texts.js";

/** Texts of the notifications the worker originates itself (reminders, summaries). */
const MISSING: Record<string, string> = {
  attendance: "посещаемость",
  topic: "тема",
  homework: "д/з",
  control_marks: "отметки за контрольную",
};

/** Told as it is at send time: what was filled in meanwhile is no longer listed. */
async function reminder(tx: Tx, p: { date: string; teacherId: number }): Promise<Item[]> {
  const teacher = await tx.person.findUnique({ where: { id: p.teacherId }, select: { schoolId: true } });
  if (!teacher) return [];
  const day = await teacherDay(
    tx,
    { personId: p.teacherId, schoolId: teacher.schoolId, roles: ["TEACHER"] },
    {
      date: p.date,
    },
  );
  const lines = day
    .filter((l) => l.missing.length > 0)
    .map(
      (l) =>
        `${l.lessonNumber}-й урок, ${l.className}, ${l.subject.name}: ${l.missing.map((m) => MISSING[m]).join(", ")}`,
    );
  if (lines.length === 0) return [];
  const text = `Напоминание: до конца дня заполните журнал за ${dayMonth(new Date(`${p.date}T00:00:00Z`))}.\n${lines.join("\n")}`;
  return [{ short: text, long: text }];
}

async function control(tx: Tx, p: { schoolId: number; from: string; to: string }): Promise<Item[]> {
  const rows = await queryRows<{
    teacherId: number;
    lastName: string;
    firstName: string;
    middleName: string | null;
    n: bigint;
  }>(
    tx,
    Prisma.sql`
    SELECT coalesce(l."substituteId", l."teacherId") AS "teacherId", p."lastName", p."firstName", p."middleName",
           count(*) AS n
    FROM "Lesson" l JOIN "Class" c ON c.id = l."classId" JOIN "AcademicYear" y ON y.id = c."yearId"
    JOIN "Person" p ON p.id = coalesce(l."substituteId", l."teacherId")
    WHERE y."schoolId" = ${p.schoolId} AND l.date BETWEEN ${p.from}::date AND ${p.to}::date
      AND (l."attendanceAt" IS NULL OR l.topic IS NULL
           OR (l.homework IS NULL AND NOT l."homeworkNone" AND c.grade > 1))
    GROUP BY 1, 2, 3, 4 ORDER BY n DESC, p."lastName"`,
  );
  const period = `${dayMonth(new Date(`${p.from}T00:00:00Z`))}–${dayMonth(new Date(`${p.to}T00:00:00Z`))}`;
  const text =
    rows.length === 0
      ? `Контроль заполнения журнала за ${period}: все уроки заполнены.`
      : `Контроль заполнения журнала за ${period}. Не заполнены уроки:\n${rows
          .map((r) => `${initials(r)} — ${r.n}`)
          .join("\n")}`;
  return [{ short: text, long: text }];
}

async function weekly(tx: Tx, ctx: RenderContext, p: { personId: number; from: string; to: string }) {
  const rows = await queryRows<{ type: string; payload: unknown }>(
    tx,
    Prisma.sql`
    SELECT DISTINCT o.id, o.type, o.payload FROM "Delivery" d JOIN "Outbox" o ON o.id = d."outboxId"
    WHERE d."recipientId" = ${p.personId} AND d."createdAt" >= ${new Date(p.from)} AND d."createdAt" < ${new Date(p.to)}
      AND d.status IN ('SENT', 'DIGEST') AND o.type IN ('mark.posted', 'mark.corrected', 'attendance.recorded')
    ORDER BY o.id`,
  );
  const items: Item[] = [];
  for (const r of rows) items.push(...(await renderPart(tx, ctx, r)));
  return items;
}

export async function renderScheduled(
  tx: Tx,
  ctx: RenderContext,
  row: { type: string; payload: unknown },
): Promise<Item[]> {
  const p = row.payload as never;
  if (row.type === "notify.reminder") return reminder(tx, p);
  if (row.type === "notify.control") return control(tx, p);
  if (row.type === "notify.weekly") return weekly(tx, ctx, p);
  return [];
}
