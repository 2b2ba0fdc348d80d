import { Alert, Button, Group, List, Modal, Select, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { QueryState } from "@/components/QueryState";
import { useT } from "@/lib/i18n";
import { type CorrectionReason, correctMark, useCorrectionReasons, useMarkHistory } from "../api";

const when = (iso: string) =>
  new Date(iso).toLocaleString("ru-RU", { dateStyle: "short", timeStyle: "short" });
const shown = (v: string | null, v2: string | null) => (v2 ? `${v}/${v2}` : (v ?? "—"));

/** A mark's history: who posted it and every change after, oldest first. */
export function HistoryDialog({ markId, onClose }: { markId: number | null; onClose(): void }) {
  const t = useT();
  const history = useMarkHistory(markId);
  const reasons = useCorrectionReasons();
  return (
    <Modal opened={markId !== null} onClose={onClose} title={t("grid.history")}>
      <QueryState query={history}>
        {(h) => (
          <Stack gap="xs">
            <Text size="sm">
              {t("grid.historyPosted", {
                value: shown(h.mark.value, h.mark.value2),
                author: `${h.mark.author.lastName} ${h.mark.author.firstName}`,
                at: when(String(h.mark.createdAt)),
              })}
            </Text>
            {h.changes.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t("grid.historyEmpty")}
              </Text>
            ) : (
              <List size="sm">
                {h.changes.map((c) => (
                  <List.Item key={c.id}>
                    {shown(c.oldValue, c.oldValue2)} → {shown(c.newValue, c.newValue2)} — {c.author.lastName},{" "}
                    {when(String(c.createdAt))}
                    {c.change !== "EDIT"
                      ? ` (${reasons.data?.find((r) => r.reason === c.change)?.label ?? c.change})`
                      : ""}
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        )}
      </QueryState>
    </Modal>
  );
}

/** Correcting a locked mark (deputy head, admin): a listed reason is required; the core decides. */
export function CorrectionDialog({
  target,
  onClose,
  onDone,
}: {
  target: { markId: number; value: string } | null;
  onClose(): void;
  onDone(): void;
}) {
  const t = useT();
  const reasons = useCorrectionReasons();
  const [value, setValue] = useState("");
  const [reason, setReason] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      correctMark(target!.markId, value.trim(), reason as CorrectionReason, note.trim() || undefined),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["grid"] });
      onDone();
    },
  });
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={t("grid.correct")}
      onEnterTransitionEnd={() => {
        setValue(target?.value ?? "");
        save.reset();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <TextInput
            label={t("grid.newValue")}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            data-autofocus
          />
          <Select
            label={t("grid.reason")}
            data={(reasons.data ?? []).map((r) => ({ value: r.reason, label: r.label }))}
            value={reason}
            onChange={setReason}
          />
          <Textarea
            label={t("grid.note")}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          {save.error && (
            <Alert color="red" role="alert">
              {save.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("grid.close")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("grid.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
