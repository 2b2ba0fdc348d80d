import {
  Anchor,
  AppShell,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Suspense, useState } from "react";
import { Outlet, NavLink as RouterLink, useNavigation } from "react-router";
import { useMe } from "@/features/auth/api";
import { ChangePasswordDialog } from "@/features/auth/ChangePasswordDialog";
import { useI18n } from "@/lib/i18n";
import { signOut } from "@/lib/session";
import { NAV } from "./nav";
import { PageLoader } from "./PageLoader";

/** The frame of every page: header (menu, language, account), side menu, the page. */
export function Layout() {
  const { t, lang, setLang } = useI18n();
  const [opened, { toggle, close }] = useDisclosure();
  const [passwordOpen, setPasswordOpen] = useState(false);
  const me = useMe();
  const navigation = useNavigation();
  const roles = me.data?.roles ?? [];
  const items = NAV.filter((item) => !item.roles || item.roles.some((r) => roles.includes(r as never)));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Anchor href="#main" className="skip-link">
          {t("app.skip")}
        </Anchor>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("app.menu")} />
            <Title order={2} size="h4">
              {t("app.title")}
            </Title>
            {me.data && (
              <Text size="sm" c="dimmed" visibleFrom="md" truncate>
                {me.data.school.name}
              </Text>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="subtle"
              size="compact-sm"
              aria-label={t("lang.label")}
              onClick={() => setLang(lang === "ru" ? "en" : "ru")}
            >
              {lang === "ru" ? "EN" : "RU"}
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" size="compact-sm" aria-label={t("auth.account")}>
                  {me.data ? `${me.data.lastName} ${me.data.firstName.slice(0, 1)}.` : "…"}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => setPasswordOpen(true)}>{t("auth.changePassword")}</Menu.Item>
                <Menu.Item color="red" onClick={() => void signOut()}>
                  {t("auth.signOut")}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t("app.menu")}>
        <ScrollArea>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={RouterLink}
              to={item.to}
              end={item.to === "/"}
              label={t(item.label)}
              onClick={close}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} aria-busy={navigation.state === "loading"}>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <ChangePasswordDialog opened={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </AppShell>
  );
}
