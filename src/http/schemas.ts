import { z } from "zod";
import { id } from "../journal/validate.js";

/** Shared pieces of route schemas. Service inputs are reused; only path/query shapes live here. */
export const idParams = z.strictObject({ id });

/**
 * A service's input minus the keys the path supplies, refusing unknown fields: a typo in a field
 * name must answer 400, not be dropped silently.
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any zod object schema
export function bodyOf<S extends z.ZodObject<any>>(schema: S, ...fromPath: string[]): z.ZodObject {
  const mask = Object.fromEntries(fromPath.map((k) => [k, true]));
  try {
    return (schema.omit(mask as never) as z.ZodObject).strict();
  } catch {
    // zod refuses .omit() on refined objects; the service checks the refinement itself.
    const shape = Object.fromEntries(Object.entries(schema.shape).filter(([k]) => !fromPath.includes(k)));
    return z.strictObject(shape as z.ZodRawShape);
  }
}

export const strict = <S extends z.ZodObject>(schema: S) => schema.strict();

export const ok = z.strictObject({ ok: z.literal(true) });

/** Tags of the OpenAPI document, Russian first. */
export const TAGS = [
  ["auth", "Вход, обновление токена, выход, смена пароля / Authentication"],
  ["me", "Текущий пользователь / Current user"],
  ["schools", "Школа, настройки, каникулы / School, settings, holidays"],
  ["years", "Учебные годы и периоды / Years and periods"],
  ["classes", "Классы и подгруппы / Classes and subgroups"],
  ["subjects", "Предметы и формы контроля / Subjects and control forms"],
  ["people", "Люди, роли, учётные данные, приглашения / People, roles, credentials, invites"],
  ["pupils", "Зачисление, перевод, выбытие / Enrolment, transfer, leaving"],
  ["guardians", "Родители и связи с детьми / Guardians and links"],
  ["assignments", "Учебная нагрузка / Teaching assignments"],
  ["timetable", "Расписание, генерация уроков, замены / Timetable, lessons, substitutions"],
  ["lessons", "Уроки: тема, форма контроля, домашнее задание / Lessons"],
  ["marks", "Отметки / Marks"],
  ["attendance", "Посещаемость / Attendance"],
  ["period-marks", "Отметки за период / Period marks"],
  ["messages", "Сообщения и объявления / Messages and announcements"],
  ["audit", "Журнал изменений / Audit log"],
  ["control", "Контроль ведения журнала / Journal keeping control"],
  ["grid", "Страница журнала / Journal grid"],
  ["diary", "Электронный дневник / Diary"],
  ["imports", "Импорт и экспорт / Imports and exports"],
  ["reports", "Отчёты для печати: JSON, PDF, XLSX, CSV / Reports"],
  ["notifications", "Уведомления родителям: статистика доставки / Notification delivery"],
  ["health", "Состояние сервиса / Health"],
] as const;
export type Tag = (typeof TAGS)[number][0];
