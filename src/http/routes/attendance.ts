import { z } from "zod";
import {
  classAbsences,
  classAbsencesInput,
  recordAttendance,
  recordAttendanceInput,
  reportAbsence,
  reportAbsenceInput,
  setAbsenceReasons,
  setAbsenceReasonsInput,
} from "../../journal/attendance.js";
import { id } from "../../journal/validate.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

export async function attendanceRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "PUT",
      url: "/lessons/:lessonId/attendance",
      tag: "attendance",
      summary: "Посещаемость урока целиком / Record a lesson's attendance",
      description:
        "Перечисленные ученики отсутствовали (ABSENT) или опоздали (LATE); все остальные — присутствовали. Повторная отправка заменяет прежнюю.",
      params: z.strictObject({ lessonId: id }),
      body: bodyOf(recordAttendanceInput, "lessonId"),
    },
    (input, actor) => recordAttendance(db, actor, input),
  );
  route(
    app,
    {
      method: "PUT",
      url: "/attendance/reasons",
      tag: "attendance",
      summary: "Причины пропусков / Set absence reasons",
      description:
        "Классный руководитель (или администрация) указывает причину: EXCUSED, ILLNESS, UNEXCUSED.",
      body: setAbsenceReasonsInput.strict(),
    },
    (input, actor) => setAbsenceReasons(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/classes/:classId/absences",
      tag: "attendance",
      summary: "Пропуски класса за период / Class absences",
      params: z.strictObject({ classId: id }),
      query: bodyOf(classAbsencesInput, "classId"),
    },
    (input, actor) => classAbsences(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/pupils/:pupilId/absence-notices",
      tag: "attendance",
      summary: "Родитель сообщает о пропуске / Guardian reports an absence",
      params: z.strictObject({ pupilId: id }),
      body: bodyOf(reportAbsenceInput, "pupilId"),
      status: 201,
    },
    (input, actor) => reportAbsence(db, actor, input),
  );
}
