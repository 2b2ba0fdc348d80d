import { Anchor, Stack, Title } from "@mantine/core";
import { Link } from "react-router";
import { useT } from "@/lib/i18n";

export function NotFound() {
  const t = useT();
  return (
    <Stack>
      <Title order={1}>{t("app.notFound")}</Title>
      <Anchor component={Link} to="/">
        {t("app.home")}
      </Anchor>
    </Stack>
  );
}
