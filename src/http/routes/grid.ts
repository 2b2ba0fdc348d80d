import { z } from "zod";
import { lateLessons, lateLessonsInput } from "../../journal/control.js";
import { journalGrid, journalGridInput } from "../../journal/grid.js";
import {
  absenceReason,
  attendanceKind,
  average,
  count,
  day,
  id,
  markCell,
  namedClass,
  obj,
  personRef,
  ref,
} from "../responses.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

/** A control form with its weight, as lesson headers show it. */
export const lessonForm = obj({ id, name: z.string(), weight: z.number().int(), isControlWork: z.boolean() });

export const gridResponse = obj({
  class: namedClass,
  subject: obj({ id, name: z.string(), graded: z.boolean(), doubleMarks: z.boolean() }),
  subgroup: ref.nullable(),
  period: obj({ id, name: z.string(), startDate: day, endDate: day }),
  lessons: z
    .array(
      obj({
        id,
        date: day,
        lessonNumber: z.number().int(),
        subgroupId: id.nullable(),
        topic: z.string().nullable(),
        homework: z.string().nullable(),
        homeworkNone: z.boolean(),
        controlForm: lessonForm.nullable(),
      }),
    )
    .describe("Столбцы: уроки по дате и номеру"),
  pupils: z
    .array(
      obj({
        pupilId: id,
        lastName: z.string(),
        firstName: z.string(),
        from: day.describe("В классе с"),
        to: day.nullable().describe("Выбыл(а); null — учится"),
      }),
    )
    .describe("Строки: ученики по фамилии"),
  cells: z
    .array(
      obj({
        pupilId: id,
        lessonId: id,
        mark: markCell
          .extend({ locked: z.boolean().describe("Срок блокировки прошёл: изменить — только исправлением") })
          .optional(),
        attendance: obj({ id, kind: attendanceKind, reason: absenceReason.nullable() }).optional(),
      }),
    )
    .describe("Только непустые клетки: отметка и (или) пропуск"),
  averages: z.array(
    obj({
      pupilId: id,
      average,
      count: count.describe("Число отметок"),
      explanation: z.string().describe("Из чего сложился средний балл"),
    }),
  ),
  canCorrect: z.boolean().describe("Может исправлять заблокированные отметки (завуч, администратор)"),
});

const lateLesson = obj({
  lessonId: id,
  date: day,
  lessonNumber: z.number().int(),
  className: z.string(),
  subject: z.string(),
  gaps: z.array(z.enum(["attendance", "topic", "homework"])).describe("Что не заполнено"),
});
export const lateLessonsResponse = obj({
  from: day,
  to: day,
  teachers: z.array(obj({ teacher: personRef, lessons: z.array(lateLesson) })),
});

export async function gridRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/journal-grid",
      tag: "grid",
      summary: "Страница журнала: класс × предмет × период / Journal grid",
      description:
        "Уроки (столбцы), ученики (строки), отметки и пропуски в ячейках, средневзвешенные баллы — одним запросом. Видят учитель предмета, классный руководитель, администрация.",
      query: journalGridInput.strict(),
      response: gridResponse,
    },
    (input, actor) => journalGrid(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/control/late-lessons",
      tag: "control",
      summary: "Незаполненные уроки: посещаемость, тема, задание / Lessons not filled in",
      description: "Для завуча, директора и администратора; по умолчанию — последние 14 дней.",
      query: lateLessonsInput.strict(),
      response: lateLessonsResponse,
    },
    (input, actor) => lateLessons(db, actor, input),
  );
}
