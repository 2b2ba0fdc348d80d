import { z } from "zod";

/**
 * Domain events. Payloads carry ids only, never names or marks: processors load what they need,
 * so personal data never sits in Redis.
 */
const id = z.number().int().positive();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const eventSchemas = {
  "mark.posted": z.object({ lessonId: id, markIds: z.array(id).min(1) }),
  "mark.corrected": z.object({ markId: id, historyId: id }),
  "attendance.recorded": z.object({
    lessonId: id,
    /** Pupils whose state changed in this save (absent, late, or back to present). */
    pupilIds: z.array(id),
  }),
  "attendance.reason_set": z.object({ attendanceIds: z.array(id).min(1) }),
  "absence.reported": z.object({ noticeId: id, pupilId: id }),
  "homework.set": z.object({ lessonId: id }),
  "lesson.updated": z.object({ lessonId: id, fields: z.array(z.string()).min(1) }),
  "lesson.substituted": z.object({ lessonId: id, substituteId: id.nullable() }),
  /** A class's timetable changed for school days from `from` (through `to`, if it ends). */
  "timetable.changed": z.object({
    classId: id,
    from: day,
    to: day.optional(),
    /** The slots created, changed or ended. */
    slotIds: z.array(id).optional(),
  }),
  "message.sent": z.object({ messageId: id }),
  "message.acknowledged": z.object({ messageId: id, personId: id }),
  "period_mark.set": z.object({ periodMarkIds: z.array(id).min(1) }),
  /** A published period mark changed (003 §7): families are told the old and the new value. */
  "period_mark.corrected": z.object({ periodMarkId: id, historyId: id }),
  "period.published": z.object({
    periodId: id,
    classId: id.optional(),
    /**
     * The stamp this publication put on the marks it made visible (ISO instant): families hear
     * of those only — not of a sibling's class still unpublished, not again of a class published
     * earlier. Absent in events written before it existed: every published mark of the period.
     */
    publishedAt: z.iso.datetime().optional(),
  }),
  /** A scheduled backup failed (002 §9.2.2): the school's journal admins are told. */
  "backup.failed": z.object({ schoolId: id, at: z.string().max(40), reason: z.string().max(300) }),
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;
export type DomainEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

export const EVENT_TYPES = Object.keys(eventSchemas) as EventType[];

export function parseEvent(type: string, payload: unknown): DomainEvent {
  const schema = eventSchemas[type as EventType];
  if (!schema) throw new Error(`Unknown event type ${type}`);
  return { type, payload: schema.parse(payload) } as DomainEvent;
}
