/**
 * Every inline button's data is built and parsed here and nowhere else. Data is compact
 * ("v1:att:t:12:34", well under Telegram's 64 bytes) and versioned: a press on a button from an
 * older layout parses to null and is answered as outdated instead of doing something unexpected.
 * The file imports nothing: the notification worker builds the alerts' «Ознакомлен» buttons with
 * `cb` too, without loading the bot.
 */
export const CALLBACK_VERSION = "v1";

/** Button kinds and the number of integer arguments each carries. */
const SHAPES = {
  /** attendance: toggle a pupil */ "att.t": 2,
  /** attendance: everybody present */ "att.all": 1,
  /** attendance: save */ "att.s": 1,
  /** choose a lesson for an action (purpose code, lessonId) */ pick: 2,
  /** show today's lessons to pick another one (purpose code) */ lessons: 1,
  /** marks: confirm / edit a pending line (draft nonce) */ "mk.ok": 1,
  "mk.ed": 1,
  /** marks: resolve an ambiguous surname (nonce, item index, pupilId) */ "mk.amb": 3,
  /** control form for a lesson (lessonId, formId) */ kr: 2,
  /** homework "не задано" (lessonId) */ "hw.none": 1,
  /** correction: choose a mark (markId) */ cor: 1,
  /** forms of control to choose for a lesson (lessonId) */ forms: 1,
  /** class message: acknowledge (messageId) */ ack: 1,
  /** class message: refresh the live count (messageId) */ "ack.st": 1,
  /** reply to a message (messageId) */ re: 1,
  /** choose a child (purpose code, pupilId) */ ch: 2,
  /** ask which child (purpose code) */ chs: 1,
  /** diary of a child (pupilId, 0 = today, 1 = week) */ dy: 2,
  /** subject marks of a child (pupilId, subjectId) */ sm: 2,
  /** absence report: day offset (pupilId, days from today, number of days) */ "ab.d": 3,
  /** absence report: reason (reason code) */ "ab.r": 1,
  /** absence reason set by the class teacher (attendanceId, reason code) */ rs: 2,
  /** class teacher message target (classId, pupilId or 0 for the whole class) */ ctm: 2,
  /** class teacher: list the pupils to write to one's guardians (classId) */ ctp: 1,
  /** class teacher: absences of the week without a reason (classId) */ cta: 1,
  /** settings: toggle an alert kind / mode / language (setting code), of the chat's latest person */ set: 1,
  /** settings of one of the chat's people: open them (personId) */ "set.o": 1,
  /** settings of one of the chat's people: toggle (personId, setting code) */ "set.p": 2,
  /** write to a teacher (pupilId, teacherId; 0 = the class teacher) */ wr: 2,
  /** the control report of a period as a PDF (periodId) */ "ctl.pdf": 1,
  /** a subject's dynamics chart as a picture (pupilId, subjectId, periodId) */ chart: 3,
  /** class teacher: the week's absence page as a PDF (classId) */ "abs.pdf": 1,
  /** class teacher: printed invitation slips for the guardians not yet linked (classId) */ "slips.pdf": 1,
} as const;

export type CallbackKind = keyof typeof SHAPES;
export interface Callback {
  kind: CallbackKind;
  args: number[];
}

/** Purposes a lesson or child choice is for, as small numbers so data stays short. */
export const PURPOSE = {
  attendance: 1,
  marks: 2,
  homework: 3,
  topic: 4,
  control: 5,
  diary: 11,
  absence: 12,
  write: 13,
  timetable: 14,
  periods: 15,
  marksOfChild: 16,
  card: 6,
} as const;
export type Purpose = keyof typeof PURPOSE;
export const purposeOf = (code: number): Purpose | null =>
  (Object.entries(PURPOSE).find(([, v]) => v === code)?.[0] as Purpose | undefined) ?? null;

export const ABSENCE_REASONS = ["EXCUSED", "ILLNESS", "UNEXCUSED"] as const;
export type AbsenceReasonCode = (typeof ABSENCE_REASONS)[number];

export const SETTINGS = [
  "marks",
  "homework",
  "absences",
  "messages",
  "mode",
  "digest",
  "quiet",
  "lang",
  "unlink",
] as const;
export type SettingCode = (typeof SETTINGS)[number];

const SEP = ":";
/** PostgreSQL int4, as in src/journal/validate.ts (this file imports nothing, see above). */
const INT4_MAX = 2_147_483_647;

export function cb(kind: CallbackKind, ...args: number[]): string {
  if (args.length !== SHAPES[kind]) throw new Error(`callback ${kind}: expected ${SHAPES[kind]} args`);
  const data = [CALLBACK_VERSION, kind, ...args.map((a) => Math.trunc(a).toString(36))].join(SEP);
  if (Buffer.byteLength(data) > 64) throw new Error(`callback ${kind}: data too long`);
  return data;
}

/** null for anything that is not a current-version button of a known shape. */
export function parseCallback(data: string | undefined): Callback | null {
  if (!data) return null;
  const [version, kind, ...rest] = data.split(SEP);
  if (version !== CALLBACK_VERSION || !kind || !(kind in SHAPES)) return null;
  const shape = SHAPES[kind as CallbackKind];
  if (rest.length !== shape) return null;
  // Every argument is a row id (int4) or a small code: anything larger is not a button we made,
  // and must not reach the database as an id PostgreSQL refuses with an error.
  const args = rest.map((r) => (/^[0-9a-z]{1,7}$/.test(r) ? Number.parseInt(r, 36) : Number.NaN));
  if (args.some((a) => !Number.isSafeInteger(a) || a < 0 || a > INT4_MAX)) return null;
  return { kind: kind as CallbackKind, args };
}

/** Matches a parsed callback of one kind, for grammY's callbackQuery filter. */
export const callbackPattern = (kind: CallbackKind) =>
  new RegExp(`^${CALLBACK_VERSION}${SEP}${kind.replace(".", "\\.")}(${SEP}[0-9a-z-]+)*$`);

export const reasonCode = (reason: AbsenceReasonCode) => ABSENCE_REASONS.indexOf(reason);
export const reasonOf = (code: number): AbsenceReasonCode | null => ABSENCE_REASONS[code] ?? null;
export const settingCode = (s: SettingCode) => SETTINGS.indexOf(s);
export const settingOf = (code: number): SettingCode | null => SETTINGS[code] ?? null;
