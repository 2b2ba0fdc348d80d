import { Title } from "@mantine/core";

export function LessonPage() {
  return <Title order={1}>LessonPage</Title>;
}
