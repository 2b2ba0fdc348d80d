import { Alert, Button, Group, Modal, PasswordInput, Stack } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/unwrap";
import { useT } from "@/lib/i18n";

/** Change own password; the server checks the current one and the new one's rules. */
export function ChangePasswordDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const t = useT();
  const [oldPassword, setOld] = useState("");
  const [newPassword, setNew] = useState("");
  const [again, setAgain] = useState("");
  const change = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/api/v1/auth/password", { body: { oldPassword, newPassword } })),
  });
  const mismatch = again.length > 0 && again !== newPassword;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mismatch) return;
    change.mutate();
  }
  function close() {
    setOld("");
    setNew("");
    setAgain("");
    change.reset();
    onClose();
  }

  return (
    <Modal opened={opened} onClose={close} title={t("auth.changePassword")}>
      <form onSubmit={submit}>
        <Stack>
          <PasswordInput
            label={t("auth.oldPassword")}
            autoComplete="current-password"
            value={oldPassword}
            onChange={(e) => setOld(e.currentTarget.value)}
            required
            data-autofocus
          />
          <PasswordInput
            label={t("auth.newPassword")}
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
            required
          />
          <PasswordInput
            label={t("auth.newPasswordAgain")}
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.currentTarget.value)}
            error={mismatch ? t("auth.mismatch") : undefined}
            required
          />
          {change.error && (
            <Alert color="red" role="alert">
              {change.error.message}
            </Alert>
          )}
          {change.isSuccess && (
            <Alert color="green" role="status">
              {t("auth.passwordChanged")}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {change.isSuccess ? "OK" : t("auth.cancel")}
            </Button>
            {!change.isSuccess && (
              <Button type="submit" loading={change.isPending} disabled={mismatch}>
                {t("auth.save")}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
