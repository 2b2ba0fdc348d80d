import { ActionIcon, Alert, Button, Group, NativeSelect, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { QueryState } from "@/components/QueryState";
import { addDays, ruDate, todayIn, weekOf } from "@/lib/dates";
import { type MessageKey, useT } from "@/lib/i18n";
import { type Reason, useClassAbsences, useSetReasons } from "../api";

const REASONS: Reason[] = ["EXCUSED", "ILLNESS", "UNEXCUSED"];

/**
 * The week's absence page (002 §4.3.7): every «н» and lateness of the class, with the reason the
 * class teacher sets (003 §5.3); changed reasons are saved together in one request.
 */
export function AbsencesTab({ classId, timeZone }: { classId: number; timeZone: string }) {
  const t = useT();
  const [week, setWeek] = useState(() => weekOf(todayIn(timeZone)));
  const [changed, setChanged] = useState<Map<number, Reason>>(new Map());
  const query = useClassAbsences(classId, week.from, week.to);
  const save = useSetReasons(classId);
  const move = (days: number) => {
    setWeek(weekOf(addDays(week.from, days)));
    setChanged(new Map());
    save.reset();
  };
  const submit = () =>
    save.mutate(
      [...changed].map(([attendanceId, reason]) => ({ attendanceId, reason })),
      { onSuccess: () => setChanged(new Map()) },
    );

  return (
    <Stack>
      <Group gap="xs">
        <ActionIcon variant="default" aria-label={t("ct.prevWeek")} onClick={() => move(-7)}>
          ‹
        </ActionIcon>
        <Text fw={500} aria-live="polite">
          {t("ct.week", { from: ruDate(week.from), to: ruDate(week.to) })}
        </Text>
        <ActionIcon variant="default" aria-label={t("ct.nextWeek")} onClick={() => move(7)}>
          ›
        </ActionIcon>
      </Group>
      <QueryState query={query}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">{t("ct.noAbsences")}</Text>
          ) : (
            <Stack>
              <Table.ScrollContainer minWidth={560}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("ct.date")}</Table.Th>
                      <Table.Th>{t("ct.lesson")}</Table.Th>
                      <Table.Th>{t("ct.pupil")}</Table.Th>
                      <Table.Th>{t("ct.kind")}</Table.Th>
                      <Table.Th>{t("ct.reason")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r) => {
                      const value = changed.get(r.attendanceId) ?? r.reason ?? "";
                      return (
                        <Table.Tr key={r.attendanceId}>
                          <Table.Td>{ruDate(r.date)}</Table.Td>
                          <Table.Td>
                            {r.lessonNumber}. {r.subject.name}
                          </Table.Td>
                          <Table.Td>
                            {r.pupil.lastName} {r.pupil.firstName}
                          </Table.Td>
                          <Table.Td>{t(`ct.kind.${r.kind}` as MessageKey)}</Table.Td>
                          <Table.Td>
                            <NativeSelect
                              size="xs"
                              aria-label={t("ct.reasonFor", {
                                pupil: `${r.pupil.lastName} ${r.pupil.firstName}`,
                                date: ruDate(r.date),
                                subject: r.subject.name,
                              })}
                              value={value}
                              data={[
                                ...(value === "" ? [{ value: "", label: t("ct.reason.none") }] : []),
                                ...REASONS.map((x) => ({
                                  value: x,
                                  label: t(`ct.reason.${x}` as MessageKey),
                                })),
                              ]}
                              onChange={(e) => {
                                const next = new Map(changed);
                                next.set(r.attendanceId, e.currentTarget.value as Reason);
                                setChanged(next);
                                save.reset();
                              }}
                            />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {save.error && (
                <Alert color="red" role="alert">
                  {save.error.message}
                </Alert>
              )}
              {save.isSuccess && (
                <Alert color="green" role="status">
                  {t("ct.saved")}
                </Alert>
              )}
              <Group>
                <Button onClick={submit} disabled={changed.size === 0} loading={save.isPending}>
                  {t("ct.saveReasons", { count: changed.size })}
                </Button>
              </Group>
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
