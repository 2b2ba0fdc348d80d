import type { Db, Tx } from "../db/client.js";
import { canActSchoolWide } from "./access.js";
import type { Actor } from "./actor.js";
import { audit } from "./audit.js";
import {
  className,
  matchPerson,
  norm,
  type Problems,
  parseClassName,
  parseDate,
  type StaffEntry,
} from "./imports-common.js";
import type { Column, TableRow } from "./imports-table.js";
import { replacePlanItems, setTopicPlanInput } from "./topic-plan.js";
import { isoOf } from "./validate.js";

/**
 * Topic plans (КТП): rows of one or several teaching assignments. Each assignment's plan is
 * replaced by the file's rows, matched by number, so lessons that already point at a topic of
 * the same number keep it.
 */
export const TOPIC_PLAN_COLUMNS: Column[] = [
  { key: "class", title: "Класс" },
  { key: "subject", title: "Предмет" },
  { key: "teacher", title: "Учитель" },
  { key: "number", title: "№", aliases: ["Номер", "№ урока"] },
  { key: "topic", title: "Тема", aliases: ["Тема урока"] },
  { key: "hours", title: "Часов", aliases: ["Кол-во часов", "Часы"] },
  { key: "plannedDate", title: "Дата", aliases: ["Плановая дата"] },
];
export const TOPIC_PLAN_REQUIRED = ["class", "subject", "number", "topic"];

interface ItemPlan {
  number: number;
  topic: string;
  hours: number;
  plannedDate: string | null;
}
export interface TopicPlanPlan {
  plans: { assignmentId: number; items: ItemPlan[] }[];
}

const planItem = setTopicPlanInput.shape.items.element;
const COLUMN_TITLE: Record<string, string> = {
  number: "№",
  topic: "Тема",
  hours: "Часов",
  plannedDate: "Дата",
};

export async function planTopicPlan(
  db: Db,
  actor: Actor,
  yearId: number,
  rows: TableRow[],
  problems: Problems,
): Promise<TopicPlanPlan> {
  const assignments = await db.teachingAssignment.findMany({
    where: { yearId },
    include: {
      class: { select: { grade: true, letter: true } },
      subject: { select: { name: true } },
      teacher: { select: { id: true, lastName: true, firstName: true, middleName: true } },
    },
  });
  const schoolWide = canActSchoolWide(actor);
  const y = await db.academicYear.findUniqueOrThrow({ where: { id: yearId } });
  const yearOf = { start: isoOf(y.startDate), end: isoOf(y.endDate) };
  const plans = new Map<number, Map<number, ItemPlan & { row: number }>>();
  for (const { row, cells } of rows) {
    const cn = parseClassName(cells.class ?? "");
    if (!cn) problems.add(row, "класс вида «5А»", "Класс");
    let candidates = assignments.filter(
      (a) =>
        cn &&
        a.class.grade === cn.grade &&
        a.class.letter === cn.letter &&
        norm(a.subject.name) === norm(cells.subject ?? ""),
    );
    if (cells.teacher?.trim()) {
      const t = matchPerson(cells.teacher, candidates.map((a) => a.teacher) as StaffEntry[]);
      candidates = typeof t === "string" ? [] : candidates.filter((a) => a.teacherId === t.id);
    }
    if (cn && candidates.length === 0) {
      problems.add(
        row,
        `нет нагрузки «${cells.subject ?? ""}» в ${className(cn)}${cells.teacher ? ` у ${cells.teacher}` : ""}`,
        "Предмет",
      );
    } else if (candidates.length > 1) {
      problems.add(row, "предмет в этом классе ведут несколько учителей: укажите учителя", "Учитель");
    }
    const a = candidates.length === 1 ? candidates[0]! : null;
    if (a && !schoolWide && a.teacherId !== actor.personId) {
      problems.add(row, "загружать КТП может учитель этой нагрузки или завуч", "Учитель");
    }
    // The row is checked by the topic-plan service's own item schema.
    const hoursRaw = cells.hours?.trim() ?? "";
    const item = planItem.safeParse({
      number: Number(cells.number),
      topic: cells.topic ?? "",
      hours: hoursRaw === "" ? undefined : Number(hoursRaw),
      plannedDate: cells.plannedDate?.trim() ? (parseDate(cells.plannedDate) ?? cells.plannedDate) : null,
    });
    if (!item.success) {
      for (const issue of item.error.issues) {
        problems.add(row, issue.message, COLUMN_TITLE[String(issue.path[0])] ?? "Тема");
      }
    }
    const year = a ? yearOf : null;
    if (item.success && year && item.data.plannedDate) {
      const pd = item.data.plannedDate;
      if (pd < year.start || pd > year.end) problems.add(row, "плановая дата вне учебного года", "Дата");
    }
    if (!a || !item.success) continue;
    const { number, topic, hours, plannedDate } = item.data;
    const items = plans.get(a.id) ?? new Map();
    const dup = items.get(number);
    if (dup) problems.add(row, `тема № ${number} уже есть в строке ${dup.row}`, "№");
    items.set(number, { row, number, topic, hours, plannedDate: plannedDate ?? null });
    plans.set(a.id, items);
  }
  // Topics already chosen in lessons must stay in the plan (as the topic-plan service requires).
  for (const [assignmentId, items] of plans) {
    const used = await db.topicPlanItem.findMany({
      where: { assignmentId, number: { notIn: [...items.keys()] }, lessons: { some: {} } },
      select: { number: true },
    });
    const firstRow = Math.min(...[...items.values()].map((i) => i.row));
    for (const u of used) {
      problems.add(firstRow, `тема № ${u.number} уже выбрана в уроках: оставьте её в плане`, "№");
    }
  }
  return {
    plans: [...plans].map(([assignmentId, items]) => ({
      assignmentId,
      items: [...items.values()].map(({ row: _row, ...item }) => item).sort((x, y) => x.number - y.number),
    })),
  };
}

export async function applyTopicPlan(tx: Tx, actor: Actor, plan: TopicPlanPlan) {
  let items = 0;
  for (const p of plan.plans) {
    await replacePlanItems(tx, p.assignmentId, p.items);
    items += p.items.length;
    await audit(tx, actor, {
      action: "topic_plan.import",
      entity: "TeachingAssignment",
      entityId: p.assignmentId,
      after: { items: p.items.length },
    });
  }
  return { plans: plan.plans.length, items };
}
