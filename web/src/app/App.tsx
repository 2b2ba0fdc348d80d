import { createTheme, MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router";
import { SessionGate } from "@/features/auth/SessionGate";
import { I18nProvider } from "@/lib/i18n";
import { router } from "./router";

// System fonts only: the app works offline on a school's LAN, nothing is fetched from a CDN.
const theme = createTheme({
  primaryColor: "blue",
  primaryShade: 8,
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif",
});

export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 15_000, retry: 1, refetchOnWindowFocus: false } },
});

export function App() {
  return (
    <MantineProvider theme={theme}>
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          <SessionGate onSignOut={() => queryClient.clear()}>
            <RouterProvider router={router} />
          </SessionGate>
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>
  );
}
