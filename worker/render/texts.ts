/**
 * Every phrase a notification uses, Russian first; English for people whose language is "en".
 * Texts are plain (no parse_mode): names typed by users cannot break the markup.
 */
import { inCase, type PersonName, shortName } from "../../src/journal/names.js";
import { inSentence } from "../../src/journal/rules/wording.js";

export type Lang = "ru" | "en";

const ru = {
  subject: "Журнал: уведомление",
  today: "Сегодня:",
  dailyDigest: "Сводка за день:",
  weekly: "Итоги недели:",
  newMark: (pupil: string, subj: string, value: string, form: string | null) =>
    `Новая отметка. ${pupil}, ${subj}: ${value}${form ? ` (${inSentence(form)})` : ""}`,
  markShort: (subj: string, value: string) => `${inSentence(subj)} ${value}`,
  corrected: (pupil: string, subj: string, date: string, from: string, to: string, reason: string) =>
    `Исправлена отметка. ${pupil}, ${subj} (${date}): было ${from} → стало ${to} (причина: ${reason})`,
  correctedShort: (subj: string, from: string, to: string) =>
    `${inSentence(subj)}: было ${from} → стало ${to}`,
  homework: (subj: string, date: string, cls: string, text: string) =>
    `Домашнее задание. ${subj}, ${date} (${cls}): ${text}`,
  homeworkShort: (subj: string, text: string) => `д/з по предмету «${subj}»: ${text}`,
  absent: (pupil: string, subj: string, n: number, date: string) =>
    `${pupil}: отсутствие на уроке «${subj}» (${n}-й урок, ${date}).`,
  late: (pupil: string, subj: string, n: number, date: string) =>
    `${pupil}: опоздание на урок «${subj}» (${n}-й урок, ${date}).`,
  absentShort: (subj: string) => `отсутствие на уроке «${subj}»`,
  lateShort: (subj: string) => `опоздание на урок «${subj}»`,
  message: (author: PersonName, body: string, urgent: boolean, ack: boolean) =>
    `${urgent ? "СРОЧНО. " : ""}Сообщение от ${shortName(inCase(author, "genitive"))}:\n${body}${ack ? "\n\nПожалуйста, подтвердите прочтение в боте." : ""}`,
  messageShort: (author: PersonName, body: string) =>
    `сообщение от ${shortName(inCase(author, "genitive"))}: ${clip(body, 120)}`,
  ackButton: "✅ Ознакомлен",
  ackButtonFrom: (author: string) => `✅ Ознакомлен: ${author}`,
  absenceNotice: (who: string, pupil: string, from: string, to: string, reason: string) =>
    `${who} сообщает: ${pupil} будет отсутствовать ${from === to ? from : `${from}–${to}`} (${reason}).`,
  periodResults: (period: string) => `Итоги: ${period}.`,
  backupFailed: (at: string, reason: string) =>
    `Резервная копия журнала не создана (${at}): ${reason}. Сообщите администратору сервера: без копии данные журнала не защищены.`,
  timetable: (cls: string, from: string, to: string | null, lines: string[]) =>
    `Изменение расписания ${cls} с ${from}${to ? ` по ${to}` : ""}: ${lines.length ? lines.join("; ") : "см. расписание"}. Расписание на неделю — /timetable в боте.`,
  timetableShort: (cls: string, from: string) => `изменение расписания ${cls} с ${from}`,
  slot: (subj: string, weekday: number, n: number, starts: string, ends: string, room: string | null) =>
    `${inSentence(subj)} — ${WEEKDAYS_RU[weekday - 1]}, ${n}-й урок ${starts}–${ends}${room ? `, каб. ${room}` : ""}`,
  slotRemoved: (subj: string, weekday: number, n: number) =>
    `${inSentence(subj)} — ${WEEKDAYS_RU[weekday - 1]}, ${n}-й урок отменён`,
  substitute: (date: string, n: number, subj: string, cls: string, teacher: string) =>
    `Замена: ${date}, ${n}-й урок «${subj}» (${cls}) проведёт ${teacher}.`,
  substituteOff: (date: string, n: number, subj: string, cls: string, teacher: string) =>
    `Замена отменена: ${date}, ${n}-й урок «${subj}» (${cls}) проведёт ${teacher}.`,
  substituteShort: (subj: string, teacher: string) => `замена: «${subj}» ведёт ${teacher}`,
  reasons: {
    EDIT: "исправление учителя",
    DEBT_CLEARED: "ликвидация задолженности",
    AUDIT_UNFAIR: "проверка выявила необъективность",
    TEACHER_STATEMENT: "заявление учителя об ошибке",
    APPEAL_UPHELD: "апелляция удовлетворена",
    REATTESTATION: "повторная аттестация",
  } as Record<string, string>,
  absenceReasons: {
    EXCUSED: "уважительная причина",
    ILLNESS: "по болезни",
    UNEXCUSED: "без причины",
  } as Record<string, string>,
};

const en: typeof ru = {
  subject: "Journal: notification",
  today: "Today:",
  dailyDigest: "Daily summary:",
  weekly: "This week:",
  newMark: (pupil, subj, value, form) => `New mark. ${pupil}, ${subj}: ${value}${form ? ` (${form})` : ""}`,
  markShort: (subj, value) => `${subj} ${value}`,
  corrected: (pupil, subj, date, from, to, reason) =>
    `Mark corrected. ${pupil}, ${subj} (${date}): was ${from} → now ${to} (reason: ${reason})`,
  correctedShort: (subj, from, to) => `${subj}: was ${from} → now ${to}`,
  homework: (subj, date, cls, text) => `Homework. ${subj}, ${date} (${cls}): ${text}`,
  homeworkShort: (subj, text) => `homework in ${subj}: ${text}`,
  absent: (pupil, subj, n, date) => `${pupil}: absent from ${subj} (lesson ${n}, ${date}).`,
  late: (pupil, subj, n, date) => `${pupil}: late for ${subj} (lesson ${n}, ${date}).`,
  absentShort: (subj) => `absent from ${subj}`,
  lateShort: (subj) => `late for ${subj}`,
  message: (author, body, urgent, ack) =>
    `${urgent ? "URGENT. " : ""}Message from ${shortName(author)}:\n${body}${ack ? "\n\nPlease confirm you have read it in the bot." : ""}`,
  messageShort: (author, body) => `message from ${shortName(author)}: ${clip(body, 120)}`,
  ackButton: "✅ Acknowledged",
  ackButtonFrom: (author) => `✅ Acknowledged: ${author}`,
  absenceNotice: (who, pupil, from, to, reason) =>
    `${who} reports: ${pupil} will be absent ${from === to ? from : `${from}–${to}`} (${reason}).`,
  periodResults: (period) => `Results: ${period}.`,
  backupFailed: (at, reason) =>
    `The journal's backup failed (${at}): ${reason}. Tell the server's administrator: without a backup the journal's data is not protected.`,
  timetable: (cls, from, to, lines) =>
    `Timetable change for ${cls} from ${from}${to ? ` to ${to}` : ""}: ${lines.length ? lines.join("; ") : "see the timetable"}. The week's timetable: /timetable in the bot.`,
  timetableShort: (cls, from) => `timetable change for ${cls} from ${from}`,
  slot: (subj, weekday, n, starts, ends, room) =>
    `${subj} — ${WEEKDAYS_EN[weekday - 1]}, lesson ${n} ${starts}–${ends}${room ? `, room ${room}` : ""}`,
  slotRemoved: (subj, weekday, n) => `${subj} — ${WEEKDAYS_EN[weekday - 1]}, lesson ${n} cancelled`,
  substitute: (date, n, subj, cls, teacher) =>
    `Substitution: ${date}, lesson ${n} ${subj} (${cls}) by ${teacher}.`,
  substituteOff: (date, n, subj, cls, teacher) =>
    `Substitution cancelled: ${date}, lesson ${n} ${subj} (${cls}) by ${teacher}.`,
  substituteShort: (subj, teacher) => `substitution: ${subj} by ${teacher}`,
  reasons: {
    EDIT: "teacher's correction",
    DEBT_CLEARED: "debt cleared",
    AUDIT_UNFAIR: "audit found it unfair",
    TEACHER_STATEMENT: "teacher's statement of an error",
    APPEAL_UPHELD: "appeal upheld",
    REATTESTATION: "re-assessment",
  },
  absenceReasons: { EXCUSED: "excused", ILLNESS: "illness", UNEXCUSED: "unexcused" },
};

export type Texts = typeof ru;
const WEEKDAYS_RU = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
const WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const textsFor = (lang: string): Texts => (lang === "en" ? en : ru);

export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
/** DATE column → "25.11". */
export const dayMonth = (d: Date) => `${d.toISOString().slice(8, 10)}.${d.toISOString().slice(5, 7)}`;
/** Surname and initials: the journal's one name template (src/journal/names.ts). */
export const initials = shortName;
export const markValue = (m: { value: string; value2: string | null }) =>
  m.value2 ? `${m.value}/${m.value2}` : m.value;
