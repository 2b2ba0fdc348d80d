import { z } from "zod";
import type { AbsenceReport } from "../reports/absences.js";
import type { ActivityReport } from "../reports/activity.js";
import type { ControlReport } from "../reports/control.js";
import type { ProgressDynamics } from "../reports/dynamics.js";
import type { ReportName } from "../reports/index.js";
import type { JournalPage } from "../reports/journal-page.js";
import type { SummarySheet } from "../reports/summary-sheet.js";
import { average, count, day, id, namedClass, obj, ref } from "./responses.js";

/**
 * The reports' JSON read models (format=json), as their files are built from. The routes send
 * them as ready bytes, so the compiler checks each schema against its read model below.
 */

const period = obj({ id, name: z.string(), from: day, to: day });
const fullName = z.string().describe("Фамилия Имя Отчество");
const periodMark = z.string().nullable().describe("«2»–«5», «н/а»; null — не выставлена");

export const journalPageModel = obj({
  class: namedClass,
  subject: ref,
  period,
  year: z.string().describe("Учебный год, например 2026/2027"),
  teachers: z.array(fullName),
  teachersSign: z.array(z.string()).describe("Учителя для подписи: «Иванова М. В.»"),
  lessons: z
    .array(
      obj({
        id,
        date: day,
        topic: z.string().nullable(),
        homework: z.string().nullable().describe("Задание; «не задано» — учитель указал, что его нет"),
      }),
    )
    .describe("Столбцы страницы"),
  pupils: z.array(
    obj({
      pupilId: id,
      name: fullName,
      cells: z
        .array(z.string())
        .describe("По клетке на урок: «н», отметка, «н 4» или пусто (и пусто, если ученик не в классе)"),
      average,
      periodMark,
    }),
  ),
});

export const summaryModel = obj({
  class: obj({ id, name: z.string(), grade: z.number().int() }),
  year: z.string(),
  classTeacher: fullName.nullable(),
  classTeacherSigns: z.string().nullable().describe("Классный руководитель для подписи: «Иванова М. В.»"),
  periods: z.array(ref).describe("Четверти (триместры, полугодия) по порядку"),
  subjects: z.array(ref).describe("Предметы с отметками по алфавиту"),
  pupils: z.array(
    obj({
      pupilId: id,
      name: fullName,
      left: day.nullable().describe("Дата выбытия; null — учится"),
      subjects: z
        .array(
          obj({
            subjectId: id,
            periods: z.array(periodMark).describe("По отметке на каждый период из periods"),
            year: periodMark,
            exam: periodMark,
            final: periodMark,
          }),
        )
        .describe("В порядке subjects"),
      decision: z.string().describe("Предлагаемое решение педсовета; пусто — годовых отметок ещё нет"),
    }),
  ),
});

const absenceCounts = obj({
  excused: count,
  illness: count,
  unexcused: count,
  unknown: count.describe("Причина ещё не указана"),
  total: count,
});

export const absencesModel = obj({
  class: namedClass,
  classTeacher: z.string().nullable().describe("Классный руководитель для подписи: «Иванова М. В.»"),
  year: z.string(),
  from: day,
  to: day,
  months: z.array(z.string().describe("ГГГГ-ММ")),
  pupils: z.array(
    obj({
      pupilId: id,
      name: fullName,
      months: z.array(absenceCounts.extend({ month: z.string().describe("ГГГГ-ММ") })),
      total: absenceCounts,
      days: count.describe("Дней, пропущенных целиком"),
    }),
  ),
  total: absenceCounts.describe("По классу"),
  days: count.describe("Дней, пропущенных целиком, по классу"),
});

const place = obj({
  place: z.number().int().nullable().describe("Место (равные баллы делят место); null — отметок нет"),
  of: count.describe("Из скольких учеников с отметками"),
});

export const dynamicsModel = obj({
  pupil: ref,
  class: namedClass,
  subject: ref,
  period,
  points: z
    .array(
      obj({
        date: day,
        marks: z.array(z.number()).describe("Отметки этого дня"),
        average: average.describe("Средний балл после этого дня"),
      }),
    )
    .describe("По дням с отметками"),
  average,
  rating: obj({ subject: place, overall: place.describe("По всем предметам периода") }),
  forecast: obj({
    average: z.number(),
    mark: z.enum(["2", "3", "4", "5"]),
  })
    .nullable()
    .describe("Прогноз на конец периода; null — отметок нет"),
});

const dates = z.array(day);
const named = z.array(fullName);

export const controlModel = obj({
  period: ref,
  from: day,
  to: day,
  asOf: z.string().describe("Местное время, на которое собраны данные: ГГГГ-ММ-ДД ЧЧ:ММ"),
  classes: z.array(z.string()).describe("Классы отчёта, если он по одному классу; пусто — все"),
  rows: z.array(
    obj({
      assignmentId: id,
      teacher: ref,
      class: namedClass,
      subject: ref,
      subgroup: z.string().nullable(),
      lessonsHeld: count,
      missing: obj({ topic: dates, attendance: dates, homework: dates }).describe(
        "Уроки после срока заполнения без темы, посещаемости, задания",
      ),
      controlWorks: z
        .array(obj({ date: day, pupilsWithoutMark: named }))
        .describe("Контрольные, где у присутствовавших нет отметок"),
      minMarks: count,
      requiredToDate: count.describe("Сколько отметок нужно на сегодня"),
      fewMarks: z.array(obj({ name: fullName, marks: count })),
      singleMark: named,
      twosNotRechecked: z.array(obj({ name: fullName, date: day })).describe("«2» без повторного опроса"),
      plan: obj({ toDate: count, period: count, year: count }).describe("Часов по КТП"),
      fact: obj({ toDate: count, period: count }).describe("Уроков проведено"),
      behind: count.describe("Отставание от КТП, уроков"),
    }),
  ),
});

export const activityModel = obj({
  year: z.string(),
  from: day,
  to: day,
  rows: z.array(
    obj({
      class: namedClass,
      pupils: count,
      guardians: count,
      linked: count.describe("Родителей с подключённым ботом"),
      active: count.describe("Читали, подтверждали или писали в этот период"),
      needAck: count.describe("Сообщений, требующих подтверждения"),
      acknowledged: count,
    }),
  ),
});

export const REPORT_MODELS = {
  "journal-page": journalPageModel,
  summary: summaryModel,
  absences: absencesModel,
  dynamics: dynamicsModel,
  control: controlModel,
  activity: activityModel,
} satisfies Record<ReportName, z.ZodType>;

/** Compile-time: every read model fits its schema (as route() checks the services). */
type Fits<M, S extends z.ZodType> = [M] extends [z.output<S>] ? true : never;
export type ReportModelsFit = [
  Fits<JournalPage, typeof journalPageModel>,
  Fits<SummarySheet, typeof summaryModel>,
  Fits<AbsenceReport, typeof absencesModel>,
  Fits<ProgressDynamics, typeof dynamicsModel>,
  Fits<ControlReport, typeof controlModel>,
  Fits<ActivityReport, typeof activityModel>,
];
export const reportModelsFit: ReportModelsFit = [true, true, true, true, true, true];
