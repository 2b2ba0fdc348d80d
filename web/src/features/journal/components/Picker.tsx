import { Button, Group, Select, Stack, Title } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router";
import { QueryState } from "@/components/QueryState";
import { useMe } from "@/features/auth/api";
import { useT } from "@/lib/i18n";
import { useAssignments, usePeriods } from "../api";

const SCHOOL_WIDE = ["ADMIN", "DIRECTOR", "DEPUTY"];

/** Class × subject (or subgroup) from the teaching load, and the period (today's by default). */
export function Picker() {
  const t = useT();
  const me = useMe();
  const wide = me.data?.roles.some((r) => SCHOOL_WIDE.includes(r)) ?? false;
  const assignments = useAssignments(me.data && !wide ? me.data.id : undefined);
  const periods = usePeriods();
  const navigate = useNavigate();
  const [assignment, setAssignment] = useState<string | null>(null);
  const [period, setPeriod] = useState<string | null>(null);
  const today = new Date().toISOString().slice(0, 10);

  return (
    <Stack maw={480}>
      <Title order={1}>{t("grid.pick")}</Title>
      <QueryState query={assignments}>
        {(list) => (
          <Select
            label={t("grid.class")}
            searchable
            data={list
              .map((a) => ({
                value: String(a.id),
                label: `${a.class.grade}${a.class.letter} — ${a.subject.name}${a.subgroup ? ` (${a.subgroup.name})` : ""}${wide ? ` · ${a.teacher.lastName}` : ""}`,
              }))
              .sort((x, y) => x.label.localeCompare(y.label, "ru", { numeric: true }))}
            value={assignment}
            onChange={setAssignment}
          />
        )}
      </QueryState>
      <QueryState query={periods}>
        {({ periods: list }) => {
          const current = list.find(
            (p) => p.kind !== "YEAR" && p.startDate.slice(0, 10) <= today && today <= p.endDate.slice(0, 10),
          );
          return (
            <Select
              label={t("grid.period")}
              data={list.map((p) => ({ value: String(p.id), label: p.name }))}
              value={period ?? (current ? String(current.id) : null)}
              onChange={setPeriod}
            />
          );
        }}
      </QueryState>
      <Group>
        <Button
          disabled={!assignment}
          onClick={() => {
            const a = assignments.data?.find((x) => String(x.id) === assignment);
            const list = periods.data?.periods ?? [];
            const p =
              period ??
              String(
                list.find(
                  (x) =>
                    x.kind !== "YEAR" && x.startDate.slice(0, 10) <= today && today <= x.endDate.slice(0, 10),
                )?.id ??
                  list[0]?.id ??
                  "",
              );
            if (!a || !p) return;
            const q = new URLSearchParams({
              classId: String(a.classId),
              subjectId: String(a.subjectId),
              periodId: p,
            });
            if (a.subgroupId) q.set("subgroupId", String(a.subgroupId));
            navigate(`/journal?${q}`);
          }}
        >
          {t("grid.open")}
        </Button>
      </Group>
    </Stack>
  );
}
