import { z } from "zod";
import {
  AbsenceReason,
  AttendanceKind,
  EnrolmentEnd,
  MarkChange,
  MessageKind,
  PeriodKind,
  PeriodMarkKind,
  PeriodSystem,
  Role,
  Sex,
} from "../generated/prisma/enums.js";

/**
 * Building blocks of the response schemas. A response schema describes one body both ways: its
 * output side is what the service returns (dates as Date, the audit id as BigInt), its input side
 * is the JSON a client receives (ISO text). The OpenAPI document shows the JSON; the compiler
 * checks each route's service against the output side; the HTTP tests parse real bodies with it.
 */

/** Every response object lists all its fields: an undocumented field is a bug. */
export const obj = z.strictObject;

/** A moment in time: the service holds a Date, JSON carries ISO 8601 in UTC. */
export const dateTime = z
  .codec(z.iso.datetime(), z.date(), {
    decode: (text) => new Date(text),
    encode: (date) => date.toISOString(),
  })
  .describe("Момент времени, ISO 8601 в UTC, например 2026-11-24T06:00:00.000Z");

/** A calendar day stored in a DATE column and read through the ORM: a Date at UTC midnight. */
export const midnight = z
  .codec(
    z.iso.datetime().refine((v) => v.endsWith("T00:00:00.000Z"), "полночь UTC"),
    z.date(),
    { decode: (text) => new Date(text), encode: (date) => date.toISOString() },
  )
  .describe("Дата: полночь UTC этого дня, например 2026-09-01T00:00:00.000Z");

/** A calendar day as text. */
export const day = z.iso.date().describe("Дата ГГГГ-ММ-ДД");

/** Local time of the school, "HH:mm". */
export const hhmm = z
  .string()
  .regex(/^\d{2}:\d{2}$/, "время ЧЧ:ММ")
  .describe("Местное время ЧЧ:ММ");

/** BigInt ids (the audit log) are not JSON numbers: they go out as decimal strings. */
export const bigId = z
  .codec(z.string().regex(/^\d+$/, "десятичная строка"), z.bigint(), {
    decode: (text) => BigInt(text),
    encode: (value) => value.toString(),
  })
  .meta({ type: "string", description: "Целое число в виде строки (64 бита)" });

export const id = z.number().int().positive();
export const count = z.number().int().nonnegative();
/** A weighted average, rounded to 2 decimals; null without marks. */
export const average = z.number().nullable().describe("Средневзвешенный балл, 2 знака; null — отметок нет");

export const role = z.enum(Role);
export const roles = z.array(role);
export const sex = z.enum(Sex);
export const periodSystem = z.enum(PeriodSystem);
export const periodKind = z.enum(PeriodKind);
export const periodMarkKind = z.enum(PeriodMarkKind);
export const attendanceKind = z.enum(AttendanceKind);
export const absenceReason = z.enum(AbsenceReason);
export const markChange = z.enum(MarkChange);
export const messageKind = z.enum(MessageKind);
export const enrolmentEnd = z.enum(EnrolmentEnd);

/** A file in the body: PDF, XLSX, PNG (the OpenAPI "binary" string). */
export const binary = (what: string) => z.string().meta({ format: "binary", description: what });

/** No body (204). */
export const noContent = z.undefined().describe("Успешно, без тела ответа / No content");

/**
 * A JSON success response as the OpenAPI document shows it: the schema's own description (or a
 * plain "OK" / "Created") instead of @fastify/swagger's "Default Response".
 */
export const jsonResponse = (schema: z.ZodType, status: 200 | 201 = 200) => ({
  description: schema.description ?? (status === 201 ? "Создано / Created" : "Успешно / OK"),
  content: { "application/json": { schema } },
});

// Short forms of people, classes and the like, as lists and cards show them.

/** A person as documents name them: with the patronymic. */
export const personRef = obj({
  id,
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
});
/** A pupil in a list: surname and first name. */
export const pupilRef = obj({ id, lastName: z.string(), firstName: z.string() });
/** Anything with an id and a name: subject, subgroup, control form, period. */
export const ref = obj({ id, name: z.string() });
export const classRef = obj({ id, grade: z.number().int(), letter: z.string() });
/** A class by its name, "5А". */
export const namedClass = obj({ id, name: z.string().describe("Класс, например 5А") });

// Rows of the journal's tables, as the ORM returns them.

export const schoolRow = obj({
  id,
  name: z.string(),
  timeZone: z.string(),
  periodSystem,
  fillDeadline: hhmm,
  markLockDays: z.number().int(),
  weekDays: z.number().int(),
  quietHoursStart: hhmm,
  quietHoursEnd: hhmm,
  absenceGraceMinutes: z
    .number()
    .int()
    .describe(
      "Сколько минут ждёт уведомление об отсутствии, чтобы учитель успел исправить отметку (по умолчанию 10; 0 — сразу). Остальные уведомления уходят сразу",
    ),
  inviteTtlDays: z.number().int(),
  paidBroadcast: z
    .boolean()
    .describe(
      "Платные рассылки Telegram (allow_paid_broadcast, до 1000 сообщений/с, оплачиваются звёздами) для объявлений школы и класса; по умолчанию выключено",
    ),
  createdAt: dateTime,
});

export const holidayRow = obj({ id, schoolId: id, fromDate: midnight, toDate: midnight, name: z.string() });

export const yearRow = obj({ id, schoolId: id, name: z.string(), startDate: midnight, endDate: midnight });

export const periodRow = obj({
  id,
  yearId: id,
  kind: periodKind,
  number: z.number().int(),
  name: z.string(),
  startDate: midnight,
  endDate: midnight,
  publishedAt: dateTime.nullable(),
});

export const classRow = obj({
  id,
  yearId: id,
  grade: z.number().int(),
  letter: z.string(),
  classTeacherId: id.nullable(),
});

export const subgroupRow = obj({ id, classId: id, name: z.string() });

export const subjectRow = obj({
  id,
  schoolId: id,
  name: z.string(),
  graded: z.boolean(),
  doubleMarks: z.boolean(),
});

export const controlFormRow = obj({
  id,
  schoolId: id,
  name: z.string(),
  weight: z.number().int(),
  isControlWork: z.boolean(),
  isWritten: z.boolean(),
});

export const enrolmentRow = obj({
  id,
  pupilId: id,
  classId: id,
  joinedOn: midnight,
  joinOrder: z.string().nullable(),
  leftOn: midnight.nullable(),
  leftReason: enrolmentEnd.nullable(),
  leftOrder: z.string().nullable(),
});

export const guardianLinkRow = obj({ guardianId: id, pupilId: id, relation: z.string().nullable() });

export const assignmentRow = obj({
  id,
  yearId: id,
  teacherId: id,
  subjectId: id,
  classId: id,
  subgroupId: id.nullable(),
  hoursPerWeek: z.number().int(),
});

export const slotRow = obj({
  id,
  assignmentId: id,
  weekday: z.number().int().describe("День недели ISO: 1 — понедельник"),
  lessonNumber: z.number().int(),
  startsAt: hhmm,
  endsAt: hhmm,
  room: z.string().nullable(),
  validFrom: midnight,
  validTo: midnight.nullable(),
});

export const topicPlanItemRow = obj({
  id,
  assignmentId: id,
  number: z.number().int(),
  topic: z.string(),
  hours: z.number().int(),
  plannedDate: midnight.nullable(),
});

export const markValue = z.string().describe("Отметка «1»–«5»; вторая — в value2 (двойная «4/5»)");

export const markRow = obj({
  id,
  lessonId: id,
  pupilId: id,
  value: markValue,
  value2: z.string().nullable(),
  controlFormId: id.nullable(),
  weight: z.number().int(),
  comment: z.string().nullable(),
  authorId: id,
  createdAt: dateTime,
  updatedAt: dateTime,
  lockAt: dateTime
    .nullable()
    .describe("Когда автор теряет право изменить отметку: срок фиксируется при выставлении (004 §5.3)"),
});

export const markHistoryRow = obj({
  id,
  markId: id,
  oldValue: z.string(),
  oldValue2: z.string().nullable(),
  newValue: z.string(),
  newValue2: z.string().nullable(),
  change: markChange,
  note: z.string().nullable(),
  authorId: id,
  createdAt: dateTime,
});

/** A mark in a cell of the grid or the diary. */
export const markCell = obj({
  id,
  value: markValue,
  value2: z.string().nullable(),
  weight: z.number().int(),
  comment: z.string().nullable(),
  controlForm: ref.nullable(),
});

/** A pupil's attendance on a lesson (no row: present). */
export const attendanceRow = obj({ id, pupilId: id, kind: attendanceKind, reason: absenceReason.nullable() });

export const absenceNoticeRow = obj({
  id,
  pupilId: id,
  fromDate: midnight,
  toDate: midnight,
  reason: absenceReason,
  note: z.string().nullable(),
  reportedById: id,
  createdAt: dateTime,
});

export const messageRow = obj({
  id,
  schoolId: id,
  authorId: id,
  kind: messageKind,
  classId: id.nullable(),
  pupilId: id.nullable(),
  replyToId: id.nullable(),
  body: z.string(),
  needsAck: z.boolean(),
  urgent: z.boolean(),
  createdAt: dateTime,
});

/** A lesson as its views show it (lessonView in the service). */
export const lessonRow = obj({
  id,
  date: midnight,
  lessonNumber: z.number().int(),
  startsAt: hhmm,
  endsAt: hhmm,
  classId: id,
  subgroupId: id.nullable(),
  subjectId: id,
  teacherId: id,
  substituteId: id.nullable(),
  topic: z.string().nullable(),
  plannedTopicId: id.nullable(),
  controlFormId: id.nullable(),
  homework: z.string().nullable(),
  homeworkNone: z.boolean().describe("«Не задано»: учитель явно указал, что задания нет"),
  attendanceAt: dateTime.nullable().describe("Когда отмечена посещаемость; null — ещё не отмечена"),
});
