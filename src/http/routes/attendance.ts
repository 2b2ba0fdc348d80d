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
import {
  absenceNoticeRow,
  absenceReason,
  attendanceKind,
  attendanceRow,
  count,
  day,
  id as idOut,
  obj,
  pupilRef,
  ref,
} from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

/** A lesson's attendance as it stands after a write: only absent and late pupils have rows. */
export const lessonAttendance = obj({
  lessonId: idOut,
  attendance: z.array(attendanceRow).describe("Отсутствующие и опоздавшие; остальные присутствовали"),
  changedPupilIds: z.array(idOut).describe("Ученики, чья отметка посещаемости изменилась"),
});
export const absenceReasonsResponse = obj({ updated: count });
export const classAbsencesResponse = z.array(
  obj({
    attendanceId: idOut,
    kind: attendanceKind,
    reason: absenceReason.nullable(),
    pupil: pupilRef,
    lessonId: idOut,
    date: day,
    lessonNumber: z.number().int(),
    subject: ref,
  }),
);
export const absenceNoticeResponse = obj({
  notice: absenceNoticeRow,
  prefilled: count.describe("Сколько уже отмеченных пропусков в эти дни получили причину"),
});

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
      response: lessonAttendance,
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
      response: absenceReasonsResponse,
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
      response: classAbsencesResponse,
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
      response: absenceNoticeResponse,
    },
    (input, actor) => reportAbsence(db, actor, input),
  );
}
