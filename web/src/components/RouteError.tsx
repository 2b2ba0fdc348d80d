import { Alert, Button, Center } from "@mantine/core";
import { useRouteError } from "react-router";
import { useT } from "@/lib/i18n";

/** A page that failed to load (e.g. a chunk of an older build after an update): offer a reload. */
export function RouteError() {
  const t = useT();
  const error = useRouteError() as Error | undefined;
  return (
    <Center p="xl">
      <Alert color="red" role="alert" title={t("app.error")}>
        {error?.message}
        <div>
          <Button mt="sm" size="xs" onClick={() => window.location.reload()}>
            {t("app.retry")}
          </Button>
        </div>
      </Alert>
    </Center>
  );
}
