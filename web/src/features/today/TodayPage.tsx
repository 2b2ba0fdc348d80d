import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { QueryState } from "@/components/QueryState";
import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";
import { useI18n } from "@/lib/i18n";

const shift = (iso: string, days: number) => {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * The teacher's day, as the bot's /today: my lessons and substitutions of a day, each with what
 * is still not filled in (the core decides what counts as missing). Without ?date — the school's
 * today, as the server computes it in the school's time zone.
 */
export function TodayPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const date = params.get("date") ?? undefined;
  const lessons = useQuery({
    queryKey: ["my-lessons", date ?? "today"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/me/lessons", { params: { query: date ? { date } : {} } })),
  });
  const shown = date ?? lessons.data?.[0]?.date ?? new Date().toISOString().slice(0, 10);
  const label = new Date(`${shown}T12:00:00Z`).toLocaleDateString(lang === "ru" ? "ru-RU" : "en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
  });

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h3">
          {t("today.title")}: {label}
        </Title>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            onClick={() => setParams({ date: shift(shown, -1) })}
            aria-label={t("today.prev")}
          >
            ←
          </Button>
          <Button size="xs" variant="default" onClick={() => setParams({})}>
            {t("today.today")}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => setParams({ date: shift(shown, 1) })}
            aria-label={t("today.next")}
          >
            →
          </Button>
        </Group>
      </Group>
      <QueryState query={lessons}>
        {(list) =>
          list.length === 0 ? (
            <Text>{t("today.none")}</Text>
          ) : (
            <Stack gap="xs" component="ol" p={0} style={{ listStyle: "none" }}>
              {list.map((l) => (
                <Card key={l.id} withBorder padding="sm" component="li">
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Group gap="xs">
                      <Text fw={600}>
                        {l.lessonNumber}. {l.startsAt}–{l.endsAt}
                      </Text>
                      <Anchor component={Link} to={`/lessons/${l.id}`} fw={600}>
                        {l.className} · {l.subject.name}
                        {l.subgroup ? ` (${l.subgroup.name})` : ""}
                      </Anchor>
                      {l.substituting && <Badge color="grape">{t("today.substituting")}</Badge>}
                    </Group>
                    <Anchor
                      component={Link}
                      to={`/journal?classId=${l.classId}&subjectId=${l.subjectId}&date=${l.date}`}
                      size="sm"
                    >
                      {t("today.grid")}
                    </Anchor>
                  </Group>
                  {l.missing.length === 0 ? (
                    <Text size="sm" c="green.9">
                      ✓ {t("today.done")}
                    </Text>
                  ) : (
                    <Group gap={4} mt={4}>
                      <Text size="sm">{t("today.missing")}</Text>
                      {l.missing.map((m) => (
                        <Badge key={m} color="orange" variant="light">
                          {t(`today.missing.${m}`)}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Card>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
