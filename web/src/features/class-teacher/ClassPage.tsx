import { Alert, Group, Select, Stack, Tabs, Title } from "@mantine/core";
import { useSearchParams } from "react-router";
import { PageLoader } from "@/components/PageLoader";
import { useMe } from "@/features/auth/api";
import { useT } from "@/lib/i18n";
import { useClasses } from "./api";
import { AbsencesTab } from "./components/AbsencesTab";
import { GuardiansTab } from "./components/GuardiansTab";
import { MessagesTab } from "./components/MessagesTab";

const WIDE = ["ADMIN", "DEPUTY", "DIRECTOR"];

/**
 * The class teacher's page: the class list with each guardian's link to the bot and printed
 * invitations, the week's absences with reasons, messages to the guardians with «Ознакомлен».
 * The administration picks any class; a class teacher their own.
 */
export function ClassPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const wide = me.data?.roles.some((r) => WIDE.includes(r)) ?? false;
  const all = useClasses(wide);
  if (!me.data || (wide && all.isPending)) return <PageLoader />;
  const options = (wide ? (all.data ?? []) : me.data.classesLed).map((c) => ({
    value: String(c.id),
    label: `${c.grade}${c.letter}`,
  }));
  if (options.length === 0) return <Alert role="status">{t("ct.none")}</Alert>;
  const chosen = options.find((o) => o.value === params.get("classId")) ?? options[0]!;
  const classId = Number(chosen.value);
  const tab = params.get("tab") ?? "list";
  const set = (key: string, value: string) =>
    setParams((p) => {
      p.set(key, value);
      return p;
    });

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t("ct.title", { name: chosen.label })}</Title>
        {options.length > 1 && (
          <Select
            label={t("ct.choose")}
            data={options}
            value={chosen.value}
            onChange={(v) => v && set("classId", v)}
            allowDeselect={false}
            w={120}
          />
        )}
      </Group>
      <Tabs value={tab} onChange={(v) => v && set("tab", v)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="list">{t("ct.tab.list")}</Tabs.Tab>
          <Tabs.Tab value="absences">{t("ct.tab.absences")}</Tabs.Tab>
          <Tabs.Tab value="messages">{t("ct.tab.messages")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="list" pt="md">
          <GuardiansTab classId={classId} className={chosen.label} />
        </Tabs.Panel>
        <Tabs.Panel value="absences" pt="md">
          <AbsencesTab classId={classId} timeZone={me.data.school.timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="messages" pt="md">
          <MessagesTab classId={classId} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
