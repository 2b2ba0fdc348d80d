import { z } from "zod";
import { type Db, type DbOrTx, Prisma, queryRows, type Tx } from "../db/client.js";
import { emit } from "../events/outbox.js";
import type { AbsenceReason, AttendanceKind } from "../generated/prisma/enums.js";
import { canActSchoolWide, loadLessonForWrite, readablePupilsOfClass } from "./access.js";
import { type Actor, hasRole, isSchoolWide, isStaff } from "./actor.js";
import { audit } from "./audit.js";
import { forbidden, notFound, validation } from "./errors.js";
import { requireDistinct, requireLessonPupils } from "./lesson-pupils.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { requireLessonEntryTime } from "./rules/entry-times.js";
import { dateOnly, id, isoDate, isoOf, parseInput, text } from "./validate.js";

const kind = z.enum(["ABSENT", "LATE"], "ABSENT (нет на уроке) или LATE (опоздал)");
const reason = z.enum(["EXCUSED", "ILLNESS", "UNEXCUSED"], "EXCUSED, ILLNESS или UNEXCUSED");

export const recordAttendanceInput = z.object({
  lessonId: id,
  entries: z.array(z.object({ pupilId: id, kind })).max(60),
});

/**
 * Saves a lesson's attendance as a whole: the pupils listed are absent or late, everyone else
 * was present. A guardian's notice covering the day prefills the reason of a new absence.
 */
export async function recordAttendance(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(recordAttendanceInput, input);
  const lesson = await loadLessonForWrite(db, actor, data.lessonId);
  const pupilIds = data.entries.map((e) => e.pupilId);
  requireDistinct(pupilIds);
  requireLessonEntryTime("attendance", lesson);
  await requireLessonPupils(db, lesson, pupilIds);
  return db.$transaction((tx) => writeAttendance(tx, actor, lesson, data.entries));
}

export interface AttendanceEntry {
  pupilId: number;
  kind: "ABSENT" | "LATE";
}

/**
 * Saves a lesson's whole attendance inside the caller's transaction, with its audit row and its
 * attendance.recorded event. The caller has checked the writer, the pupils and the day.
 */
export async function writeAttendance(
  tx: Tx,
  actor: Actor,
  lesson: { id: number; date: Date },
  entries: readonly AttendanceEntry[],
) {
  const wanted = new Map(entries.map((e) => [e.pupilId, e.kind as AttendanceKind]));
  // Raw SQL: attendance is saved on every lesson, and the ORM's per-call cost outweighed the
  // statements. The application's clock stamps the rows, as the ORM did.
  const now = new Date();
  const day = isoOf(lesson.date);
  const existing = await queryRows<{ id: number; pupilId: number; kind: AttendanceKind }>(
    tx,
    Prisma.sql`
    SELECT id, "pupilId", kind::text AS kind FROM "Attendance" WHERE "lessonId" = ${lesson.id}::int ORDER BY id`,
  );
  const had = new Map(existing.map((a) => [a.pupilId, a]));
  const gone = existing.filter((a) => !wanted.has(a.pupilId));
  const fresh = entries.filter((e) => !had.has(e.pupilId));
  const switched = entries.filter((e) => had.has(e.pupilId) && had.get(e.pupilId)!.kind !== e.kind);

  const newlyAbsent = fresh.filter((e) => e.kind === "ABSENT").map((e) => e.pupilId);
  const notices = newlyAbsent.length
    ? await queryRows<{ pupilId: number; reason: AbsenceReason; reportedById: number }>(
        tx,
        Prisma.sql`
        SELECT "pupilId", reason::text AS reason, "reportedById" FROM "AbsenceNotice"
        WHERE "pupilId" = ANY(${newlyAbsent}::int[])
          AND "fromDate" <= ${day}::date AND "toDate" >= ${day}::date
        ORDER BY "createdAt"`,
      )
    : [];
  // The latest notice wins when a guardian reported twice.
  const noticeOf = new Map(notices.map((n) => [n.pupilId, n]));
  const freshNotice = fresh.map((e) => (e.kind === "ABSENT" ? noticeOf.get(e.pupilId) : undefined));

  // Removals, new rows, switched kinds and the lesson's stamp in one statement (PostgreSQL runs
  // every data-modifying WITH once, read or not); the lesson's attendance as it now stands comes
  // back from it: new and switched rows, and the untouched ones from the statement's snapshot.
  const attendance = await queryRows<{
    id: number;
    pupilId: number;
    kind: AttendanceKind;
    reason: AbsenceReason | null;
  }>(
    tx,
    Prisma.sql`
    WITH del AS (
      DELETE FROM "Attendance" WHERE id = ANY(${gone.map((a) => a.id)}::int[]) RETURNING id
    ), ins AS (
      INSERT INTO "Attendance" ("lessonId", "pupilId", kind, "markedById", reason, "reasonById",
                                "createdAt", "updatedAt")
      SELECT ${lesson.id}::int, p, k::"AttendanceKind", ${actor.personId}::int, r::"AbsenceReason", rb,
             ${now}::timestamptz, ${now}::timestamptz
      FROM unnest(${fresh.map((e) => e.pupilId)}::int[], ${fresh.map((e) => e.kind)}::text[],
                  ${freshNotice.map((n) => n?.reason ?? null)}::text[],
                  ${freshNotice.map((n) => n?.reportedById ?? null)}::int[]) WITH ORDINALITY AS t(p, k, r, rb, n)
      ORDER BY n
      RETURNING id, "pupilId", kind, reason
    ), upd AS (
      UPDATE "Attendance" a
      SET kind = t.k::"AttendanceKind", "markedById" = ${actor.personId}::int, "updatedAt" = ${now}::timestamptz
      FROM unnest(${switched.map((e) => had.get(e.pupilId)!.id)}::int[], ${switched.map((e) => e.kind)}::text[])
           AS t(id, k)
      WHERE a.id = t.id
      RETURNING a.id, a."pupilId", a.kind, a.reason
    ), stamp AS (
      UPDATE "Lesson" SET "attendanceAt" = ${now}::timestamptz, "updatedAt" = ${now}::timestamptz
      WHERE id = ${lesson.id}::int RETURNING id
    )
    SELECT id, "pupilId", kind::text AS kind, reason::text AS reason FROM (
      SELECT * FROM ins
      UNION ALL SELECT * FROM upd
      UNION ALL
      SELECT a.id, a."pupilId", a.kind, a.reason FROM "Attendance" a
      WHERE a."lessonId" = ${lesson.id}::int
        AND NOT a.id = ANY(${[...gone.map((g) => g.id), ...switched.map((e) => had.get(e.pupilId)!.id)]}::int[])
    ) rows
    ORDER BY id`,
  );

  const changed = [
    ...gone.map((a) => a.pupilId),
    ...fresh.map((e) => e.pupilId),
    ...switched.map((e) => e.pupilId),
  ];
  const state = (rows: readonly { pupilId: number; kind: string }[]) => ({
    absent: rows.filter((r) => r.kind === "ABSENT").map((r) => r.pupilId),
    late: rows.filter((r) => r.kind === "LATE").map((r) => r.pupilId),
  });
  await audit(tx, actor, {
    action: "attendance.record",
    entity: "Lesson",
    entityId: lesson.id,
    before: state(existing),
    after: state(entries),
  });
  await emit(tx, actor.schoolId, {
    type: "attendance.recorded",
    payload: { lessonId: lesson.id, pupilIds: changed },
  });
  return { lessonId: lesson.id, attendance, changedPupilIds: changed };
}

/**
 * Records pupils absent in the caller's transaction, leaving everyone else's state as it was
 * (a marks line with "н"): the same rules, audit row and event as recordAttendance.
 */
export async function addAbsences(
  tx: Tx,
  actor: Actor,
  lesson: { id: number; date: Date },
  pupilIds: number[],
) {
  const existing = await tx.attendance.findMany({
    where: { lessonId: lesson.id },
    select: { pupilId: true, kind: true },
  });
  const absent = new Set(pupilIds);
  const entries: AttendanceEntry[] = existing
    .filter((a) => !absent.has(a.pupilId))
    .map((a) => ({ pupilId: a.pupilId, kind: a.kind }));
  for (const pupilId of pupilIds) entries.push({ pupilId, kind: "ABSENT" });
  return writeAttendance(tx, actor, lesson, entries);
}

export const setAbsenceReasonsInput = z.object({
  items: z
    .array(z.object({ attendanceId: id, reason }))
    .min(1, "укажите хотя бы одну запись")
    .max(500),
});

/** The class teacher records why pupils missed lessons (003 §5.3); the administration may too. */
export async function setAbsenceReasons(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(setAbsenceReasonsInput, input);
  const ids = [...new Set(data.items.map((i) => i.attendanceId))];
  const rows = await db.attendance.findMany({
    where: { id: { in: ids }, lesson: { class: { year: { schoolId: actor.schoolId } } } },
    select: {
      id: true,
      reason: true,
      lesson: { select: { classId: true, class: { select: { classTeacherId: true } } } },
    },
  });
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => r.id));
    throw notFound("Запись посещаемости", { attendanceIds: ids.filter((i) => !found.has(i)) });
  }
  if (!canActSchoolWide(actor)) {
    const foreign = rows.filter((r) => r.lesson.class.classTeacherId !== actor.personId);
    if (foreign.length) {
      throw forbidden(
        "Причину отсутствия отмечает классный руководитель ученика или заместитель директора: сообщите им о причине.",
        { attendanceIds: foreign.map((r) => r.id) },
      );
    }
  }
  const reasonOf = new Map(data.items.map((i) => [i.attendanceId, i.reason as AbsenceReason]));
  return db.$transaction(async (tx) => {
    for (const r of ["EXCUSED", "ILLNESS", "UNEXCUSED"] as const) {
      const group = ids.filter((i) => reasonOf.get(i) === r);
      if (group.length) {
        await tx.attendance.updateMany({
          where: { id: { in: group } },
          data: { reason: r, reasonById: actor.personId },
        });
      }
    }
    await audit(
      tx,
      actor,
      ...rows.map((row) => ({
        action: "attendance.reason",
        entity: "Attendance",
        entityId: row.id,
        before: { reason: row.reason },
        after: { reason: reasonOf.get(row.id) },
      })),
    );
    await emit(tx, actor.schoolId, { type: "attendance.reason_set", payload: { attendanceIds: ids } });
    return { updated: ids.length };
  });
}

export const classAbsencesInput = z
  .object({ classId: id, from: isoDate, to: isoDate })
  .refine((v) => v.from <= v.to, { message: "начало периода не позже конца", path: ["to"] });

/**
 * The class's missed lessons in a date range (the "lessons missed" page, 002 §5.37): for the
 * class teacher, teachers of the class and the administration.
 */
export async function classAbsences(db: DbOrTx, actor: Actor, input: unknown) {
  const data = parseInput(classAbsencesInput, input);
  const cls = await db.class.findFirst({
    where: { id: data.classId, year: { schoolId: actor.schoolId } },
    select: {
      classTeacherId: true,
      assignments: { where: { teacherId: actor.personId }, select: { id: true }, take: 1 },
    },
  });
  if (!cls) throw notFound("Класс");
  const allowed = isSchoolWide(actor) || cls.classTeacherId === actor.personId || cls.assignments.length > 0;
  if (!allowed)
    throw forbidden("Пропуски класса видят классный руководитель, учителя класса и администрация.");
  // A subgroup's teacher sees the absences of their subgroup's pupils only (002 §9.1.3).
  const readable =
    cls.classTeacherId === actor.personId ? null : await readablePupilsOfClass(db, actor, data.classId);
  const rows = await db.attendance.findMany({
    where: {
      lesson: { classId: data.classId, date: { gte: dateOnly(data.from), lte: dateOnly(data.to) } },
      ...(readable ? { pupilId: { in: [...readable] } } : {}),
    },
    select: {
      id: true,
      kind: true,
      reason: true,
      pupil: { select: { id: true, lastName: true, firstName: true } },
      lesson: {
        select: { id: true, date: true, lessonNumber: true, subject: { select: { id: true, name: true } } },
      },
    },
  });
  const collator = new Intl.Collator("ru");
  return rows
    .map((r) => ({
      attendanceId: r.id,
      kind: r.kind,
      reason: r.reason,
      pupil: r.pupil,
      lessonId: r.lesson.id,
      date: isoOf(r.lesson.date),
      lessonNumber: r.lesson.lessonNumber,
      subject: r.lesson.subject,
    }))
    .sort(
      (a, b) =>
        a.date.localeCompare(b.date) ||
        a.lessonNumber - b.lessonNumber ||
        collator.compare(a.pupil.lastName, b.pupil.lastName),
    );
}

export const reportAbsenceInput = z
  .object({ pupilId: id, fromDate: isoDate, toDate: isoDate, reason, note: text(500).optional() })
  .refine((v) => v.fromDate <= v.toDate, { message: "первый день не позже последнего", path: ["toDate"] });

/** A guardian tells the school the child will be absent (003 §5.6). */
export async function reportAbsence(db: Db, actor: Actor, input: unknown) {
  const data = parseInput(reportAbsenceInput, input);
  const link = hasRole(actor, "GUARDIAN")
    ? await db.guardianLink.findFirst({
        where: { guardianId: actor.personId, pupilId: data.pupilId, pupil: { schoolId: actor.schoolId } },
        select: { pupilId: true },
      })
    : null;
  if (!link) {
    if (isStaff(actor)) {
      const same = await db.person.findFirst({
        where: { id: data.pupilId, schoolId: actor.schoolId },
        select: { id: true },
      });
      if (same)
        throw forbidden("Об отсутствии сообщает родитель ученика; классный руководитель отмечает причину.");
    }
    throw notFound("Ученик");
  }
  const { today } = await loadSchoolToday(db, actor.schoolId);
  if (data.fromDate < today) {
    throw validation(
      "Сообщить об отсутствии можно начиная с сегодняшнего дня: о прошедших днях напишите классному руководителю.",
    );
  }
  const from = dateOnly(data.fromDate);
  const to = dateOnly(data.toDate);
  return db.$transaction(async (tx) => {
    const notice = await tx.absenceNotice.create({
      data: {
        pupilId: data.pupilId,
        fromDate: from,
        toDate: to,
        reason: data.reason,
        note: data.note ?? null,
        reportedById: actor.personId,
      },
    });
    // Absences already marked in those days get the reason; ones set by the class teacher stay.
    const prefilled = await tx.attendance.updateMany({
      where: {
        pupilId: data.pupilId,
        kind: "ABSENT",
        reason: null,
        lesson: { date: { gte: from, lte: to } },
      },
      data: { reason: data.reason, reasonById: actor.personId },
    });
    await audit(tx, actor, {
      action: "absence.report",
      entity: "AbsenceNotice",
      entityId: notice.id,
      after: { pupilId: data.pupilId, from: data.fromDate, to: data.toDate, reason: data.reason },
    });
    await emit(tx, actor.schoolId, {
      type: "absence.reported",
      payload: { noticeId: notice.id, pupilId: data.pupilId },
    });
    return { notice, prefilled: prefilled.count };
  });
}
