import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bearer, type HttpCtx, startHttp } from "./helpers.js";

/**
 * Imports of files as schools' offices save them (issue 10, item 14): every encoding and
 * separator Excel and LibreOffice write, title rows above the header, merged cells and
 * spreadsheet dates and times, for every import; and a file that cannot be read is refused with
 * the reason, not with a list of "missing" columns that are there. The bytes are made here as
 * the programs make them (iconv-lite for the code pages, ExcelJS for workbooks).
 */
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

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const upload = (who: string, kind: string, query: string, body: Buffer, type = "text/csv") =>
  ctx.app.inject({
    method: "POST",
    url: `/api/v1/imports/${kind}?${query}`,
    headers: { ...bearer(ctx.token(who)), "content-type": type },
    payload: body,
  });

const CLASS_LIST = [
  ["Класс", "Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Фамилия родителя", "Имя родителя"],
  ["5А", "Ёлкина", "Анна-Мария", "Сергеевна", "12.03.2015", "Ж", "Ёлкин", "Сергей"],
  ["5А", "Щукин", "Фёдор", "", "01.09.2015", "М", "", ""],
];
const table = (rows: string[][], sep: string) => `${rows.map((r) => r.join(sep)).join("\r\n")}\r\n`;

/** A dry run of the class list must read both pupils with no problem at all. */
async function expectClassListRead(body: Buffer, type = "text/csv") {
  const res = await upload("russian", "class-list", "dryRun=true", body, type);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ rows: 2, problems: [], summary: { pupilsNew: 2 } });
}

describe("CSV in every encoding and separator an office writes", () => {
  it("Russian Excel's «CSV (разделители — запятые)»: windows-1251 with «;» (the issue's file) loads", async () => {
    // Pupils of its own: the dry runs below read CLASS_LIST as new pupils.
    const rows = [CLASS_LIST[0]!, ["5А", "Жуков", "Фёдор", "", "01.09.2015", "М", "Жукова", "Алёна"]];
    const body = iconv.encode(table(rows, ";"), "win1251");
    expect(body.includes(Buffer.from("Класс"))).toBe(false); // not UTF-8 bytes
    const res = await upload("russian", "class-list", "", body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      applied: true,
      problems: [],
      summary: { pupilsNew: 1, guardiansNew: 1 },
    });
    const pupil = await ctx.testDb.db.person.findFirstOrThrow({ where: { lastName: "Жуков" } });
    expect(pupil).toMatchObject({ firstName: "Фёдор", birthDate: new Date("2015-09-01T00:00:00Z") });
  });

  it.each([
    ["UTF-8 with BOM, «;» (Excel «CSV UTF-8»)", () => Buffer.from(`\uFEFF${table(CLASS_LIST, ";")}`)],
    ["UTF-8 without BOM, «,» (LibreOffice)", () => Buffer.from(table(CLASS_LIST, ","))],
    ["UTF-8, tabs", () => Buffer.from(table(CLASS_LIST, "\t"))],
    ["windows-1251, «,»", () => iconv.encode(table(CLASS_LIST, ","), "win1251")],
    [
      "UTF-16 LE with BOM and tabs (Excel «Текст Юникод»)",
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(table(CLASS_LIST, "\t"), "utf16le")]),
    ],
    ["UTF-16 LE without BOM, tabs", () => iconv.encode(table(CLASS_LIST, "\t"), "utf16le")],
    ["KOI8-R, «;» (an old program)", () => iconv.encode(table(CLASS_LIST, ";"), "koi8-r")],
    ["DOS cp866, «;»", () => iconv.encode(table(CLASS_LIST, ";"), "cp866")],
  ])("%s", async (_name, make) => {
    await expectClassListRead(make());
  });

  it("a comma inside a «;» file stays in its cell; quoted cells keep their separators", async () => {
    const rows = [
      ["Класс", "Фамилия", "Имя", "Кем приходится", "Фамилия родителя", "Имя родителя"],
      ["5А", "Ёлкина", "Анна", "мать, опекун", "Ёлкина", "Ольга"],
      ["5А", "Щукин", '"Фёдор; Ф."', "", "", ""],
    ];
    const res = await upload(
      "russian",
      "class-list",
      "dryRun=true",
      iconv.encode(table(rows, ";"), "win1251"),
    );
    expect(res.statusCode, res.body).toBe(200);
    // "Фёдор; Ф." is one (invalid) first name, not a shifted row.
    expect(res.json().problems).toEqual([expect.objectContaining({ row: 3, column: "Имя" })]);
  });

  it("title rows above the header are skipped; problems keep the file's row numbers", async () => {
    const rows = [
      ["Список учащихся 5А класса", "", ""],
      ["МБОУ «Школа № 1», 2026/2027 учебный год", "", ""],
      [],
      ...CLASS_LIST,
      ["5А", "Смирн0в", "Олег", "", "", "М", "", ""],
    ];
    const res = await upload(
      "russian",
      "class-list",
      "dryRun=true",
      iconv.encode(table(rows, ";"), "win1251"),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().problems).toEqual([expect.objectContaining({ row: 7, column: "Фамилия" })]);
  });

  it("Windows browsers' type for a .csv (application/vnd.ms-excel) and text/plain are read", async () => {
    await expectClassListRead(iconv.encode(table(CLASS_LIST, ";"), "win1251"), "application/vnd.ms-excel");
    await expectClassListRead(
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(table(CLASS_LIST, "\t"), "utf16le")]),
      "text/plain",
    );
  });
});

async function workbook(fill: (sheet: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet("Лист1"), wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("XLSX as schools make it", () => {
  it("a merged title row, the header on row 3, a class merged down, dates as cells and serial numbers", async () => {
    const body = await workbook((s) => {
      s.getCell("A1").value = "Список учащихся 5А класса";
      s.mergeCells("A1:F1");
      s.getRow(3).values = ["Класс", "Фамилия", "Имя", "Отчество", "Дата рождения", "Пол"];
      s.getRow(4).values = ["5А", "Ёлкина", "Анна-Мария", "Сергеевна", new Date(Date.UTC(2015, 2, 12)), "Ж"];
      s.getRow(5).values = [null, "Щукин", "Фёдор", null, 42248, "М"];
      s.getRow(6).values = [null, "Смирн0в", "Олег", null, "01.09.2015", "М"];
      s.mergeCells("A4:A6");
    });
    const res = await upload("russian", "class-list", "dryRun=true", body, XLSX);
    expect(res.statusCode, res.body).toBe(200);
    // Row 5's class comes from the merged cell, its date from serial 42248 (01.09.2015).
    expect(res.json()).toMatchObject({
      rows: 3,
      problems: [expect.objectContaining({ row: 6, column: "Фамилия" })],
      summary: { pupilsNew: 2 },
    });
  });

  it("an XLSX sent as text/csv is read as the workbook it is", async () => {
    const body = await workbook((s) => {
      for (const r of CLASS_LIST) s.addRow(r);
    });
    await expectClassListRead(body, "text/csv");
  });

  it("the header is looked for on every sheet (an instructions sheet first)", async () => {
    const body = await workbook((s, wb) => {
      s.name = "Инструкция";
      s.addRow(["Заполните лист «Данные»"]);
      const data = wb.addWorksheet("Данные");
      for (const r of CLASS_LIST) data.addRow(r);
    });
    await expectClassListRead(body, XLSX);
  });
});

describe("every import: the timetable and the КТП", () => {
  it("timetable: time cells of a workbook, «8.30» and «8:30:00» in CSV, day fractions", async () => {
    const header = ["Класс", "День недели", "Урок №", "Начало", "Окончание", "Предмет", "Учитель", "Кабинет"];
    const time = (h: number, m: number) => new Date(Date.UTC(1899, 11, 30, h, m));
    const xlsx = await workbook((s) => {
      s.addRow(["Расписание 5А"]);
      s.addRow(header);
      s.addRow(["5А", "Пн", 1, time(8, 30), time(9, 15), "Математика", "Кузнецова А.С.", 201]);
      s.addRow(["5А", "Пн", 2, 0.3993055555555556, 0.43055555555555558, "Русский язык", "Морозов", 202]);
      s.getCell("D3").numFmt = "hh:mm";
      s.getCell("E3").numFmt = "hh:mm";
    });
    const fromXlsx = await upload("deputy", "timetable", "dryRun=true&validFrom=2026-11-30", xlsx, XLSX);
    expect(fromXlsx.statusCode, fromXlsx.body).toBe(200);
    expect(fromXlsx.json()).toMatchObject({ problems: [], summary: { slots: 2 } });

    const csv = table(
      [
        header,
        ["5А", "Вт", "1", "8.30", "9.15", "Математика", "Кузнецова А.С.", "201"],
        ["5А", "Вт", "2", "9:25:00", "10:10:00", "Русский язык", "Морозов", "202"],
      ],
      ";",
    );
    const fromCsv = await upload(
      "deputy",
      "timetable",
      "dryRun=true&validFrom=2026-11-30",
      iconv.encode(csv, "win1251"),
    );
    expect(fromCsv.statusCode, fromCsv.body).toBe(200);
    expect(fromCsv.json()).toMatchObject({ problems: [], summary: { slots: 2 } });
  });

  it("a room with a NUL byte or too long is a problem of its row, not a 500", async () => {
    const rows = [
      ["Класс", "День недели", "Урок №", "Начало", "Окончание", "Предмет", "Учитель", "Кабинет"],
      ["5А", "Ср", "1", "08:30", "09:15", "Математика", "Кузнецова А.С.", "2\u000001"],
      ["5А", "Ср", "2", "09:25", "10:10", "Русский язык", "Морозов", "к".repeat(30)],
    ];
    const res = await upload("deputy", "timetable", "validFrom=2026-11-30", Buffer.from(table(rows, ";")));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details.problems).toEqual([
      expect.objectContaining({ row: 2, column: "Кабинет" }),
      expect.objectContaining({ row: 3, column: "Кабинет" }),
    ]);
  });

  it("КТП in windows-1251 with dates 01.09.2026 and Excel serial numbers is loaded", async () => {
    const csv = table(
      [
        ["Тематическое планирование: математика, 5А"],
        ["Класс", "Предмет", "№", "Тема", "Часов", "Дата"],
        ["5А", "Математика", "1", "Натуральные числа", "1", "01.09.2026"],
        ["5А", "Математика", "2", "Дроби", "1", "46267"],
      ],
      ";",
    );
    const res = await upload("math", "topic-plan", "", iconv.encode(csv, "win1251"));
    expect(res.statusCode, res.body).toBe(200);
    const items = await ctx.testDb.db.topicPlanItem.findMany({ orderBy: { number: "asc" } });
    expect(items.map((i) => [i.topic, i.plannedDate?.toISOString().slice(0, 10)])).toEqual([
      ["Натуральные числа", "2026-09-01"],
      ["Дроби", "2026-09-02"],
    ]);
  });
});

describe("a file that cannot be read says why", () => {
  const refused = async (body: Buffer, type = "text/csv", kind = "class-list") => {
    const res = await upload("russian", kind, "dryRun=true", body, type);
    expect(res.statusCode, res.body).toBe(400);
    const json = res.json();
    expect(json.message).toMatch(/[А-Яа-я]/);
    expect(json.message).not.toMatch(/^В файле нет столбцов/);
    return json as { message: string; details: { reason: string } };
  };

  it("binary bytes: not a text table (encoding), not «missing columns»", async () => {
    const noise = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256));
    const r = await refused(noise);
    expect(r.details.reason).toBe("encoding");
    expect(r.message).toMatch(/CSV UTF-8/);
  });

  it("a text without a header row: the header is not found, the expected names are given", async () => {
    const r = await refused(iconv.encode("5А;Ёлкина;Анна\r\n5А;Щукин;Фёдор\r\n", "win1251"));
    expect(r.details.reason).toBe("header_not_found");
    expect(r.message).toMatch(/Не найдена строка заголовков.*«Класс», «Фамилия», «Имя»/);
  });

  it("an Excel 97–2003 .xls: asked to save as .xlsx", async () => {
    const ole = Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(512)]);
    const r = await refused(ole, "application/vnd.ms-excel");
    expect(r.details.reason).toBe("xls");
    expect(r.message).toMatch(/\.xlsx/);
  });

  it("a broken workbook and a text sent as XLSX are named as such", async () => {
    const zip = Buffer.concat([Buffer.from("504b0304", "hex"), Buffer.alloc(100)]);
    expect((await refused(zip, XLSX)).details.reason).toBe("broken_xlsx");
    expect((await refused(Buffer.from("not a zip"), XLSX)).details.reason).toBe("broken_xlsx");
  });

  it("the timetable and the КТП say the same", async () => {
    const noHeader = iconv.encode("5А;Пн;1\r\n", "win1251");
    for (const [who, kind] of [
      ["deputy", "timetable"],
      ["math", "topic-plan"],
    ] as const) {
      const res = await upload(who, kind, "dryRun=true", noHeader);
      expect(res.statusCode).toBe(400);
      expect(res.json().details.reason).toBe("header_not_found");
    }
  });
});
