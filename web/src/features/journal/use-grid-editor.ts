import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { type Grid, type GridKey, gridQueryKey, saveAttendance, saveColumn } from "./api";
import { parseCellEntry } from "./cell-entry";

export type Draft = { text: string; status: "saving" | "refused"; message?: string };
export const cellKey = (pupilId: number, lessonId: number) => `${pupilId}:${lessonId}`;

/**
 * The grid's edits. A committed cell shows as a draft ("saving") until the server answers; marks
 * of one column go in one request (cells committed while that column's request is in flight go
 * together in the next one); «н»/«оп»/«+» save the lesson's attendance. A refusal keeps the typed
 * value on the cell with the core's message; nothing of that request was saved.
 */
export function useGridEditor(key: GridKey, grid: Grid | undefined) {
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<Map<string, Draft>>(new Map());
  const [status, setStatus] = useState<{ kind: "saving" | "saved" | "refused"; message?: string } | null>(
    null,
  );
  const pendingMarks = useRef(new Map<number, Map<number, string>>());
  const pendingAttendance = useRef(new Map<number, Map<number, "ABSENT" | "LATE" | null>>());
  const inflight = useRef(new Set<string>());
  const gridRef = useRef(grid);
  gridRef.current = grid;

  const patch = useCallback(
    (cells: { pupilId: number; lessonId: number; draft: Draft | null; onlyIf?: string }[]) => {
      setDrafts((old) => {
        const next = new Map(old);
        for (const c of cells) {
          const k = cellKey(c.pupilId, c.lessonId);
          if (c.onlyIf !== undefined && next.get(k)?.text !== c.onlyIf) continue;
          if (c.draft) next.set(k, c.draft);
          else next.delete(k);
        }
        return next;
      });
    },
    [],
  );

  const refused = useCallback(
    (lessonId: number, sent: Map<number, string>, error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      patch(
        [...sent].map(([pupilId, text]) => ({
          pupilId,
          lessonId,
          draft: { text, status: "refused", message },
        })),
      );
      setStatus({ kind: "refused", message });
    },
    [patch],
  );

  const saved = useCallback(
    async (lessonId: number, sent: Map<number, string>) => {
      await queryClient.invalidateQueries({ queryKey: gridQueryKey(key) });
      patch([...sent].map(([pupilId, text]) => ({ pupilId, lessonId, draft: null, onlyIf: text })));
      setStatus({ kind: "saved" });
    },
    [queryClient, key, patch],
  );

  const flushMarks = useCallback(
    async (lessonId: number) => {
      const id = `m:${lessonId}`;
      const queue = pendingMarks.current.get(lessonId);
      if (inflight.current.has(id) || !queue?.size) return;
      pendingMarks.current.delete(lessonId);
      inflight.current.add(id);
      setStatus({ kind: "saving" });
      const texts = new Map(queue);
      try {
        await saveColumn(
          lessonId,
          [...queue].map(([pupilId, value]) => ({ pupilId, value })),
        );
        await saved(lessonId, texts);
      } catch (error) {
        refused(lessonId, texts, error);
      } finally {
        inflight.current.delete(id);
        if (pendingMarks.current.get(lessonId)?.size) void flushMarks(lessonId);
      }
    },
    [saved, refused],
  );

  const flushAttendance = useCallback(
    async (lessonId: number) => {
      const id = `a:${lessonId}`;
      const queue = pendingAttendance.current.get(lessonId);
      if (inflight.current.has(id) || !queue?.size) return;
      pendingAttendance.current.delete(lessonId);
      inflight.current.add(id);
      setStatus({ kind: "saving" });
      const current = new Map<number, "ABSENT" | "LATE">();
      for (const c of gridRef.current?.cells ?? []) {
        if (c.lessonId === lessonId && c.attendance) current.set(c.pupilId, c.attendance.kind);
      }
      for (const [pupilId, kind] of queue) {
        if (kind) current.set(pupilId, kind);
        else current.delete(pupilId);
      }
      const texts = new Map(
        [...queue].map(([p, k]) => [p, k === "ABSENT" ? "н" : k === "LATE" ? "оп" : "+"]),
      );
      try {
        await saveAttendance(
          lessonId,
          [...current].map(([pupilId, kind]) => ({ pupilId, kind })),
        );
        await saved(lessonId, texts);
      } catch (error) {
        refused(lessonId, texts, error);
      } finally {
        inflight.current.delete(id);
        if (pendingAttendance.current.get(lessonId)?.size) void flushAttendance(lessonId);
      }
    },
    [saved, refused],
  );

  /** A cell's typed text is final (Enter, Tab, an arrow, leaving it): save it. */
  const commit = useCallback(
    (pupilId: number, lessonId: number, text: string) => {
      const entry = parseCellEntry(text);
      if (entry.kind === "none") return;
      const shown =
        entry.kind === "mark"
          ? entry.value
          : entry.kind === "absent"
            ? "н"
            : entry.kind === "late"
              ? "оп"
              : "+";
      patch([{ pupilId, lessonId, draft: { text: shown, status: "saving" } }]);
      if (entry.kind === "mark") {
        const queue = pendingMarks.current.get(lessonId) ?? new Map<number, string>();
        queue.set(pupilId, entry.value);
        pendingMarks.current.set(lessonId, queue);
        void flushMarks(lessonId);
      } else {
        const queue = pendingAttendance.current.get(lessonId) ?? new Map();
        queue.set(pupilId, entry.kind === "absent" ? "ABSENT" : entry.kind === "late" ? "LATE" : null);
        pendingAttendance.current.set(lessonId, queue);
        void flushAttendance(lessonId);
      }
    },
    [patch, flushMarks, flushAttendance],
  );

  return { drafts, status, commit, setStatus };
}
