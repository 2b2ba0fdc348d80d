import { z } from "zod";
import { controlDashboard, controlDashboardInput } from "../../reports/control-dashboard.js";
import { count, dateTime, day, id, namedClass, obj, ref } from "../responses.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

const gap = z.enum(["attendance", "topic", "homework"]);
const lessonIssue = {
  lessonId: id,
  date: day,
  lessonNumber: z.number().int(),
  writerId: id.describe("Кто заполняет урок: заменяющий, иначе учитель"),
};
const totals = obj({
  unfilled: count.describe("Уроков после срока заполнения, где чего-то нет"),
  attendance: count.describe("…из них без посещаемости"),
  topic: count.describe("…без темы"),
  homework: count.describe("…без домашнего задания"),
  late: count.describe("Посещаемость отмечена после срока"),
  singleMark: count.describe("Учеников с одной отметкой за диапазон"),
  twos: count.describe("«2» без повторного опроса в следующие два урока"),
});
const summary = obj({ id, name: z.string(), totals });

export const controlDashboardResponse = obj({
  from: day,
  to: day.describe("Не позже сегодняшнего дня"),
  asOf: z.string().describe("Местное время, на которое собраны данные: ГГГГ-ММ-ДД ЧЧ:ММ"),
  rows: z
    .array(
      obj({
        assignmentId: id,
        teacher: ref,
        class: namedClass,
        subject: ref,
        subgroup: ref.nullable(),
        periodId: id.nullable().describe("Период, на котором открыть страницу журнала"),
        lessons: count.describe("Уроков в диапазоне"),
        unfilled: z.array(obj({ ...lessonIssue, gaps: z.array(gap) })),
        late: z.array(obj({ ...lessonIssue, enteredAt: dateTime })),
        singleMark: z.array(obj({ pupilId: id, name: z.string() })),
        twos: z.array(obj({ pupilId: id, name: z.string(), date: day })),
        totals,
      }),
    )
    .describe("Учитель × класс × предмет"),
  teachers: z.array(summary).describe("Итоги по учителям, больше замечаний сначала"),
  classes: z.array(summary).describe("Итоги по классам, больше замечаний сначала"),
});

export async function controlRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/control/dashboard",
      tag: "control",
      summary: "Контроль ведения журнала за диапазон дат / Journal keeping control dashboard",
      description:
        "По учителям и классам за from–to (по умолчанию последние 14 дней): незаполненные уроки после срока, поздние записи, ученики с одной отметкой, «2» без повторного опроса, уроки без темы и задания. Видят заместитель директора, директор и администратор.",
      query: controlDashboardInput.strict(),
      response: controlDashboardResponse,
    },
    (input, actor) => controlDashboard(db, actor, input),
  );
}
