import type { SingleBar } from "cli-progress";
import type pg from "pg";
import type { Tx } from "../../src/db/client.js";

/**
 * Where seeded rows go: multi-row INSERT … SELECT FROM unnest($1::int[], …) batches, which is
 * what makes a year of a 1,000-pupil school fit in seconds rather than hours. The demo sends them
 * through the Prisma client inside its transaction, the large school through `pg`. Both reserve ids from the tables' own
 * sequences first, so rows can point at each other before they are inserted and a running
 * application can keep inserting meanwhile.
 */
export type Row = Record<string, unknown>;

export interface Sink {
  reserve(table: string, n: number): Promise<number[]>;
  insert(table: string, rows: readonly Row[]): Promise<void>;
}

const reserveSql = (table: string) =>
  `SELECT nextval(pg_get_serial_sequence('"${table}"', 'id'))::int AS id FROM generate_series(1, $1::int)`;

/**
 * Through Prisma's client (the demo, inside its interactive transaction): the same unnest()
 * statements as the bulk path, since createMany costs about a millisecond a row here.
 */
export function prismaSink(tx: Tx): Sink {
  return unnestSink({
    query: async (sql, params) => tx.$queryRawUnsafe<{ id: number }[]>(sql, ...params),
    execute: async (sql, params) => {
      await tx.$executeRawUnsafe(sql, ...params);
    },
  });
}

/** PostgreSQL types of the columns the large seed writes, for the unnest() casts. */
const COLUMN_TYPES: Record<string, Record<string, string>> = {
  School: { id: "int", name: "text", timeZone: "text", fillDeadline: "text" },
  Holiday: { schoolId: "int", fromDate: "date", toDate: "date", name: "text" },
  AcademicYear: { id: "int", schoolId: "int", name: "text", startDate: "date", endDate: "date" },
  Period: {
    id: "int",
    yearId: "int",
    kind: '"PeriodKind"',
    number: "int",
    name: "text",
    startDate: "date",
    endDate: "date",
    publishedAt: "timestamptz",
  },
  Person: {
    id: "int",
    schoolId: "int",
    lastName: "text",
    firstName: "text",
    middleName: "text",
    birthDate: "date",
    sex: '"Sex"',
    email: "text",
    phone: "text",
    login: "text",
    passwordHash: "text",
  },
  PersonRole: { personId: "int", role: '"Role"' },
  GuardianLink: { guardianId: "int", pupilId: "int", relation: "text" },
  Subject: { id: "int", schoolId: "int", name: "text", graded: "bool", doubleMarks: "bool" },
  ControlForm: {
    id: "int",
    schoolId: "int",
    name: "text",
    weight: "int",
    isControlWork: "bool",
    isWritten: "bool",
  },
  Class: { id: "int", yearId: "int", grade: "int", letter: "text", classTeacherId: "int" },
  Subgroup: { id: "int", classId: "int", name: "text" },
  SubgroupMember: { subgroupId: "int", pupilId: "int" },
  Enrolment: { pupilId: "int", classId: "int", joinedOn: "date", joinOrder: "text" },
  TeachingAssignment: {
    id: "int",
    yearId: "int",
    teacherId: "int",
    subjectId: "int",
    classId: "int",
    subgroupId: "int",
    hoursPerWeek: "int",
  },
  TimetableSlot: {
    id: "int",
    assignmentId: "int",
    weekday: "int",
    lessonNumber: "int",
    startsAt: "text",
    endsAt: "text",
    room: "text",
    validFrom: "date",
    validTo: "date",
  },
  TopicPlanItem: {
    id: "int",
    assignmentId: "int",
    number: "int",
    topic: "text",
    hours: "int",
    plannedDate: "date",
  },
  Lesson: {
    id: "int",
    assignmentId: "int",
    classId: "int",
    subgroupId: "int",
    subjectId: "int",
    slotId: "int",
    date: "date",
    lessonNumber: "int",
    startsAt: "text",
    endsAt: "text",
    teacherId: "int",
    topic: "text",
    plannedTopicId: "int",
    controlFormId: "int",
    homework: "text",
    homeworkNone: "bool",
    attendanceAt: "timestamptz",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
  },
  Mark: {
    lessonId: "int",
    pupilId: "int",
    value: "text",
    value2: "text",
    controlFormId: "int",
    weight: "int",
    comment: "text",
    authorId: "int",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
    lockAt: "timestamptz",
  },
  Attendance: {
    lessonId: "int",
    pupilId: "int",
    kind: '"AttendanceKind"',
    reason: '"AbsenceReason"',
    markedById: "int",
    reasonById: "int",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
  },
  PeriodMark: {
    pupilId: "int",
    subjectId: "int",
    periodId: "int",
    kind: '"PeriodMarkKind"',
    value: "text",
    authorId: "int",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
    publishedAt: "timestamptz",
  },
};

function toParam(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return type === "date" ? value.toISOString().slice(0, 10) : value.toISOString();
  return value;
}

export const BATCH = 10_000;

/** Through `pg` (the large school), with a progress bar. */
export function pgSink(client: pg.ClientBase, bar?: SingleBar): Sink {
  return unnestSink(
    {
      query: async (sql, params) => (await client.query<{ id: number }>(sql, params)).rows,
      execute: async (sql, params) => {
        await client.query(sql, params);
      },
    },
    bar,
  );
}

interface Conn {
  query(sql: string, params: unknown[]): Promise<{ id: number }[]>;
  execute(sql: string, params: unknown[]): Promise<void>;
}

function unnestSink(conn: Conn, bar?: SingleBar): Sink {
  return {
    async reserve(table, n) {
      if (n === 0) return [];
      const rows = await conn.query(reserveSql(table), [n]);
      return rows.map((r) => r.id);
    },
    async insert(table, rows) {
      const types = COLUMN_TYPES[table];
      if (!types) throw new Error(`no column types for ${table}`);
      const cols = Object.keys(types);
      const sql = `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(", ")})
        SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${types[c]}[]`).join(", ")})`;
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        const params = cols.map((c) => batch.map((r) => toParam(r[c], types[c]!)));
        await conn.execute(sql, params);
        bar?.increment(batch.length, { table });
      }
    },
  };
}
