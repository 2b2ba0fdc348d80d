import { z } from "zod";
import { progressDynamicsInput } from "../../reports/dynamics.js";
import {
  dynamicsChart,
  REPORT_FORMATS,
  REPORT_NAMES,
  REPORTS,
  type ReportName,
  renderReport,
} from "../../reports/index.js";
import { REPORT_MODELS } from "../report-responses.js";
import { binary } from "../responses.js";
import type { Tag } from "../schemas.js";
import type { Api } from "../types.js";

const TAG: Tag = "reports";

/** English half of each summary, and who may pull the report (the read model checks it). */
const ABOUT: Record<ReportName, { en: string; description: string }> = {
  "journal-page": {
    en: "Journal page for printing",
    description:
      "Класс × предмет × период как страница бумажного журнала: даты и темы уроков, отметки, пропуски, отметки за период. Видят администрация, классный руководитель и учитель предмета.",
  },
  summary: {
    en: "Summary progress sheet",
    description:
      "Сводная ведомость класса: отметки каждого ученика по всем предметам за периоды и год, столбец решения педсовета. Видят администрация и классный руководитель.",
  },
  absences: {
    en: "Lessons missed",
    description:
      "Сведения о пропущенных уроках: по ученикам и месяцам, с причинами и итогами; from/to (ГГГГ-ММ-ДД) ограничивают диапазон. Видят администрация и классный руководитель.",
  },
  dynamics: {
    en: "Progress dynamics",
    description:
      "Динамика успеваемости ученика по предмету за период: отметки по датам, средний балл после каждой даты, место в классе и прогноз отметки за период. Видят сам ученик, его родители, его учителя и администрация; чужой ребёнок — 404.",
  },
  control: {
    en: "Journal keeping control",
    description:
      "Для завуча: по учителям и классам — уроки без темы, посещаемости или задания после срока заполнения, контрольные без отметок, ученики с недостатком отметок, «2» без повторного опроса, отставание от КТП. Видят директор, заместитель директора и администратор.",
  },
  activity: {
    en: "Guardians' activity",
    description:
      "По классам: сколько родителей подключили бота, сколько были активны, сколько сообщений подтверждено. Видят директор, заместитель директора и администратор.",
  },
};

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const FORMATS_TEXT =
  "format: json (по умолчанию, ответ — JSON), pdf, xlsx или csv (ответ — файл с Content-Disposition: attachment).";

/**
 * `filename` for old clients (ASCII only: the technical name) and `filename*` (RFC 5987) with the
 * real, Cyrillic, name. encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987 does not allow.
 */
export function attachment(fileName: string, asciiName: string, disposition = "attachment") {
  const ascii = asciiName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** People save the file under the report's Russian title; the technical name keeps it unique. */
function humanFileName(name: ReportName, fileName: string) {
  if (/[^\x20-\x7e]/.test(fileName)) return fileName;
  const dot = fileName.lastIndexOf(".");
  return `${REPORTS[name].title} (${fileName.slice(0, dot)})${fileName.slice(dot)}`;
}

export async function reportRoutes(app: Api) {
  const { db } = app.services;
  // One operation per report, so the OpenAPI document shows each report's own parameters.
  for (const name of REPORT_NAMES) {
    const query = (REPORTS[name].input as z.ZodObject)
      .extend({ format: z.enum(REPORT_FORMATS).default("json") })
      .strict();
    app.get(
      `/reports/${name}`,
      {
        config: { download: true },
        schema: {
          tags: [TAG],
          summary: `${REPORTS[name].title} / ${ABOUT[name].en}`,
          description: `${ABOUT[name].description} ${FORMATS_TEXT}`,
          querystring: query,
          response: {
            200: {
              description:
                "format=json — данные отчёта; pdf, xlsx, csv — файл (Content-Disposition: attachment)",
              content: {
                "application/json": { schema: REPORT_MODELS[name] },
                "application/pdf": { schema: binary("PDF") },
                [XLSX]: { schema: binary("XLSX") },
                "text/csv": { schema: z.string().describe("CSV в UTF-8 с BOM, разделитель «;»") },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const { format, ...input } = request.query as { format: (typeof REPORT_FORMATS)[number] };
        const file = await renderReport(db, request.actor, name, input, format);
        reply.header("content-type", file.contentType);
        if (format !== "json")
          reply.header("content-disposition", attachment(humanFileName(name, file.fileName), file.fileName));
        // Ready bytes (the JSON too): sent as they are, past the documenting schemas.
        return reply.send(file.body as never);
      },
    );
  }

  app.get(
    "/reports/dynamics/chart.png",
    {
      config: { download: true },
      schema: {
        tags: [TAG],
        summary: "График динамики успеваемости (PNG) / Progress dynamics chart",
        description:
          "Средний балл ученика по предмету после каждой даты и прогноз на конец периода, картинкой PNG. Доступ — как к отчёту dynamics.",
        querystring: progressDynamicsInput.strict(),
        response: {
          200: {
            description: "Картинка PNG (Content-Disposition: inline)",
            content: { "image/png": { schema: binary("PNG") } },
          },
        },
      },
    },
    async (request, reply) => {
      const chart = await dynamicsChart(db, request.actor, request.query);
      const { pupilId, subjectId, periodId } = request.query;
      const base = `dynamics-${pupilId}-${subjectId}-${periodId}`;
      return reply
        .header("content-type", "image/png")
        .header(
          "content-disposition",
          attachment(`Динамика успеваемости (${base}).png`, `${base}.png`, "inline"),
        )
        .send(chart.png as never);
    },
  );
}
