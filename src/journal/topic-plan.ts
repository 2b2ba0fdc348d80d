import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.js";
import { canActSchoolWide } from "./access.js";
import { type Actor, isStaff } from "./actor.js";
import { audit } from "./audit.js";
import { conflict, forbidden, validation } from "./errors.js";
import { loadAssignment } from "./teaching.js";
import { dateOnly, id, int, isoDate, isoOf, parseInput, text } from "./validate.js";

/** КТП: the calendar-thematic plan of one teaching assignment (002 §4.4, 5.17). */

const item = z.object({
  number: int(1, 500, "номер от 1 до 500"),
  topic: text(500),
  hours: int(1, 10, "от 1 до 10 часов").default(1),
  plannedDate: isoDate.nullable().optional(),
});

export const setTopicPlanInput = z.object({
  assignmentId: id,
  items: z.array(item).max(500, "не больше 500 тем"),
});
export const getTopicPlanInput = z.object({ assignmentId: id });

/** Numbers repeated in a plan (a pure rule; an empty list means the plan is consistent). */
export function duplicateNumbers(items: readonly { number: number }[]): number[] {
  const seen = new Set<number>();
  const dup = new Set<number>();
  for (const i of items) (seen.has(i.number) ? dup : seen).add(i.number);
  return [...dup].sort((a, b) => a - b);
}

/**
 * Replaces the plan with the given items, matched by number. A topic already chosen for a lesson
 * stays: it may be renamed or moved, but not dropped.
 */
export async function setTopicPlan(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(setTopicPlanInput, input);
  const a = await loadAssignment(db, actor, data.assignmentId);
  if (a.teacherId !== actor.personId && !canActSchoolWide(actor)) {
    throw forbidden(
      "Тематическое планирование ведёт учитель этого предмета в этом классе (или заместитель директора).",
    );
  }
  const dup = duplicateNumbers(data.items);
  if (dup.length) throw validation(`Номера тем повторяются: ${dup.join(", ")}. У каждой темы свой номер.`);
  const [start, end] = [isoOf(a.year.startDate), isoOf(a.year.endDate)];
  const outside = data.items.filter((i) => i.plannedDate && (i.plannedDate < start || i.plannedDate > end));
  if (outside.length) {
    throw validation(`Плановые даты тем ${outside.map((i) => i.number).join(", ")} выходят за учебный год.`);
  }
  return db.$transaction(async (tx) => {
    const before = await replacePlanItems(tx, a.id, data.items);
    await audit(tx, actor, {
      action: "topic_plan.set",
      entity: "TeachingAssignment",
      entityId: a.id,
      before,
      after: data.items,
    });
    return getTopicPlan(tx, actor, { assignmentId: a.id });
  });
}

/**
 * Puts `items` in place of an assignment's plan, matched by number, inside the caller's
 * transaction (the form and the КТП import alike). A topic already chosen for a lesson stays: it
 * may be renamed or moved, but not dropped. Returns the plan as it was.
 */
export async function replacePlanItems(
  tx: Tx,
  assignmentId: number,
  items: readonly { number: number; topic: string; hours: number; plannedDate?: string | null }[],
) {
  const before = await tx.topicPlanItem.findMany({
    where: { assignmentId },
    include: { _count: { select: { lessons: true } } },
  });
  const keep = new Set(items.map((i) => i.number));
  const dropped = before.filter((b) => !keep.has(b.number));
  const used = dropped.filter((b) => b._count.lessons > 0);
  if (used.length) {
    throw conflict(
      `Темы № ${used.map((u) => u.number).join(", ")} уже выбраны в уроках, их нельзя удалить. ` +
        "Оставьте их в плане (можно переименовать) или сначала смените тему в этих уроках.",
    );
  }
  await tx.topicPlanItem.deleteMany({ where: { id: { in: dropped.map((d) => d.id) } } });
  for (const i of items) {
    const fields = {
      topic: i.topic,
      hours: i.hours,
      plannedDate: i.plannedDate ? dateOnly(i.plannedDate) : null,
    };
    await tx.topicPlanItem.upsert({
      where: { assignmentId_number: { assignmentId, number: i.number } },
      create: { assignmentId, number: i.number, ...fields },
      update: fields,
    });
  }
  return before.map(({ _count, ...b }) => b);
}

/** The plan with, for each topic, the lessons it was given in (what is done and what is ahead). */
export async function getTopicPlan(db: DbOrTx, actor: Actor, input: unknown) {
  const { assignmentId } = parseInput(getTopicPlanInput, input);
  const a = await loadAssignment(db, actor, assignmentId);
  if (!isStaff(actor)) throw forbidden("Тематическое планирование видят сотрудники школы.");
  const items = await db.topicPlanItem.findMany({
    where: { assignmentId: a.id },
    include: { lessons: { select: { id: true, date: true, lessonNumber: true }, orderBy: { date: "asc" } } },
    orderBy: { number: "asc" },
  });
  const totalHours = items.reduce((sum, i) => sum + i.hours, 0);
  return {
    assignmentId: a.id,
    totalHours,
    items: items.map((i) => ({ ...i, done: i.lessons.length > 0 })),
  };
}
