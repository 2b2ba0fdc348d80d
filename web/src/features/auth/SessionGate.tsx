import { Center, Loader, Modal } from "@mantine/core";
import { type ReactNode, useEffect, useSyncExternalStore } from "react";
import { useT } from "@/lib/i18n";
import { getSessionState, restore, subscribeSession } from "@/lib/session";
import { LoginForm } from "./LoginForm";
import { LoginPage } from "./LoginPage";

export const useSessionState = () => useSyncExternalStore(subscribeSession, getSessionState);

/**
 * Shows the app to a signed-in person and the sign-in page to anyone else. When the session ends
 * mid-work the page stays as it is under a sign-in dialog; the requests that met the expiry wait
 * and go through after the new sign-in.
 */
export function SessionGate({ children, onSignOut }: { children: ReactNode; onSignOut(): void }) {
  const state = useSessionState();
  const t = useT();
  useEffect(() => {
    if (getSessionState() === "unknown") void restore();
  }, []);
  useEffect(() => {
    if (state === "signed-out") onSignOut();
  }, [state, onSignOut]);
  if (state === "unknown")
    return (
      <Center h="100vh" aria-busy="true">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  if (state === "signed-out") return <LoginPage />;
  return (
    <>
      {children}
      <Modal
        opened={state === "expired"}
        onClose={() => {}}
        withCloseButton={false}
        closeOnEscape={false}
        closeOnClickOutside={false}
        title={t("auth.expired")}
      >
        <LoginForm />
      </Modal>
    </>
  );
}
