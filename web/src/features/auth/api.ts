import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";

/** The signed-in person: name, roles, school (its time zone), classes led, children. */
export const useMe = () =>
  useQuery({
    queryKey: ["me"],
    queryFn: async () => unwrap(await api.GET("/api/v1/me")),
    staleTime: 300_000,
  });

export type Me = NonNullable<ReturnType<typeof useMe>["data"]>;
