import { z } from "zod";
import { validation } from "../../journal/errors.js";
import { exportInput, IMPORT_KINDS, type ImportKind, runExport, runImport } from "../../journal/imports.js";
import { id, isoDate } from "../../journal/validate.js";
import { binary, count, jsonResponse, obj } from "../responses.js";
import type { Api } from "../types.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

const kindParams = z.strictObject({ kind: z.enum(IMPORT_KINDS) });
const importQuery = z.strictObject({
  format: z.enum(["csv", "xlsx"]).optional(),
  dryRun: z.enum(["true", "false", "1", "0"]).optional(),
  yearId: id.optional(),
  validFrom: isoDate.optional(),
  joinedOn: isoDate.optional(),
});

export const importResponse = obj({
  kind: z.enum(IMPORT_KINDS),
  dryRun: z.boolean(),
  applied: z.boolean().describe("Файл загружен (false при dryRun)"),
  rows: count.describe("Строк данных в файле"),
  problems: z
    .array(
      obj({
        row: z.number().int().describe("Номер строки файла"),
        column: z.string().optional(),
        message: z.string(),
      }),
    )
    .describe("Ошибки по строкам; пусто — файл можно загружать"),
  summary: z.record(z.string(), count).describe("Сколько чего будет создано или изменено, по видам"),
});

const WHAT: Record<ImportKind, string> = {
  "class-list": "списки классов с родителями",
  timetable: "расписание",
  "topic-plan": "КТП (тематическое планирование)",
};

export async function importRoutes(app: Api) {
  const { db } = app.services;
  // Files come as the raw request body: text/csv or an XLSX workbook, or as browsers and offices
  // label them (Windows calls a .csv application/vnd.ms-excel; «Текст Юникод» is a .txt). The
  // bytes decide what the file is (imports-table.ts); the type is only a hint.
  for (const type of [
    "text/csv",
    XLSX,
    "application/octet-stream",
    "application/vnd.ms-excel",
    "text/plain",
    "text/tab-separated-values",
  ]) {
    app.addContentTypeParser(type, { parseAs: "buffer", bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
  }

  app.post(
    "/imports/:kind",
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ["imports"],
        summary: "Импорт из CSV/XLSX: списки классов, расписание, КТП / Import",
        description:
          "Файл — тело запроса (Content-Type: text/csv или XLSX). CSV — в UTF-8 (с BOM или без), windows-1251 или UTF-16 («Текст Юникод»), разделитель «;», «,» или табуляция; строка заголовков может быть ниже строк с названием. Сначала проверяются все строки; с dryRun=true ничего не меняется, а в ответе — все ошибки с номерами строк. Без dryRun файл с ошибками не загружается (400, details.problems), а без ошибок — загружается целиком в одной транзакции. " +
          `Виды: ${IMPORT_KINDS.map((k) => `${k} — ${WHAT[k]}`).join("; ")}. Столбцы — как в выгрузке GET /exports/{kind}.`,
        params: kindParams,
        querystring: importQuery,
        response: { 200: jsonResponse(importResponse) },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) {
        throw validation("Отправьте файл телом запроса с Content-Type: text/csv или XLSX.");
      }
      const q = request.query;
      const type = request.headers["content-type"] ?? "";
      const format =
        q.format ?? (type.startsWith(XLSX) || type.startsWith("application/octet") ? "xlsx" : "csv");
      return runImport(
        db,
        request.actor,
        request.params.kind,
        {
          format,
          dryRun: q.dryRun === "true" || q.dryRun === "1",
          yearId: q.yearId,
          validFrom: q.validFrom,
          joinedOn: q.joinedOn,
        },
        request.body,
      );
    },
  );

  app.get(
    "/exports/:kind",
    {
      schema: {
        tags: ["imports"],
        summary: "Выгрузка в CSV/XLSX в формате импорта / Export",
        description:
          "class-list — по classId; timetable — текущее расписание (всей школы или classId); topic-plan — по assignmentId.",
        params: kindParams,
        querystring: exportInput.strict(),
        response: {
          200: {
            description: "Файл (Content-Disposition: attachment)",
            content: {
              "text/csv": { schema: z.string().describe("CSV в UTF-8 с BOM, разделитель «;»") },
              [XLSX]: { schema: binary("XLSX") },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const file = await runExport(db, request.actor, request.params.kind, request.query);
      return reply
        .header("content-type", file.format === "csv" ? "text/csv; charset=utf-8" : XLSX)
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .send(file.body as never); // the file's bytes, past the documenting schema
    },
  );
}
