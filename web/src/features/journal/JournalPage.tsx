import { Title } from "@mantine/core";

export function JournalPage() {
  return <Title order={1}>JournalPage</Title>;
}
