/**
 * The tables of a school-year export (docs/export-format.md, formatVersion 1), in the order an
 * import inserts them (parents before children). Each column names its type in the file:
 * plain (number, string, boolean, enum as its name, or null), `date` ("YYYY-MM-DD"), `ts` (ISO
 * 8601 UTC instant), `bigint` (decimal string), `json` (any JSON). Secrets and delivery
 * plumbing (password hashes, refresh tokens, invite codes, chat ids, outbox, deliveries) are
 * never exported; a pg_dump backup keeps them.
 */
export const FORMAT_VERSION = 1;

export type ColumnType = "plain" | "date" | "ts" | "bigint" | "json";
export interface Column {
  name: string;
  type: ColumnType;
}
export interface TableSpec {
  /** Key in the export file and the CSV file name. */
  key: string;
  /** Prisma model delegate. */
  model: string;
  /** SQL table name (for the sequence reset). */
  table: string;
  columns: Column[];
  orderBy: string[];
  /** Rows of the year being exported. */
  where: (scope: { schoolId: number; yearId: number; from: Date; to: Date }) => Record<string, unknown>;
  /** Has an autoincrement "id" whose sequence the import moves past the imported ids. */
  serial: boolean;
  /** Added to the format after its first files: a file without it imports it as empty. */
  since?: string;
}

const cols = (spec: string): Column[] =>
  spec
    .trim()
    .split(/\s+/)
    .map((c) => {
      const [name, type] = c.split(":");
      return { name: name!, type: (type as ColumnType | undefined) ?? "plain" };
    });

const t = (
  key: string,
  model: string,
  table: string,
  columns: string,
  where: TableSpec["where"],
  orderBy: string[] = ["id"],
): TableSpec => ({
  key,
  model,
  table,
  columns: cols(columns),
  where,
  orderBy,
  serial: orderBy[0] === "id" && orderBy.length === 1,
});

const inRange = (s: { from: Date; to: Date }) => ({ gte: s.from, lt: new Date(s.to.getTime() + 86_400_000) });

export const TABLES: TableSpec[] = [
  t(
    "schools",
    "school",
    "School",
    "id name timeZone periodSystem fillDeadline markLockDays weekDays quietHoursStart quietHoursEnd absenceGraceMinutes inviteTtlDays createdAt:ts",
    (s) => ({ id: s.schoolId }),
  ),
  t("holidays", "holiday", "Holiday", "id schoolId fromDate:date toDate:date name", (s) => ({
    schoolId: s.schoolId,
    fromDate: { lte: s.to },
    toDate: { gte: s.from },
  })),
  t("academicYears", "academicYear", "AcademicYear", "id schoolId name startDate:date endDate:date", (s) => ({
    id: s.yearId,
  })),
  t(
    "periods",
    "period",
    "Period",
    "id yearId kind number name startDate:date endDate:date publishedAt:ts",
    (s) => ({
      yearId: s.yearId,
    }),
  ),
  t(
    "people",
    "person",
    "Person",
    "id schoolId lastName firstName middleName birthDate:date sex email phone login blockedAt:ts language createdAt:ts updatedAt:ts",
    (s) => ({ schoolId: s.schoolId }),
  ),
  t(
    "personRoles",
    "personRole",
    "PersonRole",
    "personId role",
    (s) => ({ person: { schoolId: s.schoolId } }),
    ["personId", "role"],
  ),
  t("subjects", "subject", "Subject", "id schoolId name graded doubleMarks", (s) => ({
    schoolId: s.schoolId,
  })),
  t("controlForms", "controlForm", "ControlForm", "id schoolId name weight isControlWork isWritten", (s) => ({
    schoolId: s.schoolId,
  })),
  t("classes", "class", "Class", "id yearId grade letter classTeacherId", (s) => ({ yearId: s.yearId })),
  t("subgroups", "subgroup", "Subgroup", "id classId name", (s) => ({ class: { yearId: s.yearId } })),
  t(
    "subgroupMembers",
    "subgroupMember",
    "SubgroupMember",
    // joinedOn and leftOn came in 2026-11; older files have neither: members since the start.
    "subgroupId pupilId joinedOn:date leftOn:date",
    (s) => ({ subgroup: { class: { yearId: s.yearId } } }),
    ["subgroupId", "pupilId", "joinedOn"],
  ),
  t(
    "enrolments",
    "enrolment",
    "Enrolment",
    "id pupilId classId joinedOn:date joinOrder leftOn:date leftReason leftOrder",
    (s) => ({ class: { yearId: s.yearId } }),
  ),
  t(
    "guardianLinks",
    "guardianLink",
    "GuardianLink",
    "guardianId pupilId relation",
    (s) => ({ pupil: { schoolId: s.schoolId } }),
    ["guardianId", "pupilId"],
  ),
  t(
    "teachingAssignments",
    "teachingAssignment",
    "TeachingAssignment",
    "id yearId teacherId subjectId classId subgroupId hoursPerWeek",
    (s) => ({ yearId: s.yearId }),
  ),
  t(
    "timetableSlots",
    "timetableSlot",
    "TimetableSlot",
    "id assignmentId weekday lessonNumber startsAt endsAt room validFrom:date validTo:date",
    (s) => ({ assignment: { yearId: s.yearId } }),
  ),
  t(
    "topicPlanItems",
    "topicPlanItem",
    "TopicPlanItem",
    "id assignmentId number topic hours plannedDate:date",
    (s) => ({ assignment: { yearId: s.yearId } }),
  ),
  t(
    "lessons",
    "lesson",
    "Lesson",
    "id assignmentId classId subgroupId subjectId slotId date:date lessonNumber startsAt endsAt teacherId substituteId topic plannedTopicId controlFormId homework homeworkNone attendanceAt:ts createdAt:ts updatedAt:ts",
    (s) => ({ class: { yearId: s.yearId } }),
  ),
  t(
    "marks",
    "mark",
    "Mark",
    "id lessonId pupilId value value2 controlFormId weight comment authorId createdAt:ts updatedAt:ts lockAt:ts",
    (s) => ({ lesson: { class: { yearId: s.yearId } } }),
  ),
  t(
    "markHistory",
    "markHistory",
    "MarkHistory",
    "id markId oldValue oldValue2 newValue newValue2 change note authorId createdAt:ts",
    (s) => ({ mark: { lesson: { class: { yearId: s.yearId } } } }),
  ),
  t(
    "attendance",
    "attendance",
    "Attendance",
    "id lessonId pupilId kind reason markedById reasonById createdAt:ts updatedAt:ts",
    (s) => ({ lesson: { class: { yearId: s.yearId } } }),
  ),
  t(
    "absenceNotices",
    "absenceNotice",
    "AbsenceNotice",
    "id pupilId fromDate:date toDate:date reason note reportedById createdAt:ts",
    (s) => ({ pupil: { schoolId: s.schoolId }, fromDate: { lte: s.to }, toDate: { gte: s.from } }),
  ),
  t(
    "periodMarks",
    "periodMark",
    "PeriodMark",
    "id pupilId subjectId periodId kind value authorId createdAt:ts updatedAt:ts publishedAt:ts",
    (s) => ({ period: { yearId: s.yearId } }),
  ),
  {
    ...t(
      "periodMarkHistory",
      "periodMarkHistory",
      "PeriodMarkHistory",
      "id periodMarkId oldValue newValue change note authorId createdAt:ts",
      (s) => ({ periodMark: { period: { yearId: s.yearId } } }),
    ),
    since: "2026-11",
  },
  t(
    "messages",
    "message",
    "Message",
    "id schoolId authorId kind classId pupilId replyToId body needsAck urgent createdAt:ts",
    (s) => ({ schoolId: s.schoolId, createdAt: inRange(s) }),
  ),
  t(
    "messageRecipients",
    "messageRecipient",
    "MessageRecipient",
    "messageId personId readAt:ts acknowledgedAt:ts",
    (s) => ({ message: { schoolId: s.schoolId, createdAt: inRange(s) } }),
    ["messageId", "personId"],
  ),
  t(
    "auditLog",
    "auditLog",
    "AuditLog",
    "id:bigint schoolId actorId action entity entityId before:json after:json at:ts",
    (s) => ({ schoolId: s.schoolId, at: inRange(s) }),
  ),
];
