import { Alert, Badge, Button, Card, Checkbox, Group, List, Stack, Text, Textarea } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { QueryState } from "@/components/QueryState";
import { useT } from "@/lib/i18n";
import { useAckStatus, useClassMessages, useSendClassMessage } from "../api";

/** Write to the class's guardians; each message shows who got, read and acknowledged it, live. */
export function MessagesTab({ classId }: { classId: number }) {
  const t = useT();
  const query = useClassMessages(classId);
  const send = useSendClassMessage(classId);
  const [body, setBody] = useState("");
  const [needsAck, setNeedsAck] = useState(true);
  const [urgent, setUrgent] = useState(false);
  const [open, setOpen] = useState<number | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate({ body, needsAck, urgent }, { onSuccess: () => setBody("") });
  }

  return (
    <Stack>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Textarea
            label={t("ct.newMessage")}
            value={body}
            onChange={(e) => {
              setBody(e.currentTarget.value);
              send.reset();
            }}
            autosize
            minRows={3}
            maxLength={4000}
            required
          />
          <Group>
            <Checkbox
              label={t("ct.needsAck")}
              checked={needsAck}
              onChange={(e) => setNeedsAck(e.currentTarget.checked)}
            />
            <Checkbox
              label={t("ct.urgent")}
              checked={urgent}
              onChange={(e) => setUrgent(e.currentTarget.checked)}
            />
            <Button type="submit" loading={send.isPending} disabled={body.trim() === ""}>
              {t("ct.send")}
            </Button>
          </Group>
          {send.error && (
            <Alert color="red" role="alert">
              {send.error.message}
            </Alert>
          )}
          {send.isSuccess && (
            <Alert color="green" role="status">
              {t("ct.sent")}
            </Alert>
          )}
        </Stack>
      </form>
      <QueryState query={query}>
        {(messages) =>
          messages.length === 0 ? (
            <Text c="dimmed">{t("ct.noMessages")}</Text>
          ) : (
            <Stack gap="sm">
              {messages.map((m) => (
                <Card key={m.id} withBorder padding="sm" component="article" aria-label={m.body.slice(0, 60)}>
                  <Text size="xs" c="dimmed">
                    {new Date(m.createdAt).toLocaleString("ru-RU", {
                      dateStyle: "short",
                      timeStyle: "short",
                    })}
                  </Text>
                  <Text style={{ whiteSpace: "pre-wrap" }}>{m.body}</Text>
                  <Group gap="xs" mt="xs">
                    <Text size="sm" role="status">
                      {t("ct.counts", m.counts)}
                    </Text>
                    {m.counts.notLinked > 0 && (
                      <Badge color="orange" variant="light">
                        {t("ct.notLinked", { count: m.counts.notLinked })}
                      </Badge>
                    )}
                    {m.needsAck && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-expanded={open === m.id}
                        onClick={() => setOpen(open === m.id ? null : m.id)}
                      >
                        {open === m.id ? t("ct.hide") : t("ct.whoNot")}
                      </Button>
                    )}
                  </Group>
                  {open === m.id && <NotAcknowledged messageId={m.id} />}
                </Card>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}

function NotAcknowledged({ messageId }: { messageId: number }) {
  const t = useT();
  const query = useAckStatus(messageId);
  type Person = { personId: number; lastName: string; firstName: string; children: { firstName: string }[] };
  const names = (list: Person[]) =>
    list.map((p) => (
      <List.Item key={p.personId}>
        {p.lastName} {p.firstName}
        {p.children.length > 0 && ` (${p.children.map((c) => c.firstName).join(", ")})`}
      </List.Item>
    ));
  return (
    <QueryState query={query}>
      {(s) =>
        s.pending.length + s.notLinked.length === 0 ? (
          <Text size="sm" mt="xs">
            {t("ct.allAcked")}
          </Text>
        ) : (
          <Stack gap={4} mt="xs">
            {s.pending.length > 0 && (
              <>
                <Text size="sm" fw={500}>
                  {t("ct.pending")}
                </Text>
                <List size="sm">{names(s.pending)}</List>
              </>
            )}
            {s.notLinked.length > 0 && (
              <>
                <Text size="sm" fw={500}>
                  {t("ct.unreachable")}
                </Text>
                <List size="sm">{names(s.notLinked)}</List>
              </>
            )}
          </Stack>
        )
      }
    </QueryState>
  );
}
