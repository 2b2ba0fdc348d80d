import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import type { Db } from "../../db/client.js";
import type { Actor } from "../../journal/actor.js";
import { isoOf } from "../../journal/validate.js";
import { renderReport } from "../index.js";
import { exportCsv, exportYear, type Progress } from "./export.js";

/**
 * The year's archive (004 §7.5): every document a school prints and keeps, and the data export,
 * in one folder with retention.json saying how long each file must be kept (003, 004: journals
 * 5 years, summary sheets 25 years; 002 §6.5 asks 75 for summary sheets, so it is a setting).
 */
export interface RetentionYears {
  journals: number;
  summarySheets: number;
}
export const DEFAULT_RETENTION: RetentionYears = { journals: 5, summarySheets: 25 };

type Kind = "journal" | "summary" | "absences" | "control" | "activity" | "export";

const safe = (s: string) => s.replace(/[/\\:*?"<>|]/g, "-");

/** Acts as the school's administration: the archive holds every class's documents. */
export const archiveActor = (schoolId: number): Actor => ({
  personId: 0,
  schoolId,
  roles: ["ADMIN", "DIRECTOR", "DEPUTY"],
});

export async function archiveYear(
  db: Db,
  args: { yearId: number; out: string; retention?: RetentionYears },
  progress?: Progress,
) {
  const retention = args.retention ?? DEFAULT_RETENTION;
  const year = await db.academicYear.findUniqueOrThrow({
    where: { id: args.yearId },
    include: {
      periods: { orderBy: [{ kind: "asc" }, { number: "asc" }] },
      classes: { orderBy: [{ grade: "asc" }, { letter: "asc" }] },
      assignments: { include: { subject: true }, orderBy: { subjectId: "asc" } },
    },
  });
  const actor = archiveActor(year.schoolId);
  const yearEnd = DateTime.fromISO(isoOf(year.endDate), { zone: "utc" });
  const yearsFor: Record<Kind, number> = {
    journal: retention.journals,
    absences: retention.journals,
    control: retention.journals,
    activity: retention.journals,
    summary: retention.summarySheets,
    export: retention.summarySheets,
  };
  const files: {
    path: string;
    kind: Kind;
    retainYears: number;
    keepUntil: string;
    sha256: string;
    bytes: number;
  }[] = [];
  const save = async (rel: string, kind: Kind, body: Buffer | string) => {
    const full = path.join(args.out, rel);
    await mkdir(path.dirname(full), { recursive: true });
    const data = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    await writeFile(full, data);
    files.push({
      path: rel,
      kind,
      retainYears: yearsFor[kind],
      keepUntil: yearEnd.plus({ years: yearsFor[kind] }).toISODate()!,
      sha256: createHash("sha256").update(data).digest("hex"),
      bytes: data.length,
    });
  };

  const terms = year.periods.filter((p) => p.kind !== "YEAR");
  const jobs: { label: string; run: () => Promise<void> }[] = [];
  for (const c of year.classes) {
    const cn = `${c.grade}${c.letter}`;
    const subjects = [
      ...new Map(
        year.assignments.filter((a) => a.classId === c.id).map((a) => [a.subjectId, a.subject]),
      ).values(),
    ];
    for (const subject of subjects) {
      for (const p of terms) {
        jobs.push({
          label: `журнал ${cn} ${subject.name} ${p.name}`,
          run: async () => {
            const r = await renderReport(
              db,
              actor,
              "journal-page",
              { classId: c.id, subjectId: subject.id, periodId: p.id },
              "pdf",
            );
            await save(`journals/${safe(cn)}/${safe(`${subject.name} — ${p.name}`)}.pdf`, "journal", r.body);
          },
        });
      }
    }
    for (const [name, kind, file] of [
      ["summary", "summary", "Сводная ведомость"],
      ["absences", "absences", "Пропущенные уроки"],
    ] as const) {
      jobs.push({
        label: `${file} ${cn}`,
        run: async () => {
          for (const format of ["pdf", "xlsx"] as const) {
            const r = await renderReport(db, actor, name, { classId: c.id }, format);
            await save(`${kind}/${safe(`${cn} — ${file}`)}.${format}`, kind, r.body);
          }
        },
      });
    }
  }
  for (const p of terms) {
    jobs.push({
      label: `контроль ${p.name}`,
      run: async () => {
        for (const format of ["pdf", "xlsx"] as const) {
          const r = await renderReport(db, actor, "control", { periodId: p.id }, format);
          await save(`control/${safe(p.name)}.${format}`, "control", r.body);
        }
      },
    });
  }
  jobs.push({
    label: "активность родителей",
    run: async () => {
      const r = await renderReport(db, actor, "activity", { yearId: year.id }, "xlsx");
      await save("activity.xlsx", "activity", r.body);
    },
  });
  jobs.push({
    label: "выгрузка данных",
    run: async () => {
      const file = await exportYear(db, year.id);
      await save("export/year.json", "export", `${JSON.stringify(file, null, 2)}\n`);
      for (const [name, csv] of exportCsv(file)) await save(`export/csv/${name}`, "export", csv);
    },
  });
  for (const [i, job] of jobs.entries()) {
    await job.run();
    progress?.(job.label, i + 1, jobs.length);
  }
  const manifest = {
    school: year.schoolId,
    year: year.name,
    createdAt: new Date().toISOString(),
    retention: { journalsYears: retention.journals, summarySheetsYears: retention.summarySheets },
    files,
  };
  await writeFile(path.join(args.out, "retention.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return { files: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0), manifest };
}
