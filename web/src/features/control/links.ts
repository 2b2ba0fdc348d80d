/** Where the dashboard drills down to: the journal grid and the lesson page (web's routes). */
export function gridHref(row: {
  class: { id: number };
  subject: { id: number };
  subgroup: { id: number } | null;
  periodId: number | null;
}): string {
  const q = new URLSearchParams({ classId: String(row.class.id), subjectId: String(row.subject.id) });
  if (row.periodId !== null) q.set("periodId", String(row.periodId));
  if (row.subgroup) q.set("subgroupId", String(row.subgroup.id));
  return `/journal?${q}`;
}

export const lessonHref = (lessonId: number) => `/lessons/${lessonId}`;

/** Remarks in a row's totals: what makes a row worth showing. */
export const remarks = (t: { unfilled: number; late: number; singleMark: number; twos: number }) =>
  t.unfilled + t.late + t.singleMark + t.twos;
