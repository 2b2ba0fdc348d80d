import { Center, Loader } from "@mantine/core";
import { useT } from "@/lib/i18n";

export function PageLoader() {
  const t = useT();
  return (
    <Center py="xl" aria-busy="true">
      <Loader aria-label={t("app.loading")} />
    </Center>
  );
}
