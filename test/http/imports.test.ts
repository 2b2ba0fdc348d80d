import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { schoolToday } from "../../src/journal/rules/calendar.js";
import { bearer, type HttpCtx, startHttp } from "./helpers.js";

let ctx: HttpCtx;
beforeAll(async () => {
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

const upload = (who: string, kind: string, query: string, body: string | Buffer, type = "text/csv") =>
  ctx.app.inject({
    method: "POST",
    url: `/api/v1/imports/${kind}?${query}`,
    headers: { ...bearer(ctx.token(who)), "content-type": type },
    payload: body,
  });
const counts = async () => {
  const { db } = ctx.testDb;
  return {
    people: await db.person.count(),
    enrolments: await db.enrolment.count(),
    links: await db.guardianLink.count(),
    slots: await db.timetableSlot.count(),
    topics: await db.topicPlanItem.count(),
  };
};

const HEADER =
  "Класс;Фамилия;Имя;Отчество;Дата рождения;Пол;Фамилия родителя;Имя родителя;Отчество родителя;Телефон родителя";

describe("class list import", () => {
  const bad = [
    HEADER,
    "5А;Ёлкина;Анна-Мария;Сергеевна;12.03.2015;Ж;Ёлкин;Сергей;;+7 900 111-22-33",
    "5Я;Петров;Иван;;01.01.2015;М;;;;",
    "5А;Смирн0в;Олег;;31.02.2015;X;;;;",
    "5А;Козлов;Дмитрий;;;М;;;;",
    "5А;Орлова;Вера;;01.05.2015;Ж;Орлова;;;не телефон",
  ].join("\n");

  it("a dry run lists every problem with its row and changes nothing", async () => {
    const before = await counts();
    const res = await upload("russian", "class-list", "dryRun=true", bad);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ dryRun: true, applied: false, rows: 5 });
    const rows = body.problems.map((p: { row: number; column?: string }) => `${p.row}:${p.column}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        "3:Класс",
        "4:Фамилия",
        "4:Дата рождения",
        "4:Пол",
        "5:Класс",
        "6:Имя родителя",
        "6:Телефон родителя",
      ]),
    );
    expect(body.problems.every((p: { message: string }) => /[а-яё]/i.test(p.message))).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it("the same file without dry run is refused as a whole (400 with the problems) and nothing changes", async () => {
    const before = await counts();
    const res = await upload("russian", "class-list", "", bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.problems.length).toBeGreaterThanOrEqual(7);
    expect(await counts()).toEqual(before);
  });

  it("a clean file is loaded in one go: pupils enrolled, guardians created once and linked", async () => {
    const before = await counts();
    const good = [
      HEADER,
      "5А;Ёлкина;Анна-Мария;Сергеевна;12.03.2015;Ж;Ёлкин;Сергей;Петрович;+7 900 111-22-33",
      "5А;Ёлкина;Анна-Мария;Сергеевна;12.03.2015;Ж;Ёлкина;Ольга;;+7 900 111-22-44",
      "5 а;Д'Артаньян;Шарль;;2015-04-01;М;Ёлкин;Сергей;Петрович;+7 900 111-22-33",
    ].join("\n");
    const res = await upload("russian", "class-list", "", `\uFEFF${good}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      applied: true,
      problems: [],
      summary: { pupilsNew: 2, guardiansNew: 2, links: 3 },
    });
    const after = await counts();
    expect(after.people - before.people).toBe(4);
    expect(after.enrolments - before.enrolments).toBe(2);
    expect(after.links - before.links).toBe(3);
    const father = await ctx.testDb.db.person.findFirstOrThrow({
      where: { lastName: "Ёлкин" },
      include: { wards: true },
    });
    expect(father.wards).toHaveLength(2);
  });

  it("a subject teacher may not load another class's list", async () => {
    const res = await upload("math", "class-list", "dryRun=true", `${HEADER}\n5А;Новый;Ученик;;;;;;;`);
    expect(res.statusCode).toBe(200);
    expect(res.json().problems[0]).toMatchObject({ row: 2, column: "Класс" });
  });

  it("export → import round trip: the exported XLSX loads back with nothing to change", async () => {
    const { classes } = ctx.school;
    const exp = await ctx.app.inject({
      url: `/api/v1/exports/class-list?classId=${classes.class5.id}&format=xlsx`,
      headers: bearer(ctx.token("russian")),
    });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers["content-disposition"]).toMatch(/class-list-2026-11-24\.xlsx/);
    const res = await upload(
      "russian",
      "class-list",
      "dryRun=true&format=xlsx",
      exp.rawPayload,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ problems: [], summary: { pupilsNew: 0, enrolments: 0 } });
    const csv = await ctx.app.inject({
      url: `/api/v1/exports/class-list?classId=${classes.class5.id}`,
      headers: bearer(ctx.token("russian")),
    });
    expect(csv.body.startsWith("\uFEFFКласс;Фамилия;Имя")).toBe(true);
    expect(csv.body).toContain("Иванова;Мария");
  });

  it("a broken XLSX and a file without the needed columns are 400 in Russian", async () => {
    const broken = await upload(
      "russian",
      "class-list",
      "dryRun=true",
      Buffer.from("not a zip"),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/XLSX/);
    const noCols = await upload("russian", "class-list", "dryRun=true", "ФИО;Класс\nИванов;5А");
    expect(noCols.statusCode).toBe(400);
    expect(noCols.json().message).toMatch(/«Фамилия»/);
  });
});

describe("timetable import", () => {
  const header = "Класс;День недели;Урок №;Начало;Окончание;Предмет;Учитель;Кабинет";
  it("only the deputy or admin loads it; clashes are reported by row; a clean file replaces the class's slots", async () => {
    const clash = [
      header,
      "5А;Пн;1;08:30;09:15;Математика;Кузнецова А.С.;201",
      "5А;понедельник;1;08:30;09:15;Русский язык;Морозов;202",
    ].join("\n");
    expect((await upload("math", "timetable", "dryRun=true", clash)).statusCode).toBe(403);
    const dry = await upload("deputy", "timetable", "dryRun=true&validFrom=2026-11-30", clash);
    expect(dry.statusCode).toBe(200);
    expect(dry.json().problems).toEqual([expect.objectContaining({ row: 3, column: "Урок №" })]);

    const good = [
      header,
      "5А;1;1;08:30;09:15;Математика;Кузнецова Анна Сергеевна;201",
      "5А;1;2;09:25;10:10;Русский язык;Морозов П.И.;202",
      "5А;2;1;08:30;09:15;Русский язык;Морозов;202",
    ].join("\n");
    const res = await upload("deputy", "timetable", "validFrom=2026-11-30", good);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ applied: true, summary: { slots: 3, classes: 1 } });
    const { db } = ctx.testDb;
    const current = await db.timetableSlot.count({
      where: { assignment: { classId: ctx.school.classes.class5.id }, validTo: null },
    });
    expect(current).toBe(3);
    // Guardians of the class are told, as when the timetable is changed by hand.
    const events = await db.outbox.findMany({ where: { type: "timetable.changed" } });
    expect(events.map((e) => e.payload)).toEqual([
      {
        classId: ctx.school.classes.class5.id,
        from: ["2026-11-30", schoolToday(ctx.school.school.timeZone)].sort()[1],
        slotIds: expect.any(Array),
      },
    ]);
    expect((events[0]!.payload as { slotIds: number[] }).slotIds).toHaveLength(3);
    const exp = await ctx.app.inject({
      url: `/api/v1/exports/timetable?classId=${ctx.school.classes.class1.id}`,
      headers: bearer(ctx.token("deputy")),
    });
    expect(exp.statusCode).toBe(200);
    expect(exp.body).toContain("Обучение грамоте");
  });
});

describe("topic plan import", () => {
  it("the teacher loads the КТП of their assignment; the export gives it back", async () => {
    const header = "Класс;Предмет;№;Тема;Часов;Дата";
    const before = await counts();
    const bad = [
      header,
      "5А;Математика;1;Натуральные числа;1;01.09.2026",
      "5А;Математика;1;Повтор;1;",
      "5А;Математика;x;;0;32.13.2026",
    ].join("\n");
    const dry = await upload("math", "topic-plan", "dryRun=true", bad);
    expect(dry.statusCode).toBe(200);
    const rows = dry.json().problems.map((p: { row: number }) => p.row);
    expect(rows).toEqual(expect.arrayContaining([3, 4]));
    expect(await counts()).toEqual(before);

    const good = [
      header,
      "5А;Математика;1;Натуральные числа;2;01.09.2026",
      "5А;Математика;2;Дроби ½ и ¼;1;",
    ].join("\n");
    const res = await upload("math", "topic-plan", "", good);
    expect(res.statusCode, res.body).toBe(200);
    expect((await counts()).topics - before.topics).toBe(2);
    expect((await upload("russian", "topic-plan", "dryRun=true", good)).json().problems[0]).toMatchObject({
      column: "Учитель",
    });
    const exp = await ctx.app.inject({
      url: `/api/v1/exports/topic-plan?assignmentId=${ctx.school.assignments.math5.id}&format=xlsx`,
      headers: bearer(ctx.token("math")),
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]!.getRow(3).getCell(5).value).toBe("Дроби ½ и ¼");
    const plan = await ctx.app.inject({
      url: `/api/v1/assignments/${ctx.school.assignments.math5.id}/topic-plan`,
      headers: bearer(ctx.token("math")),
    });
    expect(plan.statusCode).toBe(200);
    expect(plan.body).toContain("Натуральные числа");

    // A topic already given in a lesson is not dropped by an import, as by the form.
    const { db } = ctx.testDb;
    const second = await db.topicPlanItem.findFirstOrThrow({
      where: { assignmentId: ctx.school.assignments.math5.id, number: 2 },
    });
    const lesson = await ctx.school.lesson(ctx.school.assignments.math5, "2026-11-20", 3);
    await db.lesson.update({ where: { id: lesson.id }, data: { plannedTopicId: second.id } });
    const withoutSecond = [header, "5А;Математика;1;Натуральные числа;2;01.09.2026"].join("\n");
    const refused = await upload("math", "topic-plan", "", withoutSecond);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().details.problems).toEqual([
      expect.objectContaining({ row: 2, message: expect.stringMatching(/тема № 2 уже выбрана в уроках/) }),
    ]);
    expect((await counts()).topics - before.topics).toBe(2);
  });
});
