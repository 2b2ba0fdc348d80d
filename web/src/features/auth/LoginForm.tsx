import { Alert, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useT } from "@/lib/i18n";
import { signIn } from "@/lib/session";

/** Login and password; the server's refusal (wrong password, blocked, too many tries) as it says it. */
export function LoginForm() {
  const t = useT();
  const [login, setLogin] = useState(() => sessionStorage.getItem("zh_login") ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(login.trim(), password);
      sessionStorage.setItem("zh_login", login.trim());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label={t("auth.login")}
          autoComplete="username"
          required
          withAsterisk={false}
          value={login}
          onChange={(e) => setLogin(e.currentTarget.value)}
          data-autofocus
        />
        <PasswordInput
          label={t("auth.password")}
          autoComplete="current-password"
          required
          withAsterisk={false}
          visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          {t("auth.submit")}
        </Button>
      </Stack>
    </form>
  );
}
