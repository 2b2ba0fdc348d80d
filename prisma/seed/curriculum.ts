/**
 * What a Russian school teaches in each grade (after the federal basic curriculum, five-day
 * week), the forms of control with their weights, and which subjects carry which marks.
 */

export interface SubjectDef {
  name: string;
  /** false: безотметочное обучение — attendance, topics and homework only (002 §3.8). */
  graded: boolean;
  /** Two marks in one cell for written works: Russian, literature, reading (002 §5.5). */
  doubleMarks: boolean;
}

export const SUBJECTS = {
  literacy: { name: "Обучение грамоте", graded: true, doubleMarks: true },
  russian: { name: "Русский язык", graded: true, doubleMarks: true },
  literature: { name: "Литература", graded: true, doubleMarks: true },
  reading: { name: "Литературное чтение", graded: true, doubleMarks: true },
  english: { name: "Английский язык", graded: true, doubleMarks: false },
  math: { name: "Математика", graded: true, doubleMarks: false },
  algebra: { name: "Алгебра", graded: true, doubleMarks: false },
  geometry: { name: "Геометрия", graded: true, doubleMarks: false },
  stats: { name: "Вероятность и статистика", graded: true, doubleMarks: false },
  informatics: { name: "Информатика", graded: true, doubleMarks: false },
  world: { name: "Окружающий мир", graded: true, doubleMarks: false },
  history: { name: "История", graded: true, doubleMarks: false },
  social: { name: "Обществознание", graded: true, doubleMarks: false },
  geography: { name: "География", graded: true, doubleMarks: false },
  biology: { name: "Биология", graded: true, doubleMarks: false },
  physics: { name: "Физика", graded: true, doubleMarks: false },
  chemistry: { name: "Химия", graded: true, doubleMarks: false },
  music: { name: "Музыка", graded: true, doubleMarks: false },
  art: { name: "Изобразительное искусство", graded: true, doubleMarks: false },
  labour: { name: "Труд (технология)", graded: true, doubleMarks: false },
  pe: { name: "Физическая культура", graded: true, doubleMarks: false },
  safety: { name: "Основы безопасности и защиты Родины", graded: true, doubleMarks: false },
  odnknr: { name: "ОДНКНР", graded: false, doubleMarks: false },
  orkse: { name: "Основы религиозных культур и светской этики", graded: false, doubleMarks: false },
  project: { name: "Индивидуальный проект", graded: true, doubleMarks: false },
} as const satisfies Record<string, SubjectDef>;
export type SubjectKey = keyof typeof SUBJECTS;

export const FORMS = {
  oral: { name: "Ответ на уроке", weight: 1, isControlWork: false, isWritten: false },
  homework: { name: "Домашняя работа", weight: 1, isControlWork: false, isWritten: false },
  independent: { name: "Самостоятельная работа", weight: 2, isControlWork: false, isWritten: false },
  dictation: { name: "Диктант", weight: 2, isControlWork: true, isWritten: true },
  control: { name: "Контрольная работа", weight: 3, isControlWork: true, isWritten: false },
  lab: { name: "Лабораторная работа", weight: 2, isControlWork: false, isWritten: false },
  essay: { name: "Сочинение", weight: 2, isControlWork: false, isWritten: true },
} as const;
export type FormKey = keyof typeof FORMS;

/** Subjects split into two subgroups, each with its own teacher at the same time. */
export const SPLIT: ReadonlySet<SubjectKey> = new Set<SubjectKey>(["english"]);

/**
 * Weekly hours per grade. Grade 1 has 21: the federal 20 plus a third PE hour from the school's
 * own part, which gives the SanPiN day of four lessons with one day of five.
 */
export const CURRICULUM: Record<number, Partial<Record<SubjectKey, number>>> = {
  1: { literacy: 9, math: 4, world: 2, music: 1, art: 1, labour: 1, pe: 3 },
  2: { russian: 5, reading: 4, english: 2, math: 4, world: 2, music: 1, art: 1, labour: 1, pe: 2 },
  3: { russian: 5, reading: 4, english: 2, math: 4, world: 2, music: 1, art: 1, labour: 1, pe: 2 },
  4: { russian: 5, reading: 3, english: 2, math: 4, world: 2, orkse: 1, music: 1, art: 1, labour: 1, pe: 2 },
  5: {
    russian: 5,
    literature: 3,
    english: 3,
    math: 5,
    history: 2,
    geography: 1,
    biology: 1,
    music: 1,
    art: 1,
    labour: 2,
    pe: 2,
    odnknr: 1,
  },
  6: {
    russian: 6,
    literature: 3,
    english: 3,
    math: 5,
    history: 2,
    social: 1,
    geography: 1,
    biology: 1,
    music: 1,
    art: 1,
    labour: 2,
    pe: 2,
    odnknr: 1,
  },
  7: {
    russian: 4,
    literature: 2,
    english: 3,
    algebra: 3,
    geometry: 2,
    stats: 1,
    informatics: 1,
    history: 2,
    social: 1,
    geography: 2,
    biology: 1,
    physics: 2,
    music: 1,
    art: 1,
    labour: 1,
    pe: 2,
  },
  8: {
    russian: 3,
    literature: 2,
    english: 3,
    algebra: 3,
    geometry: 2,
    stats: 1,
    informatics: 1,
    history: 2,
    social: 1,
    geography: 2,
    biology: 2,
    physics: 2,
    chemistry: 2,
    music: 1,
    labour: 1,
    safety: 1,
    pe: 2,
  },
  9: {
    russian: 3,
    literature: 3,
    english: 3,
    algebra: 3,
    geometry: 2,
    stats: 1,
    informatics: 1,
    history: 2,
    social: 1,
    geography: 2,
    biology: 2,
    physics: 3,
    chemistry: 2,
    safety: 1,
    pe: 2,
  },
  10: {
    russian: 2,
    literature: 3,
    english: 3,
    algebra: 4,
    geometry: 3,
    stats: 1,
    informatics: 1,
    history: 2,
    social: 2,
    geography: 1,
    biology: 1,
    physics: 2,
    chemistry: 1,
    safety: 1,
    pe: 2,
    project: 1,
  },
  11: {
    russian: 2,
    literature: 3,
    english: 3,
    algebra: 4,
    geometry: 3,
    stats: 1,
    informatics: 1,
    history: 2,
    social: 2,
    geography: 1,
    biology: 1,
    physics: 2,
    chemistry: 1,
    safety: 1,
    pe: 2,
  },
};

export const weeklyHours = (grade: number) =>
  Object.values(CURRICULUM[grade] ?? {}).reduce((s, h) => s + (h ?? 0), 0);

/** Lessons a day for a weekly load: as even as possible, the longer days first. */
export function dayShape(hours: number, days = 5): number[] {
  const base = Math.floor(hours / days);
  return Array.from({ length: days }, (_, i) => base + (i < hours % days ? 1 : 0));
}

/**
 * Specialist groups: one teacher takes all of a group's subjects in a class (the Russian teacher
 * also teaches literature there). Grades 1–4 have their own class teacher for everything except
 * the subjects named in PRIMARY_SPECIALISTS.
 */
export const TEACHER_GROUPS: readonly (readonly SubjectKey[])[] = [
  ["russian", "literature"],
  ["math", "algebra", "geometry", "stats"],
  ["english"],
  ["history", "social", "odnknr", "orkse"],
  ["physics", "informatics", "project"],
  ["chemistry", "biology"],
  ["geography"],
  ["music", "art"],
  ["labour"],
  ["pe", "safety"],
];
export const PRIMARY_SPECIALISTS: ReadonlySet<SubjectKey> = new Set<SubjectKey>([
  "english",
  "music",
  "pe",
  "orkse",
]);

/** How the monthly control work of a subject is written (002 §5.7). */
export function controlFormFor(subject: SubjectKey, nth: number): FormKey | null {
  if (subject === "russian" || subject === "literacy") return nth % 2 === 0 ? "dictation" : "control";
  if (subject === "literature" || subject === "reading") return nth % 2 === 0 ? "essay" : "control";
  if (subject === "pe" || subject === "music" || subject === "art" || subject === "labour") return null;
  if (subject === "project" || subject === "safety") return null;
  return "control";
}

/** Subjects whose practical lessons are lab works (Л.р.). */
export const LAB_SUBJECTS: ReadonlySet<SubjectKey> = new Set<SubjectKey>(["biology", "physics", "chemistry"]);
/** Subjects whose first lesson includes a safety briefing noted in the topic (002 §5.20). */
export const SAFETY_BRIEFING: ReadonlySet<SubjectKey> = new Set<SubjectKey>([
  "pe",
  "physics",
  "chemistry",
  "biology",
  "labour",
  "informatics",
]);
