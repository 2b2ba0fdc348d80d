import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { QueryState } from "@/components/QueryState";
import { useT } from "@/lib/i18n";
import {
  type LessonPatch,
  type LessonSheet,
  patchLesson,
  putAttendance,
  useControlForms,
  useLesson,
  useTopicPlan,
} from "./api";

const fullName = (p: { lastName: string; firstName: string; middleName: string | null }) =>
  [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");

/** A lesson: topic (with the КТП's next topic), homework, form of control, attendance, the substitute. */
export function LessonPage() {
  const lessonId = Number(useParams().lessonId);
  const lesson = useLesson(lessonId);
  return <QueryState query={lesson}>{(l) => <LessonForm lesson={l} />}</QueryState>;
}

function LessonForm({ lesson }: { lesson: LessonSheet }) {
  const t = useT();
  const queryClient = useQueryClient();
  const forms = useControlForms();
  const plan = useTopicPlan(lesson);
  const [topic, setTopic] = useState(lesson.topic ?? "");
  const [plannedTopicId, setPlanned] = useState<number | null>(lesson.plannedTopicId);
  const [homework, setHomework] = useState(lesson.homework ?? "");
  const [homeworkNone, setHomeworkNone] = useState(lesson.homeworkNone);
  const [form, setForm] = useState<string | null>(lesson.controlFormId ? String(lesson.controlFormId) : null);
  const [attendance, setAttendance] = useState(
    () => new Map(lesson.pupils.map((p) => [p.pupilId, p.attendance?.kind ?? "PRESENT"])),
  );
  useEffect(() => {
    setAttendance(new Map(lesson.pupils.map((p) => [p.pupilId, p.attendance?.kind ?? "PRESENT"])));
  }, [lesson.pupils]);

  // The next planned topic: the first КТП item not yet given to a lesson (or the one chosen).
  const items = plan.data?.items ?? [];
  const suggestion =
    items.find((i) => i.id === lesson.plannedTopicId) ?? items.find((i) => i.lessons.length === 0);

  const save = useMutation({
    mutationFn: () => {
      const body: LessonPatch = {
        topic: topic.trim() || null,
        plannedTopicId,
        controlFormId: form ? Number(form) : null,
      };
      // Homework is sent only when it changed: the core refuses it for a past lesson.
      if ((lesson.homework ?? "") !== homework || lesson.homeworkNone !== homeworkNone) {
        body.homework = homeworkNone ? null : homework.trim() || null;
        body.homeworkNone = homeworkNone;
      }
      return patchLesson(lesson.id, body);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["lesson", lesson.id] }),
  });
  const saveAttendance = useMutation({
    mutationFn: () =>
      putAttendance(
        lesson.id,
        [...attendance]
          .filter(([, k]) => k !== "PRESENT")
          .map(([pupilId, kind]) => ({ pupilId, kind: kind as "ABSENT" | "LATE" })),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["lesson", lesson.id] }),
  });

  return (
    <Stack maw={760}>
      <Title order={1} size="h3">
        {lesson.className} · {lesson.subject.name}
        {lesson.subgroup ? ` (${lesson.subgroup.name})` : ""} · {lesson.date.split("-").reverse().join(".")},{" "}
        {lesson.lessonNumber} урок
      </Title>
      <Group gap="md">
        <Text size="sm">{t("lesson.teacher", { name: fullName(lesson.teacher) })}</Text>
        {lesson.substitute && (
          <Text size="sm" fw={600} c="grape.9">
            {t("lesson.substitute", { name: fullName(lesson.substitute) })}
          </Text>
        )}
        <Anchor
          component={Link}
          size="sm"
          to={`/journal?classId=${lesson.classId}&subjectId=${lesson.subjectId}&date=${lesson.date}${lesson.subgroupId ? `&subgroupId=${lesson.subgroupId}` : ""}`}
        >
          {t("lesson.grid")}
        </Anchor>
      </Group>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <TextInput
            label={t("lesson.topic")}
            value={topic}
            onChange={(e) => setTopic(e.currentTarget.value)}
          />
          {suggestion && suggestion.topic !== topic && (
            <Group gap="xs">
              <Text size="sm" c="dimmed">
                {t("lesson.suggested", { topic: `${suggestion.number}. ${suggestion.topic}` })}
              </Text>
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => {
                  setTopic(suggestion.topic);
                  setPlanned(suggestion.id);
                }}
              >
                {t("lesson.useSuggested")}
              </Button>
            </Group>
          )}
          {lesson.homeworkAllowed && (
            <>
              <Textarea
                label={t("lesson.homework")}
                value={homework}
                disabled={homeworkNone}
                onChange={(e) => setHomework(e.currentTarget.value)}
                autosize
                minRows={2}
              />
              <Checkbox
                label={t("lesson.homeworkNone")}
                checked={homeworkNone}
                onChange={(e) => setHomeworkNone(e.currentTarget.checked)}
              />
            </>
          )}
          <Select
            label={t("lesson.form")}
            placeholder={t("lesson.formNone")}
            clearable
            data={(forms.data ?? []).map((f) => ({ value: String(f.id), label: `${f.name} ×${f.weight}` }))}
            value={form}
            onChange={setForm}
          />
          {save.error && (
            <Alert color="red" role="alert">
              {save.error.message}
            </Alert>
          )}
          {save.isSuccess && (
            <Text role="status" c="green.9" size="sm">
              {t("lesson.saved")}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("lesson.save")}
            </Button>
          </Group>
        </Stack>
      </form>

      <Title order={2} size="h4">
        {t("lesson.attendance")}
      </Title>
      <Table striped withTableBorder>
        <Table.Tbody>
          {lesson.pupils.map((p) => (
            <Table.Tr key={p.pupilId}>
              <Table.Th scope="row" fw={400}>
                {p.lastName} {p.firstName}
                {p.mark && (
                  <Text span size="xs" c="dimmed" ml={6}>
                    {t("lesson.mark", {
                      value: p.mark.value2 ? `${p.mark.value}/${p.mark.value2}` : p.mark.value,
                    })}
                  </Text>
                )}
              </Table.Th>
              <Table.Td>
                <SegmentedControl
                  size="xs"
                  aria-label={`${p.lastName} ${p.firstName}`}
                  value={attendance.get(p.pupilId) ?? "PRESENT"}
                  onChange={(v) => setAttendance((old) => new Map(old).set(p.pupilId, v as "PRESENT"))}
                  data={[
                    { value: "PRESENT", label: t("lesson.present") },
                    { value: "ABSENT", label: t("lesson.absent") },
                    { value: "LATE", label: t("lesson.late") },
                  ]}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {saveAttendance.error && (
        <Alert color="red" role="alert">
          {saveAttendance.error.message}
        </Alert>
      )}
      {saveAttendance.isSuccess && (
        <Text role="status" c="green.9" size="sm">
          {t("lesson.saved")}
        </Text>
      )}
      <Group>
        <Button onClick={() => saveAttendance.mutate()} loading={saveAttendance.isPending}>
          {t("lesson.saveAttendance")}
        </Button>
      </Group>
    </Stack>
  );
}
