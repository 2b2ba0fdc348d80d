import { Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { type MessageKey, useT } from "@/lib/i18n";
import {
  useClassOptions,
  usePeriodOptions,
  usePupilOptions,
  useSubjectOptions,
  useTeacherOptions,
} from "./api";
import { type Field, FORMATS, fieldsOf, REPORT_NAMES, REPORTS, type ReportName, reportHref } from "./catalog";

type Option = { value: string; label: string };

/**
 * Every report of the journal with its parameters and PDF, XLSX and CSV downloads: plain links,
 * which the signed-in browser's session cookie authenticates (the server names the file).
 */
export function ReportsPage() {
  const t = useT();
  const classes = useClassOptions();
  const subjects = useSubjectOptions();
  const periods = usePeriodOptions();
  const teachers = useTeacherOptions();
  const options: Partial<Record<Field, Option[]>> = {
    classId: (classes.data ?? []).map((c) => ({ value: String(c.id), label: c.name })),
    subjectId: (subjects.data ?? []).map((s) => ({ value: String(s.id), label: s.name })),
    periodId: (periods.data?.periods ?? []).map((p) => ({ value: String(p.id), label: p.name })),
    // The current school year (the one /periods answers for); earlier years are archived.
    yearId: periods.data ? [{ value: String(periods.data.year.id), label: periods.data.year.name }] : [],
    teacherId: (teachers.data ?? []).map((p) => ({
      value: String(p.id),
      label: `${p.lastName} ${p.firstName} ${p.middleName ?? ""}`.trim(),
    })),
  };
  return (
    <Stack>
      <Title order={1}>{t("reports.title")}</Title>
      <Text c="dimmed">{t("reports.hint")}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {REPORT_NAMES.map((name) => (
          <ReportCard key={name} name={name} options={options} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function ReportCard({ name, options }: { name: ReportName; options: Partial<Record<Field, Option[]>> }) {
  const t = useT();
  const [values, setValues] = useState<Partial<Record<Field, string>>>({});
  const fields = fieldsOf(name);
  const pupils = usePupilOptions(
    fields.includes("pupilId") && values.classId ? Number(values.classId) : null,
  );
  const all: Partial<Record<Field, Option[]>> = {
    ...options,
    pupilId: (pupils.data ?? []).map((p) => ({ value: String(p.id), label: `${p.lastName} ${p.firstName}` })),
  };
  const required = REPORTS[name].required as Field[];
  const title = t(`reports.name.${name}` as MessageKey);
  const set = (f: Field, v: string) =>
    setValues((prev) => ({
      ...prev,
      [f]: v,
      ...(f === "classId" && fields.includes("pupilId") ? { pupilId: "" } : {}),
    }));

  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {title}
        </Title>
        {fields.map((f) => {
          const label = t(`reports.field.${f}` as MessageKey);
          const mandatory = required.includes(f) || (REPORTS[name].pickers ?? []).includes(f);
          if (f === "from" || f === "to")
            return (
              <TextInput
                key={f}
                type="date"
                label={label}
                value={values[f] ?? ""}
                onChange={(e) => set(f, e.currentTarget.value)}
              />
            );
          return (
            <NativeSelect
              key={f}
              label={label}
              required={mandatory}
              value={values[f] ?? ""}
              onChange={(e) => set(f, e.currentTarget.value)}
              data={[{ value: "", label: mandatory ? "—" : t("reports.any") }, ...(all[f] ?? [])]}
            />
          );
        })}
        <Group gap="xs" mt="xs">
          {FORMATS.map((format) => {
            const href = reportHref(name, values, format);
            const label = t("reports.download", { report: title, format: format.toUpperCase() });
            return href ? (
              <Button key={format} component="a" href={href} variant="light" size="xs" aria-label={label}>
                {format.toUpperCase()}
              </Button>
            ) : (
              <Button
                key={format}
                variant="light"
                size="xs"
                disabled
                aria-label={label}
                title={t("reports.fill")}
              >
                {format.toUpperCase()}
              </Button>
            );
          })}
        </Group>
      </Stack>
    </Card>
  );
}
