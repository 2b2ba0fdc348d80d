import { useQuery } from "@tanstack/react-query";
import { api, type paths } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";

export interface GridKey {
  classId: number;
  subjectId: number;
  periodId: number;
  subgroupId?: number;
}

export const gridQueryKey = (k: GridKey) =>
  ["grid", k.classId, k.subjectId, k.periodId, k.subgroupId ?? 0] as const;

/** The journal page: lessons, pupils, cells, averages — one request. */
export const useGrid = (k: GridKey) =>
  useQuery({
    queryKey: gridQueryKey(k),
    queryFn: async () => unwrap(await api.GET("/api/v1/journal-grid", { params: { query: k } })),
  });
export type Grid = NonNullable<ReturnType<typeof useGrid>["data"]>;

/** Period marks already set and suggested (shown in the last column); staff who may not see it get none. */
export const usePeriodSummary = (k: GridKey) =>
  useQuery({
    queryKey: ["period-summary", k.classId, k.subjectId, k.periodId],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/period-marks/summary", {
          params: { query: { classId: k.classId, subjectId: k.subjectId, periodId: k.periodId } },
        }),
      ),
    retry: false,
  });

/** What the picker offers: my teaching load (everyone's for the administration) and the periods. */
export const useAssignments = (teacherId?: number) =>
  useQuery({
    queryKey: ["assignments", teacherId ?? 0],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/assignments", { params: { query: teacherId ? { teacherId } : {} } })),
  });
export const usePeriods = () =>
  useQuery({
    queryKey: ["periods"],
    queryFn: async () => unwrap(await api.GET("/api/v1/periods", { params: { query: {} } })),
    staleTime: 600_000,
  });

/** One column's marks in one request (the core checks every value; a refusal saves nothing). */
export async function saveColumn(lessonId: number, marks: { pupilId: number; value: string }[]) {
  return unwrap(
    await api.POST("/api/v1/lessons/{lessonId}/marks", { params: { path: { lessonId } }, body: { marks } }),
  );
}

/** A lesson's attendance as a whole: the listed pupils are absent or late, the rest present. */
export async function saveAttendance(
  lessonId: number,
  entries: { pupilId: number; kind: "ABSENT" | "LATE" }[],
) {
  return unwrap(
    await api.PUT("/api/v1/lessons/{lessonId}/attendance", {
      params: { path: { lessonId } },
      body: { entries },
    }),
  );
}

export async function correctMark(markId: number, value: string, reason: CorrectionReason, note?: string) {
  return unwrap(
    await api.POST("/api/v1/marks/{markId}/corrections", {
      params: { path: { markId } },
      body: { value, reason, ...(note ? { note } : {}) },
    }),
  );
}
type CorrectionBody =
  paths["/api/v1/marks/{markId}/corrections"]["post"]["requestBody"]["content"]["application/json"];
export type CorrectionReason = CorrectionBody["reason"];

/** The listed reasons (003 §7) as the core names them. */
export const useCorrectionReasons = () =>
  useQuery({
    queryKey: ["correction-reasons"],
    queryFn: async () => unwrap(await api.GET("/api/v1/marks/correction-reasons")),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const useMarkHistory = (markId: number | null) =>
  useQuery({
    queryKey: ["mark-history", markId],
    enabled: markId !== null,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/marks/{markId}/history", { params: { path: { markId: markId! } } })),
  });
