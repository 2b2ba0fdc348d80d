import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type HttpCtx, send, startHttp } from "./helpers.js";

/**
 * Issue 10 §5 (002 §9.1.3: information about pupils is for the staff who teach them). 5А learns
 * English in two groups: group 1 (Иванов, Иванова) with the «sub» teacher, group 2 (Петров,
 * Сидорова, Смирнов) with another. Every read of pupils' data is checked for the group 1 teacher.
 */
let ctx: HttpCtx;
let english: { id: number };
let group1: { id: number };
let group2: { id: number };
let lessonG2: { id: number };
let messageId: number;
beforeAll(async () => {
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T12:00:00+03:00"));
  const { db } = ctx.testDb;
  const { school, year, classes, pupils, people, guardians, forms } = ctx.school;
  english = await db.subject.create({ data: { schoolId: school.id, name: "Английский язык" } });
  group1 = await db.subgroup.create({ data: { classId: classes.class5.id, name: "Английский 1" } });
  group2 = await db.subgroup.create({ data: { classId: classes.class5.id, name: "Английский 2" } });
  await db.subgroupMember.createMany({
    data: [
      { subgroupId: group1.id, pupilId: pupils.ivanov.id },
      { subgroupId: group1.id, pupilId: pupils.ivanova.id },
      { subgroupId: group2.id, pupilId: pupils.petrov.id },
      { subgroupId: group2.id, pupilId: pupils.sidorova.id },
      { subgroupId: group2.id, pupilId: pupils.smirnov.id },
    ],
  });
  const assign = (teacherId: number, subgroupId: number) =>
    db.teachingAssignment.create({
      data: {
        yearId: year.id,
        teacherId,
        subjectId: english.id,
        classId: classes.class5.id,
        subgroupId,
        hoursPerWeek: 3,
      },
    });
  const a1 = await assign(people.substitute.id, group1.id);
  const a2 = await assign(people.russian.id, group2.id);
  const l1 = await ctx.school.lesson(a1, "2026-11-23", 3);
  lessonG2 = await ctx.school.lesson(a2, "2026-11-23", 4);
  await db.mark.create({
    data: {
      lessonId: l1.id,
      pupilId: pupils.ivanov.id,
      value: "5",
      controlFormId: forms.oral.id,
      authorId: people.substitute.id,
    },
  });
  await db.mark.create({
    data: {
      lessonId: lessonG2.id,
      pupilId: pupils.petrov.id,
      value: "2",
      controlFormId: forms.oral.id,
      authorId: people.russian.id,
    },
  });
  await db.attendance.create({
    data: {
      lessonId: lessonG2.id,
      pupilId: pupils.sidorova.id,
      kind: "ABSENT",
      markedById: people.russian.id,
    },
  });
  await db.attendance.create({
    data: { lessonId: l1.id, pupilId: pupils.ivanova.id, kind: "ABSENT", markedById: people.substitute.id },
  });
  // Иванова (mother of Иванов and Иванова in 5А) also has Козлов in 1А.
  await db.guardianLink.create({
    data: { guardianId: guardians.ivanovaMother.id, pupilId: pupils.kozlov.id },
  });
  const msg = await db.message.create({
    data: {
      schoolId: school.id,
      authorId: people.math.id,
      kind: "DIRECT",
      body: "Петров сегодня молодец",
      recipients: { create: [{ personId: guardians.petrovaMother.id }] },
    },
  });
  messageId = msg.id;
});
afterAll(async () => {
  vi.useRealTimers();
  await ctx?.close();
});

const get = (who: string, url: string) => send(ctx, who, "GET", url);
const week = "from=2026-11-23&to=2026-11-29";

describe("a subgroup's teacher", () => {
  it("reads the diary of a group 1 pupil but not of a group 2 pupil", async () => {
    const { ivanov, petrov } = ctx.school.pupils;
    expect((await get("substitute", `/api/v1/pupils/${ivanov.id}/diary?${week}`)).statusCode).toBe(200);
    const leak = await get("substitute", `/api/v1/pupils/${petrov.id}/diary?${week}`);
    expect(leak.statusCode).toBe(404);
    expect(leak.body).not.toContain("Петров");
    for (const url of [
      `/api/v1/pupils/${petrov.id}/subjects/${english.id}/marks`,
      `/api/v1/pupils/${petrov.id}/period-marks`,
      `/api/v1/people/${petrov.id}`,
    ]) {
      const res = await get("substitute", url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toMatch(/"value":"2"|Пётр/);
    }
    // The teacher of the whole class still reads every pupil.
    expect((await get("math", `/api/v1/pupils/${petrov.id}/diary?${week}`)).statusCode).toBe(200);
  });

  it("gives period marks to their own group's pupils only", async () => {
    const { classes, periods, pupils } = ctx.school;
    const body = (pupilId: number) => ({
      classId: classes.class5.id,
      subjectId: english.id,
      periodId: periods[0]!.id,
      marks: [{ pupilId, value: "4" }],
      confirm: true,
    });
    const before = await ctx.testDb.db.periodMark.count();
    const other = await send(ctx, "substitute", "PUT", "/api/v1/period-marks", body(pupils.petrov.id));
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: "forbidden", details: { pupilId: pupils.petrov.id } });
    expect(await ctx.testDb.db.periodMark.count()).toBe(before);
    // Their own pupil is judged by the period-mark rules, not refused for scope.
    const own = await send(ctx, "substitute", "PUT", "/api/v1/period-marks", body(pupils.ivanov.id));
    expect(own.statusCode).not.toBe(403);
  });

  it("opens the journal grid of their own group only", async () => {
    const { classes, periods } = ctx.school;
    const q = `classId=${classes.class5.id}&subjectId=${english.id}&periodId=${periods[1]!.id}`;
    expect((await get("substitute", `/api/v1/journal-grid?${q}&subgroupId=${group1.id}`)).statusCode).toBe(
      200,
    );
    for (const extra of [`&subgroupId=${group2.id}`, ""]) {
      const res = await get("substitute", `/api/v1/journal-grid?${q}${extra}`);
      expect(res.statusCode, extra).toBe(403);
      expect(res.body).not.toContain("Петров");
    }
  });

  it("sees absences and the period summary of group 1 pupils only", async () => {
    const { classes, periods } = ctx.school;
    const absences = await get("substitute", `/api/v1/classes/${classes.class5.id}/absences?${week}`);
    expect(absences.statusCode).toBe(200);
    const names = (absences.json() as { pupil: { lastName: string } }[]).map((r) => r.pupil.lastName);
    expect(names).toEqual(["Иванова"]);
    const all = await get("russian", `/api/v1/classes/${classes.class5.id}/absences?${week}`);
    expect(all.statusCode).toBe(200);
    const summary = await get(
      "substitute",
      `/api/v1/period-marks/summary?classId=${classes.class5.id}&subjectId=${english.id}&periodId=${periods[1]!.id}`,
    );
    expect(summary.statusCode).toBe(200);
    const rows = (summary.json() as { rows: { lastName: string }[] }).rows.map((r) => r.lastName).sort();
    expect(rows).toEqual(["Иванов", "Иванова"]);
  });

  it("gets no whole-class journal page report and finds no group 2 pupil by name", async () => {
    const { classes, periods } = ctx.school;
    const page = await get(
      "substitute",
      `/api/v1/reports/journal-page?format=csv&classId=${classes.class5.id}&subjectId=${english.id}&periodId=${periods[1]!.id}`,
    );
    expect(page.statusCode).toBe(403);
    expect(page.body).not.toContain("Петров");
    const found = await get("substitute", "/api/v1/people?query=Петров");
    expect(found.statusCode).toBe(200);
    expect(found.body).not.toContain("Пётр");
    const own = await get("substitute", "/api/v1/people?query=Иванов");
    expect(own.body).toContain("Иван");
  });
});

describe("a guardian's card shown to a teacher", () => {
  it("lists only the children in classes the teacher teaches", async () => {
    const { guardians, pupils } = ctx.school;
    const card = await get("math", `/api/v1/people/${guardians.ivanovaMother.id}`);
    expect(card.statusCode).toBe(200);
    const wards = (card.json() as { wards: { pupil: { id: number } }[] }).wards.map((w) => w.pupil.id).sort();
    expect(wards).toEqual([pupils.ivanov.id, pupils.ivanova.id].sort());
    expect(card.body).not.toContain("Козлов");
    // The administration sees every child; the class 1А teacher only Козлов.
    const full = await get("deputy", `/api/v1/people/${guardians.ivanovaMother.id}`);
    expect(full.json().wards).toHaveLength(3);
    const primary = await get("primary", `/api/v1/people/${guardians.ivanovaMother.id}`);
    expect((primary.json() as { wards: { pupil: { id: number } }[] }).wards.map((w) => w.pupil.id)).toEqual([
      pupils.kozlov.id,
    ]);
    // A group 1 teacher reads no card of a mother whose only child is in group 2.
    expect((await get("substitute", `/api/v1/people/${guardians.petrovaMother.id}`)).statusCode).toBe(404);
  });
});

describe("who acknowledged a message, shown to its author", () => {
  it("names each guardian's children only as far as the author teaches them", async () => {
    const { db } = ctx.testDb;
    const { school, people, guardians, classes } = ctx.school;
    const msg = await db.message.create({
      data: {
        schoolId: school.id,
        authorId: people.math.id,
        kind: "CLASS",
        classId: classes.class5.id,
        needsAck: true,
        body: "Родительское собрание в четверг",
        recipients: { create: [{ personId: guardians.ivanovaMother.id }] },
      },
    });
    const res = await get("math", `/api/v1/messages/${msg.id}/acknowledgements`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("Иванова");
    expect(res.body).not.toContain("Козлов");
    const admin = await get("deputy", `/api/v1/messages/${msg.id}/acknowledgements`);
    expect(admin.body).toContain("Козлов");
  });
});

describe("POST /api/v1/messages/{id}/read", () => {
  it("is 404 for someone who did not receive the message, and changes nothing", async () => {
    for (const who of ["ivanovaMother", "math", "deputy"]) {
      const res = await send(ctx, who, "POST", `/api/v1/messages/${messageId}/read`);
      expect(res.statusCode, who).toBe(404);
    }
    const row = await ctx.testDb.db.messageRecipient.findFirstOrThrow({ where: { messageId } });
    expect(row.readAt).toBeNull();
    expect((await send(ctx, "petrovaMother", "POST", `/api/v1/messages/${messageId}/read`)).statusCode).toBe(
      204,
    );
    // Marking again is still fine for the recipient.
    expect((await send(ctx, "petrovaMother", "POST", `/api/v1/messages/${messageId}/read`)).statusCode).toBe(
      204,
    );
  });
});
