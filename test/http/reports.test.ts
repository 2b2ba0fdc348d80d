import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type HttpCtx, send, startHttp } from "./helpers.js";

let ctx: HttpCtx;
let q: Record<string, string>;
beforeAll(async () => {
  // The database is created on the real clock: its name carries the creation time.
  ctx = await startHttp({ secondSchool: true });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  const { db } = ctx.testDb;
  const { assignments, pupils, people, classes, subjects, periods, forms } = ctx.school;
  // Three math lessons of the second quarter: marks for Иванов, an absence of Петров.
  for (const [i, day] of ["2026-11-16", "2026-11-17", "2026-11-18"].entries()) {
    const l = await ctx.school.lesson(assignments.math5, day, 1);
    await db.lesson.update({ where: { id: l.id }, data: { topic: `Дроби, урок ${i + 1}` } });
    await db.mark.create({
      data: {
        lessonId: l.id,
        pupilId: pupils.ivanov.id,
        value: ["5", "4", "5"][i]!,
        controlFormId: forms.oral.id,
        authorId: people.math.id,
      },
    });
    if (i === 1)
      await db.attendance.create({
        data: { lessonId: l.id, pupilId: pupils.petrov.id, kind: "ABSENT", markedById: people.math.id },
      });
  }
  const base = {
    classId: `${classes.class5.id}`,
    subjectId: `${subjects.math.id}`,
    periodId: `${periods[1]!.id}`,
  };
  q = {
    "journal-page": new URLSearchParams(base).toString(),
    summary: `classId=${classes.class5.id}`,
    absences: `classId=${classes.class5.id}&from=2026-11-01&to=2026-11-30`,
    dynamics: `pupilId=${pupils.ivanov.id}&subjectId=${subjects.math.id}&periodId=${periods[1]!.id}`,
    control: `periodId=${periods[1]!.id}`,
    activity: "",
  };
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

const get = (who: string | null, url: string) => send(ctx, who, "GET", url);
const NAMES = ["journal-page", "summary", "absences", "dynamics", "control", "activity"] as const;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The name a browser saves the file under: RFC 5987 `filename*`, decoded. */
const savedAs = (disposition: string | undefined) => {
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? "");
  return m ? decodeURIComponent(m[1]!) : undefined;
};

describe("reports as files", () => {
  it("the deputy head pulls every report as PDF and XLSX, saved under its Russian title", async () => {
    for (const name of NAMES) {
      const pdf = await get("deputy", `/api/v1/reports/${name}?format=pdf&${q[name]}`);
      expect(pdf.statusCode, `${name} pdf: ${pdf.body}`).toBe(200);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 4).toString("latin1")).toBe("%PDF");
      expect(pdf.headers["content-disposition"]).toMatch(
        /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/,
      );
      expect(savedAs(pdf.headers["content-disposition"] as string)).toMatch(/^[А-ЯЁ][а-яё ]+ \(.+\)\.pdf$/);

      const xlsx = await get("deputy", `/api/v1/reports/${name}?format=xlsx&${q[name]}`);
      expect(xlsx.statusCode, `${name} xlsx: ${xlsx.body}`).toBe(200);
      expect(xlsx.headers["content-type"]).toBe(XLSX);
      expect(xlsx.rawPayload.subarray(0, 2).toString("latin1")).toBe("PK");
      expect(savedAs(xlsx.headers["content-disposition"] as string)).toMatch(/\.xlsx$/);
    }
    // Twelve documents, the first loading pdfmake and ExcelJS: a generous ceiling for a busy machine.
  }, 90_000);

  it("the printed summary sheet carries the pupils' Cyrillic names; CSV comes as UTF-8 text", async () => {
    const pdf = await get("deputy", `/api/v1/reports/summary?format=pdf&${q.summary}`);
    const parser = new PDFParse({ data: new Uint8Array(pdf.rawPayload) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Иванов Иван");
    expect(savedAs(pdf.headers["content-disposition"] as string)).toContain("Сводная ведомость");

    const csv = await get("deputy", `/api/v1/reports/absences?format=csv&${q.absences}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.body).toContain("Петров");
  });

  it("format=json (and no format) answers the read model as JSON, not as an attachment", async () => {
    const res = await get("deputy", `/api/v1/reports/dynamics?format=json&${q.dynamics}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["content-disposition"]).toBeUndefined();
    expect(res.json()).toMatchObject({
      pupil: { name: expect.stringContaining("Иванов") },
      average: expect.any(Number),
    });
    const byDefault = await get("deputy", `/api/v1/reports/journal-page?${q["journal-page"]}`);
    expect(byDefault.statusCode).toBe(200);
    expect(byDefault.json()).toBeTypeOf("object");
  });

  it("the dynamics chart is a PNG", async () => {
    const res = await get("deputy", `/api/v1/reports/dynamics/chart.png?${q.dynamics}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expect(res.rawPayload.subarray(1, 4).toString("latin1")).toBe("PNG");
  });
});

describe("who may pull which report", () => {
  it("a guardian gets their own child's dynamics and chart; another family's child answers 404", async () => {
    const own = await get("ivanovaMother", `/api/v1/reports/dynamics?format=pdf&${q.dynamics}`);
    expect(own.statusCode).toBe(200);
    const chart = await get("ivanovaMother", `/api/v1/reports/dynamics/chart.png?${q.dynamics}`);
    expect(chart.statusCode).toBe(200);

    for (const url of [
      `/api/v1/reports/dynamics?format=pdf&${q.dynamics}`,
      `/api/v1/reports/dynamics/chart.png?${q.dynamics}`,
    ]) {
      const other = await get("petrovaMother", url);
      expect(other.statusCode, url).toBe(404);
      expect(other.json().error).toBe("not_found");
      expect(other.json().message).toMatch(/[А-Яа-я]/);
    }
  });

  it("a guardian is refused the class and school reports", async () => {
    for (const name of ["journal-page", "summary", "absences", "control", "activity"] as const) {
      const res = await get("ivanovaMother", `/api/v1/reports/${name}?format=pdf&${q[name]}`);
      expect(res.statusCode, name).toBe(403);
      expect(res.json().error).toBe("forbidden");
    }
  });

  it("a subject teacher prints their journal page but not the class teacher's or the deputy's reports", async () => {
    const page = await get("math", `/api/v1/reports/journal-page?format=pdf&${q["journal-page"]}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("application/pdf");
    for (const name of ["summary", "absences", "control", "activity"] as const) {
      const res = await get("math", `/api/v1/reports/${name}?format=xlsx&${q[name]}`);
      expect(res.statusCode, name).toBe(403);
    }
    // A teacher of another class's subject: not this journal page.
    const primary = await get("primary", `/api/v1/reports/journal-page?format=pdf&${q["journal-page"]}`);
    expect(primary.statusCode).toBe(403);
  });

  it("the class teacher pulls the summary sheet and absences of their class", async () => {
    for (const name of ["summary", "absences"] as const) {
      const res = await get("russian", `/api/v1/reports/${name}?format=xlsx&${q[name]}`);
      expect(res.statusCode, name).toBe(200);
    }
  });

  it("another school's administrator gets 404 for this school's class; no token gets 401", async () => {
    const res = await get("otherAdmin", `/api/v1/reports/summary?format=pdf&${q.summary}`);
    expect(res.statusCode).toBe(404);
    const anon = await get(null, `/api/v1/reports/summary?format=pdf&${q.summary}`);
    expect(anon.statusCode).toBe(401);
  });
});

describe("malformed report requests", () => {
  it("a bad format, a missing parameter, an unknown parameter or a bad date answer 400 in Russian", async () => {
    for (const url of [
      `/api/v1/reports/summary?format=docx&${q.summary}`,
      "/api/v1/reports/summary?format=pdf",
      `/api/v1/reports/summary?format=pdf&${q.summary}&colour=red`,
      `/api/v1/reports/absences?format=pdf&classId=${ctx.school.classes.class5.id}&from=30.11.2026`,
      `/api/v1/reports/dynamics/chart.png?pupilId=${ctx.school.pupils.ivanov.id}`,
    ]) {
      const res = await get("deputy", url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toBe("validation");
      expect(res.json().message).toMatch(/[А-Яа-я]/);
    }
  });

  it("an unknown report is 404", async () => {
    const res = await get("deputy", "/api/v1/reports/salaries?format=pdf");
    expect(res.statusCode).toBe(404);
  });
});
