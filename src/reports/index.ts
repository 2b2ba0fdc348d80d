import type { DbOrTx } from "../db/client.js";
import type { Actor } from "../journal/actor.js";
import { validation } from "../journal/errors.js";
import { shortName } from "../journal/names.js";
import { schoolToday } from "../journal/rules/calendar.js";
import { absenceReport, absenceReportDocument, absenceReportInput } from "./absences.js";
import { activityReport, activityReportDocument, activityReportInput } from "./activity.js";
import { controlReport, controlReportDocument, controlReportInput } from "./control.js";
import type { ReportDocument } from "./document.js";
import { progressDynamics, progressDynamicsDocument, progressDynamicsInput } from "./dynamics.js";
import { journalPage, journalPageDocument, journalPageInput } from "./journal-page.js";
import { renderCsv } from "./render/csv.js";
import { summarySheet, summarySheetDocument, summarySheetInput } from "./summary-sheet.js";

/**
 * Every report by name: its input schema, its JSON read model and its printable document. The
 * HTTP API and the CLI both go through `renderReport`, so a report looks the same everywhere.
 */
interface Entry {
  title: string;
  input: unknown;
  load: (db: DbOrTx, actor: Actor, input: unknown) => Promise<unknown>;
  document: (model: unknown) => ReportDocument;
}
/** Pairs a read model with its document at compile time, then forgets the model's type. */
const report = <M>(e: {
  title: string;
  input: unknown;
  load: (db: DbOrTx, actor: Actor, input: unknown) => Promise<M>;
  document: (model: M) => ReportDocument;
}): Entry => e as Entry;

export const REPORTS = {
  "journal-page": report({
    title: "Страница классного журнала",
    input: journalPageInput,
    load: journalPage,
    document: journalPageDocument,
  }),
  summary: report({
    title: "Сводная ведомость",
    input: summarySheetInput,
    load: summarySheet,
    document: summarySheetDocument,
  }),
  absences: report({
    title: "Сведения о пропущенных уроках",
    input: absenceReportInput,
    load: absenceReport,
    document: absenceReportDocument,
  }),
  dynamics: report({
    title: "Динамика успеваемости",
    input: progressDynamicsInput,
    load: progressDynamics,
    document: progressDynamicsDocument,
  }),
  control: report({
    title: "Контроль ведения журнала",
    input: controlReportInput,
    load: controlReport,
    document: controlReportDocument,
  }),
  activity: report({
    title: "Активность родителей",
    input: activityReportInput,
    load: activityReport,
    document: activityReportDocument,
  }),
} satisfies Record<string, Entry>;

export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];
export const REPORT_FORMATS = ["json", "pdf", "xlsx", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

export interface RenderedReport {
  contentType: string;
  fileName: string;
  body: Buffer;
}

export async function renderDocument(
  doc: ReportDocument,
  format: Exclude<ReportFormat, "json">,
): Promise<Buffer> {
  // pdfmake and ExcelJS weigh ~50 MB together: loaded on the first printed report, not at start.
  if (format === "pdf") return (await import("./render/pdf.js")).renderPdf(doc);
  if (format === "xlsx") return (await import("./render/xlsx.js")).renderXlsx(doc);
  return Buffer.from(renderCsv(doc), "utf8");
}

/**
 * What every printed document carries besides its tables: the school's full name, the day it
 * was made (school time) and the printed names of the signers named by role (the school's
 * deputy head, director), so a signature line reads «____________ / Завучева О. П. /».
 */
export async function stampDocument(
  db: DbOrTx,
  schoolId: number,
  doc: ReportDocument,
): Promise<ReportDocument> {
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId } });
  const signatures = [];
  for (const s of doc.signatures ?? []) {
    if (s.name || !s.who) {
      signatures.push(s);
      continue;
    }
    const signer = await db.person.findFirst({
      where: { schoolId, roles: { some: { role: s.who } } },
      orderBy: { id: "asc" },
      select: { lastName: true, firstName: true, middleName: true },
    });
    signatures.push({ ...s, name: signer ? shortName(signer) : null });
  }
  return { ...doc, school: school.name, madeOn: schoolToday(school.timeZone), signatures };
}

/** Builds a report (access checked by its read model) and renders it in the asked format. */
export async function renderReport(
  db: DbOrTx,
  actor: Actor,
  name: string,
  input: unknown,
  format: ReportFormat,
): Promise<RenderedReport> {
  const entry = (REPORTS as Record<string, Entry>)[name];
  if (!entry) throw validation(`Нет такого отчёта: «${name}». Есть: ${REPORT_NAMES.join(", ")}.`);
  const model = await entry.load(db, actor, input);
  const doc = await stampDocument(db, actor.schoolId, entry.document(model));
  if (format === "json") {
    return {
      contentType: CONTENT_TYPES.json,
      fileName: `${doc.name}.json`,
      body: Buffer.from(JSON.stringify(model, null, 2)),
    };
  }
  return {
    contentType: CONTENT_TYPES[format],
    fileName: `${doc.name}.${format}`,
    body: await renderDocument(doc, format),
  };
}

export { dynamicsChart, progressChartPng } from "./dynamics.js";
export { absenceReport, activityReport, controlReport, journalPage, progressDynamics, summarySheet };
