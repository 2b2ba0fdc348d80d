import { hash } from "@node-rs/argon2";
import { createDb } from "../../src/db/client.js";
import { schoolToday } from "../../src/journal/rules/calendar.js";
import { dateOnly, endOfWeek, localMoment, QUARTERS, schoolDays, YEAR } from "./calendar.js";
import { classMessage, corrections, DEMO_CODES, guardianNotice, invites } from "./demo-extras.js";
import { buildDemoPlan, DEMO_SCHOOL, type DemoPlan } from "./demo-plan.js";
import { generateJournal, type Journal } from "./journal.js";
import { periodMarks } from "./period-marks.js";
import { DEMO_PASSWORD } from "./published.js";
import { createRng } from "./random.js";
import { dropSchool, SEED_LOCK } from "./reset.js";
import { prismaSink } from "./sink.js";
import { type WrittenSchool, writeSchool } from "./write.js";

export { DEMO_PASSWORD };

export const DEMO_TIME_ZONE = "Europe/Moscow";

export interface SeedOptions {
  /** Drop the school's rows first and seed it again. */
  reset?: boolean;
  /** "Now" for the demo's today (defaults to the clock). */
  now?: Date;
}

export type DemoResult =
  | { status: "exists"; schoolId: number }
  | {
      status: "seeded";
      schoolId: number;
      pupils: number;
      guardians: number;
      teachers: number;
      lessons: number;
      marks: number;
      absences: number;
      today: string;
      logins: { login: string; name: string; roles: string }[];
      codes: { code: string; for: string }[];
      ms: number;
    };

/** The demo school: three classes, a term of journal up to today, today's lessons left to fill. */
export async function seedDemo(databaseUrl: string, options: SeedOptions = {}): Promise<DemoResult> {
  const started = performance.now();
  const db = createDb(databaseUrl, { max: 2 });
  try {
    const existing = await db.school.findFirst({ where: { name: DEMO_SCHOOL }, select: { id: true } });
    if (existing && !options.reset) return { status: "exists", schoolId: existing.id };

    const now = options.now ?? new Date();
    const today = schoolToday(DEMO_TIME_ZONE, now);
    const rng = createRng(7);
    const plan = buildDemoPlan(rng);
    const to = [endOfWeek(today), YEAR.end].sort()[0]!;
    // Absences of the last two school days still wait for the class teacher's reason.
    const pastDays = schoolDays(YEAR.start, today).filter((d) => d.iso < today);
    const reasonsBefore = pastDays.at(-2)?.iso ?? today;
    const journal = generateJournal(
      plan,
      {
        from: YEAR.start,
        to,
        fillBefore: today,
        reasonsBefore,
        timeZone: DEMO_TIME_ZONE,
        joined: plan.joined,
      },
      rng,
    );
    const notice = guardianNotice(plan, journal, pastDays.at(-1)?.iso ?? null, today);
    const closed = QUARTERS.filter((q) => q.end < today).map((q) => q.number);
    const marks = periodMarks(plan, journal, closed, false);
    const passwordHash = await hash(DEMO_PASSWORD);

    const written = await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", SEED_LOCK);
        const again = await tx.school.findFirst({ where: { name: DEMO_SCHOOL }, select: { id: true } });
        if (again) {
          if (!options.reset) return null;
          await dropSchool((sql, params) => tx.$executeRawUnsafe(sql, ...params), again.id);
        }
        const w = await writeSchool(prismaSink(tx), {
          plan,
          journal,
          periodMarks: marks,
          passwordHash,
          timeZone: DEMO_TIME_ZONE,
          joined: plan.joined,
          publishedQuarters: closed,
        });
        await corrections(tx, plan, w, now);
        await classMessage(tx, plan, w, now);
        if (notice) {
          await tx.absenceNotice.create({
            data: {
              pupilId: w.personIds[notice.pupil]!,
              fromDate: dateOnly(notice.from),
              toDate: dateOnly(notice.to),
              reason: "ILLNESS",
              note: "Температура, вызвали врача. Справку принесём.",
              reportedById: w.personIds[notice.guardian]!,
              createdAt: localMoment(notice.from, "07:40", DEMO_TIME_ZONE),
            },
          });
        }
        await invites(tx, plan, w, now);
        return w;
      },
      { timeout: 300_000, maxWait: 60_000 },
    );
    if (!written) {
      const found = await db.school.findFirstOrThrow({ where: { name: DEMO_SCHOOL }, select: { id: true } });
      return { status: "exists", schoolId: found.id };
    }
    return summary(plan, written, journal, today, started);
  } finally {
    await db.$disconnect();
  }
}

function summary(
  plan: DemoPlan,
  w: WrittenSchool,
  journal: Journal,
  today: string,
  started: number,
): DemoResult {
  const fullName = (i: number) => {
    const p = plan.people[i]!;
    return `${p.lastName} ${p.firstName} ${p.middleName ?? ""}`.trim();
  };
  const roleNames: Record<string, string> = {
    ADMIN: "администратор журнала",
    DIRECTOR: "директор",
    DEPUTY: "заместитель директора по УВР",
    TEACHER: "учитель",
  };
  const classLed = (i: number) => {
    const c = plan.classes.find((x) => x.classTeacher === i);
    return c ? `, классный руководитель ${c.grade}${c.letter}` : "";
  };
  const logins = plan.people
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.login)
    .map(({ p, i }) => ({
      login: p.login!,
      name: fullName(i),
      roles: p.roles.map((r) => roleNames[r] ?? r).join(", ") + classLed(i),
    }));
  const kids = plan.guardianLinks.filter(([g]) => g === plan.twoChildGuardian).map(([, p]) => p);
  const classOf = (p: number) => {
    const c = plan.classes.find((x) => x.pupils.includes(p))!;
    return `${c.grade}${c.letter}`;
  };
  return {
    status: "seeded",
    schoolId: w.schoolId,
    pupils: plan.people.filter((p) => p.roles.includes("PUPIL")).length,
    guardians: plan.people.filter((p) => p.roles.includes("GUARDIAN")).length,
    teachers: plan.people.filter((p) => p.roles.includes("TEACHER")).length,
    lessons: journal.lessons.length,
    marks: journal.marks.length,
    absences: journal.attendance.filter((a) => a.kind === "ABSENT").length,
    today,
    logins,
    codes: [
      { code: DEMO_CODES.teacher, for: `учитель ${fullName(plan.staff.math)}` },
      {
        code: DEMO_CODES.guardian,
        for: `родитель ${fullName(plan.twoChildGuardian)} (дети: ${kids.map((k) => `${plan.people[k]!.firstName}, ${classOf(k)}`).join("; ")})`,
      },
    ],
    ms: Math.round(performance.now() - started),
  };
}

export { DEMO_CODES };
