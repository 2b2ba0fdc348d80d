import type { Api } from "../types.js";
import { assignmentRoutes } from "./assignments.js";
import { attendanceRoutes } from "./attendance.js";
import { auditRoutes } from "./audit.js";
import { authRoutes } from "./auth.js";
import { classTeacherRoutes } from "./class-teacher.js";
import { classRoutes } from "./classes.js";
import { controlRoutes } from "./control.js";
import { credentialRoutes } from "./credentials.js";
import { deliveryStatsRoutes } from "./delivery-stats.js";
import { diaryRoutes } from "./diary.js";
import { gridRoutes } from "./grid.js";
import { importRoutes } from "./imports.js";
import { lessonRoutes } from "./lessons.js";
import { markRoutes } from "./marks.js";
import { meRoutes } from "./me.js";
import { messageRoutes } from "./messages.js";
import { peopleRoutes } from "./people.js";
import { periodMarkRoutes } from "./period-marks.js";
import { pupilRoutes } from "./pupils.js";
import { reportRoutes } from "./reports.js";
import { schoolRoutes } from "./schools.js";
import { subjectRoutes } from "./subjects.js";
import { timetableRoutes } from "./timetable.js";

/** Every resource under /api/v1, one file each. */
export async function apiRoutes(app: Api) {
  for (const routes of [
    authRoutes,
    meRoutes,
    schoolRoutes,
    classRoutes,
    subjectRoutes,
    peopleRoutes,
    credentialRoutes,
    pupilRoutes,
    assignmentRoutes,
    timetableRoutes,
    lessonRoutes,
    markRoutes,
    attendanceRoutes,
    periodMarkRoutes,
    messageRoutes,
    gridRoutes,
    diaryRoutes,
    auditRoutes,
    importRoutes,
    reportRoutes,
    classTeacherRoutes,
    controlRoutes,
    deliveryStatsRoutes,
  ]) {
    await app.register(routes);
  }
}
