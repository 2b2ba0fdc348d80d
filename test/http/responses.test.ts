import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { REPORT_MODELS } from "../../src/http/report-responses.js";
import { controlFormRow, lessonRow, subjectRow } from "../../src/http/responses.js";
import { assignmentsResponse, topicPlanResponse } from "../../src/http/routes/assignments.js";
import {
  absenceNoticeResponse,
  classAbsencesResponse,
  lessonAttendance,
} from "../../src/http/routes/attendance.js";
import { auditResponse } from "../../src/http/routes/audit.js";
import { tokensResponse } from "../../src/http/routes/auth.js";
import { classesResponse, classPupilsResponse } from "../../src/http/routes/classes.js";
import { deliveryStatsResponse } from "../../src/http/routes/delivery-stats.js";
import {
  childrenResponse,
  diaryResponse,
  pupilPeriodMarksResponse,
  subjectMarksResponse,
} from "../../src/http/routes/diary.js";
import { gridResponse, lateLessonsResponse } from "../../src/http/routes/grid.js";
import { importResponse } from "../../src/http/routes/imports.js";
import {
  lessonSheetResponse,
  substituteResponse,
  teacherDayResponse,
} from "../../src/http/routes/lessons.js";
import { correctMarkResponse, markHistoryResponse, postMarksResponse } from "../../src/http/routes/marks.js";
import { meResponse, preferencesResponse } from "../../src/http/routes/me.js";
import {
  acknowledgeResponse,
  ackStatusResponse,
  inboxResponse,
  sentMessageResponse,
  threadResponse,
} from "../../src/http/routes/messages.js";
import {
  createdPersonResponse,
  peopleResponse,
  personResponse,
  rolesResponse,
} from "../../src/http/routes/people.js";
import {
  periodSummaryResponse,
  publishResponse,
  setPeriodMarksResponse,
} from "../../src/http/routes/period-marks.js";
import { periodsResponse, schoolResponse } from "../../src/http/routes/schools.js";
import { slotsResponse, timetableResponse } from "../../src/http/routes/timetable.js";
import { bearer, givePeriodMarks, type HttpCtx, type Method, PASSWORD, send, startHttp } from "./helpers.js";

/**
 * The response schemas are documentation, not checked when a body goes out (app.ts): here real
 * bodies of the main resources are parsed with the schemas their routes declare. The schemas
 * are strict, so a missing, renamed or undocumented field fails, and dates must be ISO text.
 */

let ctx: HttpCtx;
let lessonId: number;
beforeAll(async () => {
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  lessonId = (await ctx.school.lesson(ctx.school.assignments.math5, "2026-11-24", 1)).id;
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

/** Calls a route and parses its JSON body with the given response schema. */
async function body<S extends z.ZodType>(
  schema: S,
  who: string,
  method: Method,
  url: string,
  payload?: object,
  status = 200,
): Promise<z.output<S>> {
  const res = await send(ctx, who, method, url, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  const parsed = schema.safeParse(res.json());
  if (!parsed.success) {
    throw new Error(`${method} ${url} does not match its schema:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

describe("response bodies match the declared schemas", () => {
  it("marks: a column with an absence, a correction, the history", async () => {
    const { pupils } = ctx.school;
    const posted = await body(postMarksResponse, "math", "POST", `/api/v1/lessons/${lessonId}/marks`, {
      marks: [
        { pupilId: pupils.ivanov.id, value: "5" },
        { pupilId: pupils.petrov.id, value: "4", comment: "Хорошо" },
      ],
      absent: [pupils.smirnov.id],
    });
    expect(posted.marks.map((m) => m.value)).toEqual(["5", "4"]);
    expect(posted.marks[0]!.createdAt).toBeInstanceOf(Date);
    expect(posted.attendance?.attendance.map((a) => a.pupilId)).toEqual([pupils.smirnov.id]);

    const again = await body(postMarksResponse, "math", "POST", `/api/v1/lessons/${lessonId}/marks`, {
      marks: [{ pupilId: pupils.sidorova.id, value: "3" }],
    });
    expect(again.attendance).toBeUndefined();

    const markId = posted.marks[0]!.id;
    const corrected = await body(
      correctMarkResponse,
      "deputy",
      "POST",
      `/api/v1/marks/${markId}/corrections`,
      {
        value: "4",
        reason: "APPEAL_UPHELD",
      },
    );
    expect(corrected.mark.value).toBe("4");
    const history = await body(
      markHistoryResponse,
      "ivanovaMother",
      "GET",
      `/api/v1/marks/${markId}/history`,
    );
    expect(history.changes.map((c) => c.change)).toEqual(["APPEAL_UPHELD"]);
  });

  it("the journal grid and the diary", async () => {
    const { classes, subjects, periods, pupils } = ctx.school;
    const grid = await body(
      gridResponse,
      "math",
      "GET",
      `/api/v1/journal-grid?classId=${classes.class5.id}&subjectId=${subjects.math.id}&periodId=${periods[1]!.id}`,
    );
    expect(grid.cells.some((c) => c.mark && c.pupilId === pupils.ivanov.id)).toBe(true);
    expect(grid.cells.some((c) => c.attendance && c.pupilId === pupils.smirnov.id)).toBe(true);

    const days = await body(
      diaryResponse,
      "ivanovaMother",
      "GET",
      `/api/v1/pupils/${pupils.ivanov.id}/diary?from=2026-11-23&to=2026-11-29`,
    );
    expect(days.flatMap((d) => d.lessons.flatMap((l) => l.marks.map((m) => m.value)))).toContain("4");
    const absent = await body(
      diaryResponse,
      "russian",
      "GET",
      `/api/v1/pupils/${pupils.smirnov.id}/diary?from=2026-11-24&to=2026-11-24`,
    );
    expect(absent[0]!.lessons[0]!.attendance?.kind).toBe("ABSENT");

    const subject = await body(
      subjectMarksResponse,
      "ivanovaMother",
      "GET",
      `/api/v1/pupils/${pupils.ivanov.id}/subjects/${subjects.math.id}/marks`,
    );
    expect(subject.marks).toHaveLength(1);
    await body(childrenResponse, "ivanovaMother", "GET", "/api/v1/me/children");
  });

  it("lessons: the sheet, an update, the teacher's day, a substitute", async () => {
    const sheet = await body(lessonSheetResponse, "math", "GET", `/api/v1/lessons/${lessonId}`);
    expect(sheet.pupils.find((p) => p.mark)?.mark?.value).toBeDefined();
    const updated = await body(lessonRow, "math", "PATCH", `/api/v1/lessons/${lessonId}`, {
      topic: "Дроби",
      homework: "№ 12",
    });
    expect(updated.date).toEqual(new Date("2026-11-24T00:00:00.000Z"));
    const day = await body(teacherDayResponse, "math", "GET", "/api/v1/me/lessons?date=2026-11-24");
    expect(day.map((l) => l.id)).toContain(lessonId);
    await body(substituteResponse, "deputy", "PUT", `/api/v1/lessons/${lessonId}/substitute`, {
      substituteId: ctx.school.people.substitute.id,
    });
    const sub = await body(teacherDayResponse, "substitute", "GET", "/api/v1/me/lessons?date=2026-11-24");
    expect(sub[0]?.substituting).toBe(true);
  });

  it("timetable: the week of a class and of a pupil, the slots", async () => {
    const { classes, pupils } = ctx.school;
    const week = await body(
      timetableResponse,
      "ivanovaMother",
      "GET",
      `/api/v1/timetable?classId=${classes.class5.id}&weekOf=2026-11-24`,
    );
    expect(week.days).toHaveLength(5);
    expect(week.days[1]!.lessons[0]!.substitute?.id).toBe(ctx.school.people.substitute.id);
    await body(
      timetableResponse,
      "ivanov",
      "GET",
      `/api/v1/timetable?pupilId=${pupils.ivanov.id}&weekOf=2026-11-24`,
    );
    await body(slotsResponse, "deputy", "GET", `/api/v1/timetable/slots?classId=${classes.class5.id}`);
  });

  it("people: a search, cards, a new person without the password hash, roles", async () => {
    const { pupils, guardians, people } = ctx.school;
    const found = await body(peopleResponse, "admin", "GET", "/api/v1/people?query=Иванов");
    expect(found.length).toBeGreaterThan(0);
    const card = await body(personResponse, "russian", "GET", `/api/v1/people/${pupils.ivanov.id}`);
    expect(card.guardians[0]?.guardian.id).toBe(guardians.ivanovaMother.id);
    const mother = await body(personResponse, "admin", "GET", `/api/v1/people/${guardians.ivanovaMother.id}`);
    expect(mother.wards).toHaveLength(2);
    await body(personResponse, "math", "GET", `/api/v1/people/${people.russian.id}`);
    const created = await body(
      createdPersonResponse,
      "admin",
      "POST",
      "/api/v1/people",
      { lastName: "Новая", firstName: "Учительница", roles: ["TEACHER"] },
      201,
    );
    await body(rolesResponse, "admin", "PUT", `/api/v1/people/${created.id}/roles`, {
      roles: ["TEACHER", "TUTOR"],
    });
  });

  it("classes: the list and a class list with subgroups", async () => {
    const classes = await body(classesResponse, "admin", "GET", "/api/v1/classes");
    expect(classes.map((c) => c.name)).toEqual(["1А", "5А"]);
    const list = await body(
      classPupilsResponse,
      "russian",
      "GET",
      `/api/v1/classes/${ctx.school.classes.class5.id}/pupils`,
    );
    expect(list[0]!.joinedOn).toEqual(new Date("2026-09-01T00:00:00.000Z"));
  });

  it("period marks: the closing sheet, setting, publishing, the pupil's marks", async () => {
    const { classes, subjects, periods, pupils } = ctx.school;
    await givePeriodMarks(ctx);
    const q1 = periods[0]!.id;
    const scope = { periodId: q1, subjectId: subjects.math.id, classId: classes.class5.id };
    const sheet = await body(
      periodSummaryResponse,
      "math",
      "GET",
      `/api/v1/period-marks/summary?periodId=${q1}&subjectId=${subjects.math.id}&classId=${classes.class5.id}`,
    );
    expect(sheet.rows.find((r) => r.pupilId === pupils.ivanov.id)?.marksCount).toBe(6);
    await body(setPeriodMarksResponse, "math", "PUT", "/api/v1/period-marks", {
      ...scope,
      marks: [{ pupilId: pupils.ivanov.id, value: "5" }],
    });
    const published = await body(publishResponse, "deputy", "POST", `/api/v1/periods/${q1}/publish`, {
      classId: classes.class5.id,
    });
    expect(published.marks).toBe(1);
    const own = await body(
      pupilPeriodMarksResponse,
      "ivanovaMother",
      "GET",
      `/api/v1/pupils/${pupils.ivanov.id}/period-marks`,
    );
    expect(own.map((m) => m.value)).toEqual(["5"]);
  });

  it("messages: a remark, the inbox, an acknowledgement, a reply, the thread, who acknowledged", async () => {
    const { pupils } = ctx.school;
    const sent = await body(
      sentMessageResponse,
      "math",
      "POST",
      "/api/v1/messages",
      { kind: "REMARK", pupilId: pupils.ivanov.id, body: "Забыл тетрадь", needsAck: true },
      201,
    );
    const inbox = await body(inboxResponse, "ivanovaMother", "GET", "/api/v1/messages");
    expect(inbox[0]?.author.lastName).toBe("Кузнецова");
    await body(acknowledgeResponse, "ivanovaMother", "POST", `/api/v1/messages/${sent.id}/acknowledge`);
    await body(
      sentMessageResponse,
      "ivanovaMother",
      "POST",
      "/api/v1/messages",
      { kind: "DIRECT", replyToId: sent.id, body: "Спасибо, проследим" },
      201,
    );
    const thread = await body(threadResponse, "math", "GET", `/api/v1/messages/${sent.id}/thread`);
    expect(thread).toHaveLength(2);
    const acks = await body(ackStatusResponse, "math", "GET", `/api/v1/messages/${sent.id}/acknowledgements`);
    expect(acks.acknowledged).toHaveLength(1);
  });

  it("attendance: a lesson's list, the class absences, a guardian's notice", async () => {
    const { pupils, classes } = ctx.school;
    const l = await ctx.school.lesson(ctx.school.assignments.russian5, "2026-11-24", 2);
    await body(lessonAttendance, "russian", "PUT", `/api/v1/lessons/${l.id}/attendance`, {
      entries: [{ pupilId: pupils.petrov.id, kind: "LATE" }],
    });
    const list = await body(
      classAbsencesResponse,
      "russian",
      "GET",
      `/api/v1/classes/${classes.class5.id}/absences?from=2026-11-23&to=2026-11-29`,
    );
    expect(list.map((a) => a.kind).sort()).toEqual(["ABSENT", "LATE"]);
    await body(
      absenceNoticeResponse,
      "petrovaMother",
      "POST",
      `/api/v1/pupils/${pupils.petrov.id}/absence-notices`,
      { fromDate: "2026-11-25", toDate: "2026-11-25", reason: "ILLNESS" },
      201,
    );
  });

  it("the audit log, with BigInt ids as strings", async () => {
    const page = await body(auditResponse, "admin", "GET", "/api/v1/audit?limit=3");
    expect(page.entries).toHaveLength(3);
    expect(typeof page.entries[0]!.id).toBe("bigint");
    expect(page.nextBefore).toBe(page.entries[2]!.id.toString());
  });

  it("the school, its calendar, subjects, load, profile and the rest", async () => {
    const { classes, assignments } = ctx.school;
    const reads: [z.ZodType, string, string][] = [
      [schoolResponse, "admin", "/api/v1/school"],
      [periodsResponse, "math", "/api/v1/periods"],
      [z.array(subjectRow), "math", "/api/v1/subjects"],
      [z.array(controlFormRow), "math", "/api/v1/control-forms"],
      [assignmentsResponse, "deputy", `/api/v1/assignments?classId=${classes.class5.id}`],
      [topicPlanResponse, "math", `/api/v1/assignments/${assignments.math5.id}/topic-plan`],
      [meResponse, "russian", "/api/v1/me"],
      [meResponse, "ivanovaMother", "/api/v1/me"],
      [preferencesResponse, "ivanovaMother", "/api/v1/me/preferences"],
      [deliveryStatsResponse, "russian", `/api/v1/classes/${classes.class5.id}/delivery-stats`],
      [lateLessonsResponse, "deputy", "/api/v1/control/late-lessons"],
    ];
    for (const [schema, who, url] of reads) await body(schema, who, "GET", url);
  });

  it("sign-in tokens and a class-list import checked without loading", async () => {
    const res = await send(ctx, null, "POST", "/api/v1/auth/login", {
      login: ctx.logins.math,
      password: PASSWORD,
    });
    expect(tokensResponse.safeParse(res.json()).success).toBe(true);
    const csv = ["Класс;Фамилия;Имя", "5А;Ёлкина;Анна", "5Я;Петров;Иван"].join("\n");
    const imported = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/imports/class-list?dryRun=true",
      headers: { ...bearer(ctx.token("russian")), "content-type": "text/csv" },
      payload: csv,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const result = importResponse.parse(imported.json());
    expect(result.problems.map((p) => p.row)).toEqual([3]);
  });

  it("reports in JSON match their read models", async () => {
    const { classes, subjects, periods, pupils } = ctx.school;
    const q2 = periods[1]!.id;
    const reports: [keyof typeof REPORT_MODELS, string, string][] = [
      ["journal-page", "math", `classId=${classes.class5.id}&subjectId=${subjects.math.id}&periodId=${q2}`],
      ["summary", "russian", `classId=${classes.class5.id}`],
      ["absences", "russian", `classId=${classes.class5.id}`],
      [
        "dynamics",
        "ivanovaMother",
        `pupilId=${pupils.ivanov.id}&subjectId=${subjects.math.id}&periodId=${q2}`,
      ],
      ["control", "deputy", `periodId=${q2}`],
      ["activity", "deputy", ""],
    ];
    for (const [name, who, query] of reports) {
      await body(REPORT_MODELS[name], who, "GET", `/api/v1/reports/${name}?${query}`);
    }
  });

  it("a renamed, missing or undocumented field, or a date not in ISO, fails the check", async () => {
    const { classes, subjects, periods } = ctx.school;
    const res = await send(
      ctx,
      "math",
      "GET",
      `/api/v1/journal-grid?classId=${classes.class5.id}&subjectId=${subjects.math.id}&periodId=${periods[1]!.id}`,
    );
    const { averages, ...rest } = res.json();
    expect(gridResponse.safeParse({ ...rest, averages }).success).toBe(true);
    expect(gridResponse.safeParse({ ...rest, average: averages }).success).toBe(false);
    expect(gridResponse.safeParse(rest).success).toBe(false);
    expect(gridResponse.safeParse({ ...rest, averages, extra: 1 }).success).toBe(false);
    const lesson = (await send(ctx, "math", "GET", `/api/v1/lessons/${lessonId}`)).json();
    expect(lessonSheetResponse.safeParse(lesson).success).toBe(true);
    expect(lessonSheetResponse.safeParse({ ...lesson, attendanceAt: "24.11.2026" }).success).toBe(false);
  });
});
