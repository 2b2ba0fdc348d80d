import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { givePeriodMarks, type HttpCtx, type Method, send, startHttp } from "./helpers.js";

let ctx: HttpCtx;
let lessonId: number;
beforeAll(async () => {
  // The database is created on the real clock: its name carries the creation time, and other
  // runs drop "old" test databases.
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  lessonId = (await ctx.school.lesson(ctx.school.assignments.math5, "2026-11-24", 1)).id;
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

const call = (who: string, method: Method, url: string, payload?: object) =>
  send(ctx, who, method, url, payload);

describe("marks", () => {
  it("the teacher posts a whole column, reads a mark's history, and the deputy corrects with a reason", async () => {
    const { pupils, forms } = ctx.school;
    const res = await call("math", "POST", `/api/v1/lessons/${lessonId}/marks`, {
      controlFormId: forms.oral.id,
      marks: [
        { pupilId: pupils.ivanov.id, value: "5" },
        { pupilId: pupils.petrov.id, value: "4", comment: "Хорошо 👍" },
      ],
    });
    expect(res.statusCode).toBe(200);
    const marks = res.json().marks as { id: number; pupilId: number; value: string }[];
    expect(marks.map((m) => m.value)).toEqual(["5", "4"]);

    const markId = marks[0]!.id;
    const corrected = await call("deputy", "POST", `/api/v1/marks/${markId}/corrections`, {
      value: "4",
      reason: "APPEAL_UPHELD",
      note: "Апелляция № 3",
    });
    expect(corrected.statusCode).toBe(200);
    const history = await call("ivanovaMother", "GET", `/api/v1/marks/${markId}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.json().changes).toMatchObject([{ oldValue: "5", newValue: "4", change: "APPEAL_UPHELD" }]);
  });

  it("another teacher writing this lesson gets 403; a guardian of another family reading a mark gets 404", async () => {
    const { pupils } = ctx.school;
    const before = await ctx.testDb.db.mark.count();
    const res = await call("russian", "POST", `/api/v1/lessons/${lessonId}/marks`, {
      marks: [{ pupilId: pupils.sidorova.id, value: "3" }],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe("forbidden");
    expect(await ctx.testDb.db.mark.count()).toBe(before);
    const mark = await ctx.testDb.db.mark.findFirstOrThrow({ where: { pupilId: pupils.ivanov.id } });
    const other = await call("petrovaMother", "GET", `/api/v1/marks/${mark.id}/history`);
    expect(other.statusCode).toBe(404);
  });

  it("refuses a mark outside 1–5 with 400 and a Russian reason, writing nothing", async () => {
    const before = await ctx.testDb.db.mark.count();
    const res = await call("math", "POST", `/api/v1/lessons/${lessonId}/marks`, {
      marks: [{ pupilId: ctx.school.pupils.sidorova.id, value: "5+" }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/[а-я]/);
    expect(await ctx.testDb.db.mark.count()).toBe(before);
  });
});

describe("attendance", () => {
  it("records a lesson as a whole, then the class teacher sets the reason, and the class absences list shows it", async () => {
    const { pupils, classes } = ctx.school;
    const res = await call("math", "PUT", `/api/v1/lessons/${lessonId}/attendance`, {
      entries: [{ pupilId: pupils.smirnov.id, kind: "ABSENT" }],
    });
    expect(res.statusCode).toBe(200);
    const att = res.json().attendance as { id: number; pupilId: number }[];
    expect(att).toHaveLength(1);

    const forbidden = await call("math", "PUT", "/api/v1/attendance/reasons", {
      items: [{ attendanceId: att[0]!.id, reason: "ILLNESS" }],
    });
    expect(forbidden.statusCode).toBe(403);
    const reasons = await call("russian", "PUT", "/api/v1/attendance/reasons", {
      items: [{ attendanceId: att[0]!.id, reason: "ILLNESS" }],
    });
    expect(reasons.statusCode).toBe(200);
    const list = await call(
      "russian",
      "GET",
      `/api/v1/classes/${classes.class5.id}/absences?from=2026-11-23&to=2026-11-29`,
    );
    expect(list.statusCode).toBe(200);
    expect(JSON.stringify(list.json())).toContain("ILLNESS");
  });

  it("a guardian reports their own child's absence (201) but not another family's (404)", async () => {
    const { pupils } = ctx.school;
    const own = await call("ivanovaMother", "POST", `/api/v1/pupils/${pupils.ivanova.id}/absence-notices`, {
      fromDate: "2026-11-25",
      toDate: "2026-11-26",
      reason: "ILLNESS",
      note: "Температура",
    });
    expect(own.statusCode).toBe(201);
    const other = await call("ivanovaMother", "POST", `/api/v1/pupils/${pupils.petrov.id}/absence-notices`, {
      fromDate: "2026-11-25",
      toDate: "2026-11-26",
      reason: "ILLNESS",
    });
    expect(other.statusCode).toBe(404);
  });
});

describe("period marks", () => {
  it("the teacher reads the closing sheet and sets a quarter mark; the deputy publishes", async () => {
    const { classes, subjects, periods, pupils } = ctx.school;
    await givePeriodMarks(ctx);
    const q1 = periods[0]!.id;
    const q = `periodId=${q1}&subjectId=${subjects.math.id}&classId=${classes.class5.id}`;
    const sheet = await call("math", "GET", `/api/v1/period-marks/summary?${q}`);
    expect(sheet.statusCode).toBe(200);
    const set = await call("math", "PUT", "/api/v1/period-marks", {
      periodId: q1,
      subjectId: subjects.math.id,
      classId: classes.class5.id,
      marks: [{ pupilId: pupils.ivanov.id, value: "5" }],
    });
    expect(set.statusCode, set.body).toBe(200);
    const byTeacher = await call("math", "POST", `/api/v1/periods/${q1}/publish`, {});
    expect(byTeacher.statusCode).toBe(403);
    const published = await call("deputy", "POST", `/api/v1/periods/${q1}/publish`, {
      classId: classes.class5.id,
    });
    expect(published.statusCode).toBe(200);
  });
});
