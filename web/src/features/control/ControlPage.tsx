import { Alert, Group, Stack, Table, Tabs, Text, TextInput, Title } from "@mantine/core";
import { useSearchParams } from "react-router";
import { PageLoader } from "@/components/PageLoader";
import { QueryState } from "@/components/QueryState";
import { useMe } from "@/features/auth/api";
import { addDays, ruDate, todayIn } from "@/lib/dates";
import { type MessageKey, useT } from "@/lib/i18n";
import { type Dashboard, useControlDashboard } from "./api";
import { Details } from "./components/Details";
import { remarks } from "./links";

const COLUMNS = ["unfilled", "attendance", "topic", "homework", "late", "singleMark", "twos"] as const;

/**
 * The deputy head's control (002 §4.5.5, 004 §5.1) for a date range: totals per teacher and per
 * class, and per teacher × class × subject the lessons, pupils and marks behind them, each row
 * opening its journal page. The range lives in the address, so a view can be shared or reopened.
 */
export function ControlPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const today = me.data ? todayIn(me.data.school.timeZone) : "";
  const from = params.get("from") ?? (today && addDays(today, -14));
  const to = params.get("to") ?? today;
  const query = useControlDashboard(from, to);
  if (!me.data) return <PageLoader />;
  const set = (key: string, value: string) =>
    setParams((p) => {
      p.set(key, value);
      return p;
    });

  return (
    <Stack>
      <Title order={1}>{t("control.title")}</Title>
      <Group align="flex-end">
        <TextInput
          type="date"
          label={t("control.from")}
          value={from}
          max={to}
          onChange={(e) => set("from", e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t("control.to")}
          value={to}
          min={from}
          onChange={(e) => set("to", e.currentTarget.value)}
        />
      </Group>
      {from > to ? (
        <Alert color="red" role="alert">
          {t("control.badRange")}
        </Alert>
      ) : (
        <QueryState query={query}>{(d) => <DashboardView d={d} />}</QueryState>
      )}
    </Stack>
  );
}

function DashboardView({ d }: { d: Dashboard }) {
  const t = useT();
  const withRemarks = d.rows.filter((r) => remarks(r.totals) > 0);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t("control.asOf", { asOf: d.asOf, from: ruDate(d.from), to: ruDate(d.to) })}
      </Text>
      <Tabs defaultValue="teachers">
        <Tabs.List>
          <Tabs.Tab value="teachers">{t("control.byTeacher")}</Tabs.Tab>
          <Tabs.Tab value="classes">{t("control.byClass")}</Tabs.Tab>
          <Tabs.Tab value="details">{t("control.details")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="teachers" pt="md">
          <Summary list={d.teachers} who="control.teacher" />
        </Tabs.Panel>
        <Tabs.Panel value="classes" pt="md">
          <Summary list={d.classes} who="control.class" />
        </Tabs.Panel>
        <Tabs.Panel value="details" pt="md">
          {withRemarks.length === 0 ? <Text>{t("control.nothing")}</Text> : <Details rows={withRemarks} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** Totals per teacher or per class, the most remarks first (as the server orders them). */
function Summary({ list, who }: { list: Dashboard["teachers"]; who: MessageKey }) {
  const t = useT();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t(who)}</Table.Th>
            {COLUMNS.map((c) => (
              <Table.Th key={c} ta="right">
                {t(`control.${c}` as MessageKey)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Th scope="row" fw={400}>
                {s.name}
              </Table.Th>
              {COLUMNS.map((c) => (
                <Table.Td key={c} ta="right" c={s.totals[c] ? undefined : "dimmed"}>
                  {s.totals[c]}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
