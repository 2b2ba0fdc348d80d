import type { paths } from "@/lib/api/client";

/**
 * Every printable report of the server (src/reports) with the parameters its form asks for. The
 * names and parameters are checked against the API's own types: a report added on the server and
 * missing here, or a parameter the route does not take, fails `npm run check`.
 */
type ReportPath = Extract<keyof paths, `/api/v1/reports/${string}`>;
export type ReportName = Exclude<
  ReportPath extends `/api/v1/reports/${infer N}` ? N : never,
  "dynamics/chart.png"
>;
type Query<N extends ReportName> = NonNullable<paths[`/api/v1/reports/${N}`]["get"]["parameters"]["query"]>;
export type Format = "pdf" | "xlsx" | "csv";
export const FORMATS: Format[] = ["pdf", "xlsx", "csv"];

/** What a form can ask: the report's own parameters, plus the class to pick a pupil from. */
export type Field = "classId" | "subjectId" | "periodId" | "pupilId" | "teacherId" | "yearId" | "from" | "to";

interface Def<N extends ReportName> {
  /** Sent to the server, in form order. */
  params: Exclude<keyof Query<N>, "format">[];
  /** Must be filled before the links work. */
  required: Exclude<keyof Query<N>, "format">[];
  /** Asked only to narrow another field (a pupil is picked from a class). */
  pickers?: Field[];
}

export const REPORTS: { [N in ReportName]: Def<N> } = {
  "journal-page": {
    params: ["classId", "subjectId", "periodId"],
    required: ["classId", "subjectId", "periodId"],
  },
  summary: { params: ["classId"], required: ["classId"] },
  absences: { params: ["classId", "from", "to"], required: ["classId"] },
  dynamics: {
    pickers: ["classId"],
    params: ["pupilId", "subjectId", "periodId"],
    required: ["pupilId", "subjectId", "periodId"],
  },
  control: { params: ["periodId", "classId", "teacherId"], required: ["periodId"] },
  activity: { params: ["yearId", "from", "to"], required: [] },
};

export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

/** The fields a report's form shows, in order. */
export const fieldsOf = (name: ReportName): Field[] => [
  ...(REPORTS[name].pickers ?? []),
  ...(REPORTS[name].params as Field[]),
];

/**
 * The download link of a report with the filled values, or null while a required one is empty.
 * Only the report's own parameters go into it (its route refuses others).
 */
export function reportHref(
  name: ReportName,
  values: Partial<Record<Field, string>>,
  format: Format,
): string | null {
  const def = REPORTS[name];
  if ((def.required as Field[]).some((f) => !values[f])) return null;
  const q = new URLSearchParams();
  for (const f of def.params as Field[]) if (values[f]) q.set(f, values[f]!);
  q.set("format", format);
  return `/api/v1/reports/${name}?${q}`;
}
