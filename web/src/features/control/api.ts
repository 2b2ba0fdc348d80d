import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";

export const useControlDashboard = (from: string, to: string) =>
  useQuery({
    queryKey: ["control", from, to],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/control/dashboard", { params: { query: { from, to } } })),
    enabled: from !== "" && to !== "" && from <= to,
  });

export type Dashboard = NonNullable<ReturnType<typeof useControlDashboard>["data"]>;
export type DashboardRow = Dashboard["rows"][number];
