import { Alert, Anchor, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { QueryState } from "@/components/QueryState";
import { useT } from "@/lib/i18n";
import { type GridKey, useGrid, usePeriodSummary, usePeriods } from "./api";
import { GridTable } from "./components/GridTable";
import { CorrectionDialog, HistoryDialog } from "./components/MarkDialogs";
import { Picker } from "./components/Picker";
import { cellKey, useGridEditor } from "./use-grid-editor";

/** /journal?classId=&subjectId=&periodId=[&subgroupId=] — the page; without them, the picker. */
export function JournalPage() {
  const [params] = useSearchParams();
  const n = (k: string) => Number(params.get(k)) || undefined;
  const classId = n("classId");
  const subjectId = n("subjectId");
  const periodId = n("periodId");
  if (classId && subjectId && !periodId) return <PeriodOf date={params.get("date")} />;
  if (!classId || !subjectId || !periodId) return <Picker />;
  return <JournalGrid gridKey={{ classId, subjectId, periodId, subgroupId: n("subgroupId") }} />;
}

/** A link from a lesson (?date=) opens the period that holds that date. */
function PeriodOf({ date }: { date: string | null }) {
  const periods = usePeriods();
  const [params] = useSearchParams();
  const day = date ?? new Date().toISOString().slice(0, 10);
  return (
    <QueryState query={periods}>
      {({ periods: list }) => {
        const p =
          list.find(
            (x) => x.kind !== "YEAR" && x.startDate.slice(0, 10) <= day && day <= x.endDate.slice(0, 10),
          ) ?? list[0];
        if (!p) return <Picker />;
        const next = new URLSearchParams(params);
        next.delete("date");
        next.set("periodId", String(p.id));
        return <Navigate replace to={`/journal?${next}`} />;
      }}
    </QueryState>
  );
}

function JournalGrid({ gridKey }: { gridKey: GridKey }) {
  const t = useT();
  const grid = useGrid(gridKey);
  const summary = usePeriodSummary(gridKey);
  const editor = useGridEditor(gridKey, grid.data);
  const [active, setActive] = useState({ row: 0, col: 0 });
  const [historyOf, setHistoryOf] = useState<number | null>(null);
  const [correcting, setCorrecting] = useState<{ markId: number; value: string } | null>(null);

  const periodMarks = useMemo(() => {
    const map = new Map<number, { value: string | null; suggested: string | null }>();
    for (const r of summary.data?.rows ?? []) {
      map.set(r.pupilId, {
        value: r.set.find((s) => s.kind === "PERIOD")?.value ?? r.set[0]?.value ?? null,
        suggested: r.suggested,
      });
    }
    return map;
  }, [summary.data]);

  return (
    <QueryState query={grid}>
      {(g) => {
        const pupil = g.pupils[active.row];
        const lesson = g.lessons[active.col];
        const cell =
          pupil && lesson
            ? g.cells.find((c) => c.pupilId === pupil.pupilId && c.lessonId === lesson.id)
            : undefined;
        const mark = cell?.mark;
        return (
          <Stack gap="sm">
            <Group justify="space-between" wrap="wrap">
              <Title order={1} size="h3">
                {g.class.name} · {g.subject.name}
                {g.subgroup ? ` (${g.subgroup.name})` : ""} · {g.period.name}
              </Title>
              <Group gap="xs">
                {lesson && (
                  <Anchor component={Link} to={`/lessons/${lesson.id}`} size="sm">
                    {t("grid.lesson")} {lesson.date.slice(8, 10)}.{lesson.date.slice(5, 7)}
                  </Anchor>
                )}
                <Button
                  size="xs"
                  variant="default"
                  disabled={!mark}
                  onClick={() => mark && setHistoryOf(mark.id)}
                >
                  {t("grid.history")}
                </Button>
                {g.canCorrect && (
                  <Button
                    size="xs"
                    variant="default"
                    disabled={!mark}
                    onClick={() =>
                      mark &&
                      setCorrecting({
                        markId: mark.id,
                        value: mark.value2 ? `${mark.value}/${mark.value2}` : mark.value,
                      })
                    }
                  >
                    {t("grid.correct")}
                  </Button>
                )}
              </Group>
            </Group>
            <Text size="xs" c="dimmed" id="grid-help">
              {t("grid.help")}
            </Text>
            <div aria-live="polite" role="status" style={{ minHeight: 24 }}>
              {editor.status?.kind === "saving" && <Text size="sm">{t("grid.saving")}</Text>}
              {editor.status?.kind === "saved" && (
                <Text size="sm" c="green.9">
                  {t("grid.saved")}
                </Text>
              )}
            </div>
            {editor.status?.kind === "refused" && (
              <Alert color="red" role="alert" withCloseButton onClose={() => editor.setStatus(null)}>
                {t("grid.refused", { message: editor.status.message ?? "" })}
              </Alert>
            )}
            {g.lessons.length === 0 ? (
              <Text>{t("grid.noLessons")}</Text>
            ) : (
              <GridTable
                grid={g}
                drafts={editor.drafts}
                periodMarks={periodMarks}
                active={active}
                onActive={setActive}
                onCommit={editor.commit}
                onLockedEntry={(pupilId, lessonId, text) => {
                  if (!g.canCorrect) return false;
                  const locked = g.cells.find(
                    (c) => cellKey(c.pupilId, c.lessonId) === cellKey(pupilId, lessonId),
                  )?.mark;
                  if (!locked) return false;
                  setCorrecting({ markId: locked.id, value: text });
                  return true;
                }}
              />
            )}
            <HistoryDialog markId={historyOf} onClose={() => setHistoryOf(null)} />
            <CorrectionDialog
              target={correcting}
              onClose={() => setCorrecting(null)}
              onDone={() => setCorrecting(null)}
            />
          </Stack>
        );
      }}
    </QueryState>
  );
}
