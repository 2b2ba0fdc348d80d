import { z } from "zod";
import { type Db, type DbOrTx, isUniqueViolation, Prisma, queryRows, type Tx } from "../db/client.js";
import { emit } from "../events/outbox.js";
import type { Mark } from "../generated/prisma/client.js";
import {
  canActSchoolWide,
  loadLesson,
  loadLessonWith,
  requirePupilReadable,
  requireWriter,
} from "./access.js";
import type { Actor } from "./actor.js";
import { addAbsences } from "./attendance.js";
import { audit } from "./audit.js";
import { conflict, DomainError, forbidden, locked, notFound, validation } from "./errors.js";
import { inLessonSql, refuseOutsiders, requireDistinct } from "./lesson-pupils.js";
import {
  calendarJsonSql,
  isMarkLocked,
  loadCalendar,
  lockEndsAt,
  markLockAt,
  type SchoolCalendar,
} from "./rules/calendar.js";
import { requireLessonEntryTime } from "./rules/entry-times.js";
import {
  assertMarkAllowed,
  formatMark,
  marksRefusal,
  type ParsedMark,
  parseMarkValue,
} from "./rules/marks.js";
import { id, line, parseInput, text } from "./validate.js";

/** The listed reasons for correcting a locked mark (003 §7), as people read them. */
export const CORRECTION_REASONS = {
  DEBT_CLEARED: "ликвидация задолженности",
  AUDIT_UNFAIR: "проверка выявила необъективность отметки",
  TEACHER_STATEMENT: "письменное заявление учителя об ошибке",
  APPEAL_UPHELD: "апелляция удовлетворена",
  REATTESTATION: "повторная аттестация",
} as const;
export type CorrectionReason = keyof typeof CORRECTION_REASONS;
const reasonKeys = Object.keys(CORRECTION_REASONS) as [CorrectionReason, ...CorrectionReason[]];

const reasonsText = Object.values(CORRECTION_REASONS).join("; ");

const ddmmyyyy = (date: Date, timeZone: string) =>
  date.toLocaleDateString("ru-RU", { timeZone, day: "2-digit", month: "2-digit", year: "numeric" });

function lockedError(markIds: number[], lockedAt: Date, cal: SchoolCalendar) {
  // The deadline is the mark's own (fixed when it was written), so the text names the date, not
  // today's lock length.
  return locked(
    "Отметка заблокирована: срок её изменения автором истёк " +
      `(изменять её можно было по ${ddmmyyyy(new Date(lockedAt.getTime() - 1), cal.timeZone)} включительно). ` +
      `Исправить её может заместитель директора или администратор журнала, указав причину: ${reasonsText}.`,
    { markIds, lockedAt: lockedAt.toISOString() },
  );
}

const markInput = z.object({ pupilId: id, value: line(10, 0), comment: text(300).optional() });

export const postMarksInput = z.object({
  lessonId: id,
  controlFormId: id.optional(),
  marks: z.array(markInput).min(1, "укажите хотя бы одну отметку").max(60),
  /** Pupils absent from the lesson, recorded with the marks in one transaction (a line with "н"). */
  absent: z.array(id).max(60).optional(),
});

interface FormRow {
  id: number;
  name: string;
  weight: number;
  isWritten: boolean;
  schoolId: number;
}

async function loadForm(db: DbOrTx, actor: Actor, formId: number | null) {
  if (formId === null) return null;
  const [form] = await queryRows<FormRow>(
    db,
    Prisma.sql`
    SELECT id, name, weight, "isWritten", "schoolId" FROM "ControlForm" WHERE id = ${formId}::int`,
  );
  if (!form || form.schoolId !== actor.schoolId) throw notFound("Форма контроля");
  return form;
}

/** New cells of a column (insertMarks). */
export interface NewCells {
  lessonId: number;
  fresh: readonly { pupilId: number; comment?: string | undefined }[];
  parsed: ReadonlyMap<number, ParsedMark>;
  controlFormId: number | null;
  weight: number;
  now: Date;
  /** When the new marks lock (lockEndsAt(now) with the school's settings now): fixed from here on. */
  lockAt: Date;
  /** With their mark.posted event: a blank column then needs no transaction. */
  withEvent: boolean;
}

/** insertMarks' statement; the API benchmark runs it on raw pg as the bound. */
export function insertMarksSql(actor: Actor, cells: NewCells): Prisma.Sql {
  const { lessonId, fresh, parsed, controlFormId, weight, now, lockAt, withEvent } = cells;
  const pupils = fresh.map((m) => m.pupilId);
  // The application's clock, not the database's: the lock counts from `now`. The audit rows go
  // in the same statement, as audit() would write them: "mark.post", after = the cell (pupilId,
  // value as formatMark shows it, controlFormId).
  return Prisma.sql`
    WITH ins AS (
      INSERT INTO "Mark" ("lessonId", "pupilId", value, value2, "controlFormId", weight, comment, "authorId",
                          "createdAt", "updatedAt", "lockAt")
      SELECT ${lessonId}::int, p, v, v2, ${controlFormId}::int, ${weight}::int, c, ${actor.personId}::int,
             ${now}::timestamptz, ${now}::timestamptz, ${lockAt}::timestamptz
      FROM unnest(${pupils}::int[], ${pupils.map((p) => parsed.get(p)!.value)}::text[],
                  ${pupils.map((p) => parsed.get(p)!.value2)}::text[],
                  ${fresh.map((m) => m.comment ?? null)}::text[]) WITH ORDINALITY AS t(p, v, v2, c, n)
      ORDER BY n
      RETURNING *
    ), audit AS (
      INSERT INTO "AuditLog" ("schoolId", "actorId", action, entity, "entityId", after, at)
      SELECT ${actor.schoolId}::int, ${actor.personId}::int, 'mark.post', 'Mark', ins.id::text,
             jsonb_build_object('pupilId', ins."pupilId",
                                'value', CASE WHEN ins.value2 IS NULL THEN ins.value
                                              ELSE ins.value || '/' || ins.value2 END,
                                'controlFormId', ins."controlFormId"),
             ${now}::timestamptz
      FROM ins ORDER BY ins.id
    ), event AS (
      -- The payload emit() would write for these cells (eventSchemas["mark.posted"]): ids are
      -- drawn in the order of the rows, so ORDER BY id keeps the order of \`fresh\`.
      INSERT INTO "Outbox" ("schoolId", type, payload, "createdAt")
      SELECT ${actor.schoolId}::int, 'mark.posted',
             jsonb_build_object('lessonId', ${lessonId}::int, 'markIds', jsonb_agg(ins.id ORDER BY ins.id)),
             ${now}::timestamptz
      FROM ins HAVING ${withEvent}::boolean AND count(*) > 0
    )
    SELECT * FROM ins`;
}

/**
 * New cells of a column and their audit rows in one statement (raw SQL: the ORM's bulk inserts
 * cost several times the inserts themselves on the journal's hottest path), and with `withEvent`
 * their mark.posted event too. Rows come back in the order of `fresh`.
 */
async function insertMarks(tx: DbOrTx, actor: Actor, cells: NewCells): Promise<Mark[]> {
  const rows = await queryRows<Mark>(tx, insertMarksSql(actor, cells));
  const byPupil = new Map(rows.map((r) => [r.pupilId, r]));
  return cells.fresh.map((m) => byPupil.get(m.pupilId)!);
}

/**
 * Changed cells of a column and the history of their values in one statement, for the same
 * reason as insertMarks. Rows come back in the order of `changes`.
 */
async function updateMarks(
  tx: Tx,
  actor: Actor,
  changes: readonly { old: Mark; p: ParsedMark; newComment: string | null }[],
  controlFormId: number | null,
  weight: number,
  now: Date,
): Promise<Mark[]> {
  const edited = changes.filter((c) => c.old.value !== c.p.value || c.old.value2 !== c.p.value2);
  const rows = await queryRows<Mark>(
    tx,
    Prisma.sql`
    WITH upd AS (
      UPDATE "Mark" m
      SET value = v.value, value2 = v.value2, "controlFormId" = ${controlFormId}::int, weight = ${weight}::int,
          comment = COALESCE(v.comment, m.comment), "updatedAt" = ${now}::timestamptz
      FROM unnest(${changes.map((c) => c.old.id)}::int[], ${changes.map((c) => c.p.value)}::text[],
                  ${changes.map((c) => c.p.value2)}::text[], ${changes.map((c) => c.newComment)}::text[])
           AS v(id, value, value2, comment)
      WHERE m.id = v.id
      RETURNING m.*
    ), history AS (
      INSERT INTO "MarkHistory" ("markId", "oldValue", "oldValue2", "newValue", "newValue2", change, "authorId",
                                 "createdAt")
      SELECT id, ov, ov2, nv, nv2, 'EDIT'::"MarkChange", ${actor.personId}::int, ${now}::timestamptz
      FROM unnest(${edited.map((c) => c.old.id)}::int[], ${edited.map((c) => c.old.value)}::text[],
                  ${edited.map((c) => c.old.value2)}::text[], ${edited.map((c) => c.p.value)}::text[],
                  ${edited.map((c) => c.p.value2)}::text[]) AS h(id, ov, ov2, nv, nv2)
    )
    SELECT * FROM upd`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return changes.map((c) => byId.get(c.old.id)!);
}

interface ColumnRow {
  form: FormRow | null;
  pupils: number[];
  existing: (Omit<Mark, "createdAt" | "updatedAt" | "lockAt"> & {
    createdAt: string;
    updatedAt: string;
    lockAt: string | null;
  })[];
  calendar: SchoolCalendar;
}

/** What a column post reads with its lesson (ColumnRow), over the lesson row `l` (loadLessonWith). */
export function columnSql(data: z.infer<typeof postMarksInput>): Prisma.Sql {
  const pupilIds = data.marks.map((m) => m.pupilId);
  const wanted = [...pupilIds, ...(data.absent ?? [])];
  return Prisma.sql`
      (SELECT row_to_json(f) FROM (
         SELECT id, name, weight, "isWritten", "schoolId" FROM "ControlForm"
         WHERE id = COALESCE(${data.controlFormId ?? null}::int, l."controlFormId")) f) AS form,
      COALESCE((SELECT json_agg(p.id) FROM "Person" p
                WHERE p.id = ANY(${wanted}::int[]) AND ${inLessonSql("lesson row")}), '[]'::json) AS pupils,
      COALESCE((SELECT json_agg(m) FROM "Mark" m
                WHERE m."lessonId" = l.id AND m."pupilId" = ANY(${pupilIds}::int[])), '[]'::json) AS existing,
      ${calendarJsonSql("sc")} AS calendar`;
}

/** A mark read as JSON: its timestamps come as text. */
const markOfJson = (m: ColumnRow["existing"][number]): Mark => ({
  ...m,
  createdAt: new Date(m.createdAt),
  updatedAt: new Date(m.updatedAt),
  lockAt: m.lockAt === null ? null : new Date(m.lockAt),
});

/**
 * Puts marks into a lesson's column. New cells are created; a cell that already holds a mark is
 * changed only by its author inside the lock window, and the old value goes to the history.
 */
export async function postMarks(
  db: Db,
  actor: Actor,
  input: unknown,
): Promise<{ marks: Mark[]; attendance?: Awaited<ReturnType<typeof addAbsences>> }> {
  const data = parseInput(postMarksInput, input);
  const pupilIds = data.marks.map((m) => m.pupilId);
  const absent = data.absent ?? [];
  const wanted = [...pupilIds, ...absent];
  // A 30-pupil column is the hot path of the journal: the lesson, the form, the pupils and the
  // cells they already have come in one statement (the unique (lesson, pupil) guards the cells
  // afterwards). The checks below run in the order they always did.
  const { lesson, extra: column } = await loadLessonWith<ColumnRow>(
    db,
    actor,
    data.lessonId,
    columnSql(data),
  );
  requireWriter(actor, lesson);
  const ctx = { grade: lesson.class.grade, subject: lesson.subject };
  const refusal = marksRefusal(ctx);
  if (refusal) throw validation(refusal);
  requireDistinct(pupilIds);
  requireDistinct(absent);
  requireLessonEntryTime("mark", lesson);
  if (absent.length > 0) requireLessonEntryTime("attendance", lesson);
  const form = column.form;
  if (form && form.schoolId !== actor.schoolId) throw notFound("Форма контроля");
  if (!form && (data.controlFormId ?? lesson.controlFormId) !== null) throw notFound("Форма контроля");
  refuseOutsiders(lesson, wanted, column.pupils);
  const parsed = new Map<number, ParsedMark>();
  for (const m of data.marks) {
    try {
      const p = parseMarkValue(m.value);
      assertMarkAllowed({ ...ctx, form }, p);
      parsed.set(m.pupilId, p);
    } catch (e) {
      // Name the pupil whose cell is wrong, so the bot and the API can point at it.
      if (e instanceof DomainError)
        throw new DomainError(e.code, e.message, { ...e.details, pupilIds: [m.pupilId] });
      throw e;
    }
  }

  const controlFormId = form?.id ?? null;
  const weight = form?.weight ?? 1;
  const now = new Date();
  const existing = column.existing.map(markOfJson);
  const byPupil = new Map(existing.map((m) => [m.pupilId, m]));
  const fresh = data.marks.filter((m) => !byPupil.has(m.pupilId));
  const changes = data.marks.flatMap((m) => {
    const old = byPupil.get(m.pupilId);
    if (!old) return [];
    const p = parsed.get(m.pupilId)!;
    const same = old.value === p.value && old.value2 === p.value2 && old.controlFormId === controlFormId;
    if (old.comment !== null && m.comment !== undefined && m.comment !== old.comment) {
      throw validation(
        "Комментарий к выставленной отметке изменить нельзя: если нужно пояснение, напишите сообщение родителям.",
        { pupilIds: [m.pupilId], markIds: [old.id] },
      );
    }
    const newComment = old.comment === null && m.comment !== undefined ? m.comment : null;
    return same && newComment === null ? [] : [{ old, p, newComment }];
  });
  const conflictOnDuplicate = (e: unknown) => {
    // Two people saving the same cell at once: the second insert hits the unique (lesson, pupil).
    if (isUniqueViolation(e)) {
      throw conflict("Эту клетку только что заполнил кто-то другой: обновите список и повторите.");
    }
    throw e;
  };

  const cal = column.calendar;
  const newCells = {
    lessonId: lesson.id,
    fresh,
    parsed,
    controlFormId,
    weight,
    now,
    lockAt: lockEndsAt(now, cal),
  };

  // A blank column (the usual case): the marks, their audit rows and the event are one statement,
  // atomic by itself, so no transaction round trips.
  if (changes.length === 0 && absent.length === 0) {
    const created = fresh.length
      ? await insertMarks(db, actor, { ...newCells, withEvent: true }).catch(conflictOnDuplicate)
      : [];
    const byId = new Map(created.map((m) => [m.pupilId, m]));
    return { marks: data.marks.map((m) => byId.get(m.pupilId) ?? byPupil.get(m.pupilId)!) };
  }

  return db
    .$transaction(async (tx) => {
      if (changes.length > 0) {
        const notMine = changes.filter((c) => c.old.authorId !== actor.personId).map((c) => c.old.id);
        if (notMine.length > 0) {
          throw forbidden(
            "Отметку поставил другой учитель: изменить её может только автор, а после блокировки — заместитель директора через исправление.",
            { markIds: notMine },
          );
        }
        const lockedOnes = changes.filter((c) => isMarkLocked(c.old, now, cal));
        if (lockedOnes.length > 0) {
          const first = lockedOnes[0]!.old;
          throw lockedError(
            lockedOnes.map((c) => c.old.id),
            markLockAt(first, cal),
            cal,
          );
        }
      }

      const created = fresh.length ? await insertMarks(tx, actor, { ...newCells, withEvent: false }) : [];
      const updated = changes.length ? await updateMarks(tx, actor, changes, controlFormId, weight, now) : [];
      const cells = (m: Mark) => ({
        pupilId: m.pupilId,
        value: formatMark(m),
        controlFormId: m.controlFormId,
      });
      await audit(
        tx,
        actor,
        // The new cells' "mark.post" rows were written with them (insertMarks).
        ...changes.map((c, i) => ({
          action: "mark.edit",
          entity: "Mark",
          entityId: c.old.id,
          before: { ...cells(c.old), comment: c.old.comment },
          after: { ...cells(updated[i]!), comment: updated[i]!.comment },
        })),
      );
      const touched = [...created, ...updated];
      if (touched.length > 0) {
        await emit(tx, actor.schoolId, {
          type: "mark.posted",
          payload: { lessonId: lesson.id, markIds: touched.map((m) => m.id) },
        });
      }
      const attendance = absent.length > 0 ? await addAbsences(tx, actor, lesson, absent) : undefined;
      const byId = new Map(touched.map((m) => [m.pupilId, m]));
      const marks = data.marks.map((m) => byId.get(m.pupilId) ?? byPupil.get(m.pupilId)!);
      return attendance ? { marks, attendance } : { marks };
    })
    .catch(conflictOnDuplicate);
}

export const correctMarkInput = z.object({
  markId: id,
  value: line(10, 0),
  reason: z.enum(reasonKeys, `причина из списка: ${reasonKeys.join(", ")}`),
  note: text(500).optional(),
});

/**
 * A correction with a listed reason (003 §7). After the lock only the deputy head or the journal
 * admin may correct; inside the window the author may also use it. The old value stays in history.
 */
export async function correctMark(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(correctMarkInput, input);
  const mark = await db.mark.findUnique({ where: { id: data.markId } });
  if (!mark) throw notFound("Отметка");
  const lesson = await loadLesson(db, actor, mark.lessonId);
  const form = await loadForm(db, actor, mark.controlFormId);
  const p = parseMarkValue(data.value);
  assertMarkAllowed({ grade: lesson.class.grade, subject: lesson.subject, form }, p);
  if (p.value === mark.value && p.value2 === mark.value2) {
    throw validation("Новая отметка совпадает с прежней: укажите другое значение.");
  }
  if (!canActSchoolWide(actor)) {
    const cal = await loadCalendar(db, actor.schoolId);
    if (isMarkLocked(mark, new Date(), cal)) {
      throw lockedError([mark.id], markLockAt(mark, cal), cal);
    }
    if (mark.authorId !== actor.personId) {
      throw forbidden(
        "Исправить отметку может её автор в течение срока изменения, а затем — заместитель директора или администратор журнала.",
      );
    }
  }
  return db.$transaction(async (tx) => {
    const updated = await tx.mark.update({
      where: { id: mark.id },
      data: { value: p.value, value2: p.value2 },
    });
    const history = await tx.markHistory.create({
      data: {
        markId: mark.id,
        oldValue: mark.value,
        oldValue2: mark.value2,
        newValue: p.value,
        newValue2: p.value2,
        change: data.reason,
        note: data.note ?? null,
        authorId: actor.personId,
      },
      select: { id: true },
    });
    await audit(tx, actor, {
      action: "mark.correct",
      entity: "Mark",
      entityId: mark.id,
      before: { value: formatMark(mark) },
      after: { value: formatMark(updated), reason: data.reason, note: data.note },
    });
    await emit(tx, actor.schoolId, {
      type: "mark.corrected",
      payload: { markId: mark.id, historyId: history.id },
    });
    return { mark: updated, historyId: history.id };
  });
}

export const markHistoryInput = z.object({ markId: id });

/** The mark and every change of it, oldest first; readable by whoever may read the pupil. */
export async function markHistory(db: DbOrTx, actor: Actor, input: unknown) {
  const data = parseInput(markHistoryInput, input);
  const mark = await db.mark.findUnique({
    where: { id: data.markId },
    include: { author: { select: { id: true, lastName: true, firstName: true, middleName: true } } },
  });
  if (!mark) throw notFound("Отметка");
  await requirePupilReadable(db, actor, mark.pupilId).catch(() => {
    throw notFound("Отметка");
  });
  const changes = await db.markHistory.findMany({
    where: { markId: mark.id },
    orderBy: { id: "asc" },
    include: { author: { select: { id: true, lastName: true, firstName: true, middleName: true } } },
  });
  return { mark, changes };
}
