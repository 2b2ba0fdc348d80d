import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";

/** The choices the report forms offer: classes, subjects, this year's periods, teachers, a class's pupils. */
const long = { staleTime: 300_000 };

export const useClassOptions = () =>
  useQuery({ queryKey: ["classes"], queryFn: async () => unwrap(await api.GET("/api/v1/classes")), ...long });
export const useSubjectOptions = () =>
  useQuery({
    queryKey: ["subjects"],
    queryFn: async () => unwrap(await api.GET("/api/v1/subjects")),
    ...long,
  });
export const usePeriodOptions = () =>
  useQuery({ queryKey: ["periods"], queryFn: async () => unwrap(await api.GET("/api/v1/periods")), ...long });
export const useTeacherOptions = () =>
  useQuery({
    queryKey: ["people", "TEACHER"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/people", { params: { query: { role: "TEACHER", limit: 100 } } })),
    ...long,
  });
export const usePupilOptions = (classId: number | null) =>
  useQuery({
    queryKey: ["class", classId, "pupils"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/classes/{classId}/pupils", { params: { path: { classId: classId! } } })),
    enabled: classId !== null,
    ...long,
  });
