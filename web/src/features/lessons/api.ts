import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";

export const useLesson = (lessonId: number) =>
  useQuery({
    queryKey: ["lesson", lessonId],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/lessons/{lessonId}", { params: { path: { lessonId } } })),
    retry: false,
  });
export type LessonSheet = NonNullable<ReturnType<typeof useLesson>["data"]>;

export const useControlForms = () =>
  useQuery({
    queryKey: ["control-forms"],
    queryFn: async () => unwrap(await api.GET("/api/v1/control-forms")),
    staleTime: 600_000,
  });

/** The КТП of the lesson's class × subject (× subgroup), to suggest the next planned topic. */
export const useTopicPlan = (lesson: LessonSheet | undefined) =>
  useQuery({
    queryKey: ["topic-plan", lesson?.classId, lesson?.subjectId, lesson?.subgroupId],
    enabled: !!lesson,
    queryFn: async () => {
      const list = unwrap(
        await api.GET("/api/v1/assignments", { params: { query: { classId: lesson!.classId } } }),
      );
      const a = list.find((x) => x.subjectId === lesson!.subjectId && x.subgroupId === lesson!.subgroupId);
      if (!a) return null;
      return unwrap(
        await api.GET("/api/v1/assignments/{assignmentId}/topic-plan", {
          params: { path: { assignmentId: a.id } },
        }),
      );
    },
    retry: false,
  });

export type LessonPatch = {
  topic?: string | null;
  homework?: string | null;
  homeworkNone?: boolean;
  controlFormId?: number | null;
  plannedTopicId?: number | null;
};

export async function patchLesson(lessonId: number, body: LessonPatch) {
  return unwrap(await api.PATCH("/api/v1/lessons/{lessonId}", { params: { path: { lessonId } }, body }));
}

export async function putAttendance(
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
