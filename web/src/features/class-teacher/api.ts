import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";
import { saveFile } from "./save-file";

/** The class teacher's data: the class's families, the week's absences, messages to guardians. */

export const useClasses = (enabled: boolean) =>
  useQuery({
    queryKey: ["classes"],
    queryFn: async () => unwrap(await api.GET("/api/v1/classes")),
    enabled,
    staleTime: 300_000,
  });

export const useClassGuardians = (classId: number) =>
  useQuery({
    queryKey: ["class", classId, "guardians"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/classes/{classId}/guardians", { params: { path: { classId } } })),
  });

/** Issues a code to every guardian not linked to the bot and saves the printable slips (PDF). */
export function usePrintInvites(classId: number, className: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const blob = unwrap(
        await api.POST("/api/v1/classes/{classId}/invites", {
          params: { path: { classId }, query: { format: "pdf" } },
          body: {},
          parseAs: "blob",
        }),
      ) as Blob;
      saveFile(blob, `Приглашения родителям ${className}.pdf`);
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["class", classId, "guardians"] }),
  });
}

export const useClassAbsences = (classId: number, from: string, to: string) =>
  useQuery({
    queryKey: ["class", classId, "absences", from, to],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/classes/{classId}/absences", {
          params: { path: { classId }, query: { from, to } },
        }),
      ),
  });

export type Reason = "EXCUSED" | "ILLNESS" | "UNEXCUSED";

export function useSetReasons(classId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (items: { attendanceId: number; reason: Reason }[]) =>
      unwrap(await api.PUT("/api/v1/attendance/reasons", { body: { items } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["class", classId, "absences"] }),
  });
}

/** The class's messages; the counts refresh while the page is open («Ознакомлен» live). */
export const useClassMessages = (classId: number) =>
  useQuery({
    queryKey: ["class", classId, "messages"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/classes/{classId}/messages", { params: { path: { classId } } })),
    refetchInterval: 10_000,
  });

export function useSendClassMessage(classId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (m: { body: string; needsAck: boolean; urgent: boolean }) =>
      unwrap(await api.POST("/api/v1/messages", { body: { kind: "CLASS", classId, ...m } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["class", classId, "messages"] }),
  });
}

export const useAckStatus = (messageId: number | null) =>
  useQuery({
    queryKey: ["message", messageId, "acks"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/messages/{messageId}/acknowledgements", {
          params: { path: { messageId: messageId! } },
        }),
      ),
    enabled: messageId !== null,
    refetchInterval: 10_000,
  });
