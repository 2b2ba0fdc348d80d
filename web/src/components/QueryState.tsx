import { Alert, Button } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useT } from "@/lib/i18n";
import { PageLoader } from "./PageLoader";

/** A query's loading and error states, the same on every page; the server's message as it is. */
export function QueryState<T>({
  query,
  children,
}: {
  query: UseQueryResult<T>;
  children(data: T): ReactNode;
}) {
  const t = useT();
  if (query.isPending) return <PageLoader />;
  if (query.isError)
    return (
      <Alert color="red" role="alert" title={t("app.error")}>
        {query.error.message}
        <div>
          <Button mt="sm" size="xs" variant="light" onClick={() => void query.refetch()}>
            {t("app.retry")}
          </Button>
        </div>
      </Alert>
    );
  return <>{children(query.data)}</>;
}
