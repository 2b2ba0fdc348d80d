import { Button, Center, Group, Paper, Title } from "@mantine/core";
import { useI18n } from "@/lib/i18n";
import { LoginForm } from "./LoginForm";

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={380}>
        <Group justify="space-between" mb="md" wrap="nowrap">
          <Title order={1} size="h3">
            {t("auth.title")}
          </Title>
          <Button variant="subtle" size="compact-sm" onClick={() => setLang(lang === "ru" ? "en" : "ru")}>
            {t("lang.switch")}
          </Button>
        </Group>
        <LoginForm />
      </Paper>
    </Center>
  );
}
