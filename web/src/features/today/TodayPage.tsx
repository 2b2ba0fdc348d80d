import { Title } from "@mantine/core";

export function TodayPage() {
  return <Title order={1}>TodayPage</Title>;
}
