import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.js";
import { type Actor, hasRole } from "./actor.js";
import { audit } from "./audit.js";
import { forbidden, notFound, validation } from "./errors.js";
import { hhmm, id, parseInput } from "./validate.js";

/**
 * How a person wants to hear from the journal: which alerts, instantly or in a daily digest,
 * quiet hours (null = the school's) and e-mail as a second channel. The worker reads the same
 * defaults, so a person without a row behaves exactly like one with the defaults.
 */
export const PREFERENCE_DEFAULTS = {
  marks: true,
  homework: true,
  absences: true,
  messages: true,
  mode: "INSTANT" as "INSTANT" | "DIGEST",
  digestTime: "19:00",
  quietStart: null as string | null,
  quietEnd: null as string | null,
  email: false,
};

export const getPreferencesInput = z.strictObject({ personId: id.optional() });

export const updatePreferencesInput = z
  .strictObject({
    personId: id.optional(),
    marks: z.boolean().optional(),
    homework: z.boolean().optional(),
    absences: z.boolean().optional(),
    messages: z.boolean().optional(),
    mode: z.enum(["INSTANT", "DIGEST"]).optional(),
    digestTime: hhmm.optional(),
    quietStart: hhmm.nullable().optional(),
    quietEnd: hhmm.nullable().optional(),
    email: z.boolean().optional(),
    /** The person's language for the bot and alerts (Person.language). */
    language: z.enum(["ru", "en"]).optional(),
  })
  .refine((v) => (v.quietStart === undefined) === (v.quietEnd === undefined), {
    message: "укажите начало и конец тихих часов вместе",
    path: ["quietEnd"],
  })
  .refine((v) => (v.quietStart === null) === (v.quietEnd === null), {
    message: "сбросьте начало и конец тихих часов вместе (null)",
    path: ["quietEnd"],
  });

export interface Preferences {
  personId: number;
  marks: boolean;
  homework: boolean;
  absences: boolean;
  messages: boolean;
  mode: "INSTANT" | "DIGEST";
  digestTime: string;
  quietStart: string | null;
  quietEnd: string | null;
  email: boolean;
  /** The quiet hours in force (own or the school's). */
  effectiveQuiet: { start: string; end: string; fromSchool: boolean };
  hasEmail: boolean;
  language: string;
}

/** One's own preferences; the journal admin may read and set anyone's in the school. */
async function targetPerson(db: DbOrTx, actor: Actor, personId: number | undefined) {
  const target = personId ?? actor.personId;
  if (target !== actor.personId && !hasRole(actor, "ADMIN")) {
    throw forbidden("Настройки уведомлений меняет сам пользователь или администратор журнала.");
  }
  const person = await db.person.findUnique({
    where: { id: target },
    select: { id: true, schoolId: true, email: true, language: true, school: true },
  });
  if (!person || person.schoolId !== actor.schoolId) throw notFound("Пользователь");
  return person;
}

async function view(db: DbOrTx, person: Awaited<ReturnType<typeof targetPerson>>): Promise<Preferences> {
  const row = await db.notificationPreference.findUnique({ where: { personId: person.id } });
  const p = { ...PREFERENCE_DEFAULTS, ...row };
  const own = p.quietStart !== null && p.quietEnd !== null;
  return {
    personId: person.id,
    marks: p.marks,
    homework: p.homework,
    absences: p.absences,
    messages: p.messages,
    mode: p.mode,
    digestTime: p.digestTime,
    quietStart: p.quietStart,
    quietEnd: p.quietEnd,
    email: p.email,
    effectiveQuiet: own
      ? { start: p.quietStart as string, end: p.quietEnd as string, fromSchool: false }
      : { start: person.school.quietHoursStart, end: person.school.quietHoursEnd, fromSchool: true },
    hasEmail: Boolean(person.email),
    language: person.language,
  };
}

export async function getPreferences(db: DbOrTx, actor: Actor, input: unknown = {}): Promise<Preferences> {
  const { personId } = parseInput(getPreferencesInput, input ?? {});
  return view(db, await targetPerson(db, actor, personId));
}

export async function updatePreferences(db: Db, actor: Actor, input: unknown): Promise<Preferences> {
  const { personId, language, ...change } = parseInput(updatePreferencesInput, input);
  return db.$transaction(async (tx) => {
    const person = await targetPerson(tx, actor, personId);
    if (change.email === true && !person.email) {
      throw validation("Чтобы получать письма, сначала укажите адрес электронной почты в профиле.", {
        fields: { email: "нет адреса почты" },
      });
    }
    const before = await tx.notificationPreference.findUnique({ where: { personId: person.id } });
    const after = await tx.notificationPreference.upsert({
      where: { personId: person.id },
      create: { personId: person.id, ...change },
      update: change,
    });
    await audit(tx, actor, {
      action: "preferences.update",
      entity: "NotificationPreference",
      entityId: person.id,
      before,
      after,
    });
    if (language && language !== person.language) {
      await tx.person.update({ where: { id: person.id }, data: { language } });
      await audit(tx, actor, {
        action: "person.language",
        entity: "Person",
        entityId: person.id,
        before: { language: person.language },
        after: { language },
      });
    }
    return view(tx, language ? { ...person, language } : person);
  });
}
