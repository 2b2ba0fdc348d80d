import { validation } from "../errors.js";

/** The only symbols of a mark cell (002 §5.4); "н" is attendance, not a mark. */
export const MARK_VALUES = ["1", "2", "3", "4", "5"] as const;
export type MarkValue = (typeof MARK_VALUES)[number];

export interface ParsedMark {
  value: MarkValue;
  /** The second mark of a written work ("4/5"), where allowed. */
  value2: MarkValue | null;
}

const isMarkValue = (v: string): v is MarkValue => (MARK_VALUES as readonly string[]).includes(v);

const ABSENCE = /^[нНnN]$/;

/** "5" → {value:"5"}; "4/5" → {value:"4", value2:"5"}; anything else is refused with a hint. */
export function parseMarkValue(raw: string): ParsedMark {
  const text = raw.trim();
  if (ABSENCE.test(text)) {
    throw validation(
      "«н» — не отметка, а пропуск урока: отметьте ученика отсутствующим в посещаемости урока.",
      { value: raw },
    );
  }
  const parts = text.split("/").map((p) => p.trim());
  if (parts.length <= 2 && parts.every(isMarkValue)) {
    return { value: parts[0] as MarkValue, value2: (parts[1] as MarkValue | undefined) ?? null };
  }
  throw validation(
    `Отметка «${text}» недопустима: ставьте только цифру от 1 до 5 (без «+», «−» и точек), для письменной работы с двумя отметками — «4/5».`,
    { value: raw },
  );
}

export interface MarkingContext {
  grade: number;
  subject: { graded: boolean; doubleMarks: boolean; name: string };
}

/**
 * Why marks cannot be given in this lesson at all, or null when they can: grade 1 (001 §2.4,
 * 002 §3.7) and subjects without marks (002 §3.8).
 */
export function marksRefusal(ctx: MarkingContext): string | null {
  if (ctx.grade === 1) {
    return "В 1 классе отметки не ставятся: отмечайте посещаемость и тему урока.";
  }
  if (!ctx.subject.graded) {
    return `«${ctx.subject.name}» — безотметочный предмет: отмечайте посещаемость, тему урока и домашнее задание.`;
  }
  return null;
}

/** Checks one parsed mark against the lesson's class, subject and form of control (002 §5.5). */
export function assertMarkAllowed(
  ctx: MarkingContext & { form?: { name: string; isWritten: boolean } | null },
  parsed: ParsedMark,
): void {
  const refusal = marksRefusal(ctx);
  if (refusal) throw validation(refusal);
  if (parsed.value2 === null) return;
  if (!ctx.subject.doubleMarks) {
    throw validation(
      `По предмету «${ctx.subject.name}» две отметки в одной клетке не ставятся: поставьте одну отметку.`,
    );
  }
  if (!ctx.form) {
    throw validation(
      "Две отметки ставятся только за письменную работу: укажите форму контроля (диктант, сочинение, изложение).",
    );
  }
  if (!ctx.form.isWritten) {
    throw validation(
      `«${ctx.form.name}» — не письменная работа: поставьте одну отметку или выберите письменную форму контроля.`,
    );
  }
}

/** "4/5" or "5": how a cell is shown. */
export const formatMark = (m: { value: string; value2?: string | null }) =>
  m.value2 ? `${m.value}/${m.value2}` : m.value;
