import { Anchor, Card, Group, List, SimpleGrid, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { ruDate } from "@/lib/dates";
import { type MessageKey, useT } from "@/lib/i18n";
import type { DashboardRow } from "../api";
import { gridHref, lessonHref } from "../links";

/** Each teacher × class × subject with remarks: what exactly, and links to the journal and lessons. */
export function Details({ rows }: { rows: DashboardRow[] }) {
  const t = useT();
  return (
    <Stack gap="sm">
      {rows.map((r) => (
        <Card
          key={r.assignmentId}
          withBorder
          padding="sm"
          component="section"
          aria-label={`${r.teacher.name}, ${r.class.name}, ${r.subject.name}`}
        >
          <Group justify="space-between" wrap="wrap">
            <Text fw={600}>
              {r.teacher.name} · {r.class.name} · {r.subject.name}
              {r.subgroup ? ` (${r.subgroup.name})` : ""}
            </Text>
            <Anchor
              component={Link}
              to={gridHref(r)}
              aria-label={t("control.openFor", { class: r.class.name, subject: r.subject.name })}
            >
              {t("control.open")}
            </Anchor>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
            {r.unfilled.length > 0 && (
              <Block title={t("control.lessons")}>
                {r.unfilled.map((l) => (
                  <List.Item key={l.lessonId}>
                    <Anchor component={Link} to={lessonHref(l.lessonId)}>
                      {ruDate(l.date)}, {l.lessonNumber}
                    </Anchor>{" "}
                    — {l.gaps.map((g) => t(`control.gap.${g}` as MessageKey)).join(", ")}
                  </List.Item>
                ))}
              </Block>
            )}
            {r.late.length > 0 && (
              <Block title={t("control.lateList")}>
                {r.late.map((l) => (
                  <List.Item key={l.lessonId}>
                    {ruDate(l.date)}, {l.lessonNumber} —{" "}
                    {new Date(l.enteredAt).toLocaleString("ru-RU", {
                      dateStyle: "short",
                      timeStyle: "short",
                    })}
                  </List.Item>
                ))}
              </Block>
            )}
            {r.singleMark.length > 0 && (
              <Block title={t("control.pupils")}>
                {r.singleMark.map((p) => (
                  <List.Item key={p.pupilId}>{p.name}</List.Item>
                ))}
              </Block>
            )}
            {r.twos.length > 0 && (
              <Block title={t("control.twosList")}>
                {r.twos.map((p) => (
                  <List.Item key={`${p.pupilId}-${p.date}`}>
                    {p.name}, {ruDate(p.date)}
                  </List.Item>
                ))}
              </Block>
            )}
          </SimpleGrid>
        </Card>
      ))}
    </Stack>
  );
}

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      <List size="sm">{children}</List>
    </div>
  );
}
