import { Alert, Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import { QueryState } from "@/components/QueryState";
import { ruDate } from "@/lib/dates";
import { type MessageKey, useT } from "@/lib/i18n";
import { useClassGuardians, usePrintInvites } from "../api";

const COLOR = { telegram: "teal", email: "blue", none: "gray" } as const;

/** Pupils with their guardians and how each is reached; one click prints the invitations. */
export function GuardiansTab({ classId, className }: { classId: number; className: string }) {
  const t = useT();
  const query = useClassGuardians(classId);
  const print = usePrintInvites(classId, className);
  return (
    <QueryState query={query}>
      {(data) => (
        <Stack>
          <Group justify="space-between" align="flex-start">
            <Text role="status">{t("ct.totals", data.totals)}</Text>
            <Stack gap={4} align="flex-end">
              <Button onClick={() => print.mutate()} loading={print.isPending}>
                {t("ct.print")}
              </Button>
              <Text size="xs" c="dimmed" maw={320} ta="right">
                {t("ct.printHint")}
              </Text>
            </Stack>
          </Group>
          {print.error && (
            <Alert color="red" role="alert">
              {print.error.message}
            </Alert>
          )}
          {print.isSuccess && (
            <Alert color="green" role="status">
              {t("ct.printed")}
            </Alert>
          )}
          <Table.ScrollContainer minWidth={480}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("ct.pupil")}</Table.Th>
                  <Table.Th>{t("ct.guardians")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.pupils.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      {p.lastName} {p.firstName} {p.middleName ?? ""}
                    </Table.Td>
                    <Table.Td>
                      {p.guardians.length === 0 && (
                        <Text size="sm" c="dimmed">
                          {t("ct.noGuardian")}
                        </Text>
                      )}
                      <Stack gap={4}>
                        {p.guardians.map((g) => (
                          <Group key={g.id} gap="xs" wrap="nowrap">
                            <Text size="sm">
                              {g.lastName} {g.firstName} {g.middleName ?? ""}
                            </Text>
                            <Badge color={COLOR[g.status]} variant="light">
                              {t(`ct.status.${g.status}` as MessageKey)}
                            </Badge>
                            {g.status !== "telegram" && g.inviteExpiresAt && (
                              <Text size="xs" c="dimmed">
                                {t("ct.codeUntil", { date: ruDate(g.inviteExpiresAt.slice(0, 10)) })}
                              </Text>
                            )}
                          </Group>
                        ))}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </QueryState>
  );
}
