import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type HttpCtx, type Method, send, startHttp } from "./helpers.js";

/** The happy path of every resource route, as the role that uses it. */
let ctx: HttpCtx;
beforeAll(async () => {
  ctx = await startHttp();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
});
afterAll(async () => {
  await ctx?.close();
  vi.useRealTimers();
});

const as = (who: string) => ({
  req: (method: Method, url: string, payload?: object) => send(ctx, who, method, url, payload),
});
// Response bodies are checked field by field below; their full types live in the services.
async function ok(p: Promise<{ statusCode: number; body: string; json: () => unknown }>, status = 200) {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  // biome-ignore lint/suspicious/noExplicitAny: see above
  return (status === 204 ? undefined : res.json()) as any;
}

describe("school, years, periods", () => {
  it("reads the school, changes settings, adds and removes a holiday", async () => {
    const admin = as("admin");
    expect(await ok(admin.req("GET", "/api/v1/school"))).toMatchObject({ name: "МБОУ «Школа № 1»" });
    expect(await ok(admin.req("PATCH", "/api/v1/school/settings", { markLockDays: 12 }))).toMatchObject({
      markLockDays: 12,
    });
    const h = await ok(
      admin.req("POST", "/api/v1/school/holidays", {
        fromDate: "2027-02-23",
        toDate: "2027-02-23",
        name: "День защитника Отечества",
      }),
      201,
    );
    await ok(admin.req("DELETE", `/api/v1/school/holidays/${h.id}`), 204);
  });

  it("opens a year with its periods and lists them", async () => {
    const admin = as("admin");
    const year = await ok(
      admin.req("POST", "/api/v1/years", {
        name: "2027/2028",
        startDate: "2027-09-01",
        endDate: "2028-05-31",
      }),
      201,
    );
    const periods = await ok(admin.req("GET", `/api/v1/periods?yearId=${year.id ?? year.year?.id}`));
    expect(JSON.stringify(periods)).toContain("четверть");
    expect(JSON.stringify(await ok(as("math").req("GET", "/api/v1/periods")))).toContain("2 четверть");
  });
});

describe("classes, subgroups, subjects, control forms", () => {
  it("creates and updates a class, lists classes and a class list, makes a subgroup with members", async () => {
    const { school, people, pupils, classes } = ctx.school;
    const admin = as("admin");
    const cls = await ok(
      admin.req("POST", "/api/v1/classes", { yearId: ctx.school.year.id, grade: 7, letter: "Б" }),
      201,
    );
    await ok(admin.req("PATCH", `/api/v1/classes/${cls.id}`, { classTeacherId: people.substitute.id }));
    expect(JSON.stringify(await ok(admin.req("GET", "/api/v1/classes")))).toContain('"letter":"Б"');
    const list = await ok(
      as("russian").req("GET", `/api/v1/classes/${classes.class5.id}/pupils?date=2026-11-24`),
    );
    expect(JSON.stringify(list)).toContain("Иванов");
    const sg = await ok(
      as("russian").req("POST", `/api/v1/classes/${classes.class5.id}/subgroups`, { name: "Группа 1" }),
      201,
    );
    await ok(
      as("russian").req("PUT", `/api/v1/subgroups/${sg.id}/members`, {
        pupilIds: [pupils.ivanov.id, pupils.petrov.id],
      }),
    );
    expect(school.id).toBeGreaterThan(0);
  });

  it("lists and creates subjects and control forms", async () => {
    const admin = as("admin");
    expect(JSON.stringify(await ok(admin.req("GET", "/api/v1/subjects")))).toContain("Математика");
    await ok(admin.req("POST", "/api/v1/subjects", { name: "Информатика" }), 201);
    expect(JSON.stringify(await ok(admin.req("GET", "/api/v1/control-forms")))).toContain("Диктант");
    await ok(admin.req("POST", "/api/v1/control-forms", { name: "Лабораторная работа", weight: 2 }), 201);
  });
});

describe("people, pupils, guardians", () => {
  it("searches, creates, reads a person and sets roles", async () => {
    const admin = as("admin");
    const found = await ok(admin.req("GET", "/api/v1/people?query=Кузн&limit=5"));
    expect(JSON.stringify(found)).toContain("Кузнецова");
    const p = await ok(
      admin.req("POST", "/api/v1/people", {
        lastName: "Соловьёва-Зайцева",
        firstName: "Дарья",
        roles: ["TEACHER"],
      }),
      201,
    );
    const pid = p.id ?? p.person?.id;
    expect(await ok(admin.req("GET", `/api/v1/people/${pid}`))).toMatchObject({
      lastName: "Соловьёва-Зайцева",
    });
    await ok(admin.req("PUT", `/api/v1/people/${pid}/roles`, { roles: ["TEACHER", "TUTOR"] }));
  });

  it("the class teacher adds a pupil; the deputy transfers and then records the pupil leaving", async () => {
    const { classes } = ctx.school;
    const created = await ok(
      as("russian").req("POST", "/api/v1/people", {
        lastName: "Ёлкин",
        firstName: "Семён",
        roles: ["PUPIL"],
        classId: classes.class5.id,
        joinedOn: "2026-11-23",
      }),
      201,
    );
    const pupilId = created.id ?? created.person?.id;
    const deputy = as("deputy");
    await ok(
      deputy.req("POST", `/api/v1/pupils/${pupilId}/transfer`, {
        toClassId: classes.class1.id,
        date: "2026-11-24",
        order: "№ 15-у",
      }),
    );
    await ok(deputy.req("POST", `/api/v1/pupils/${pupilId}/leave`, { date: "2026-11-25", order: "№ 16-у" }));
    await ok(
      deputy.req("POST", `/api/v1/pupils/${pupilId}/enrol`, {
        classId: classes.class5.id,
        joinedOn: "2026-12-01",
        order: "№ 17-у",
      }),
      201,
    );
  });

  it("links and unlinks a guardian", async () => {
    const { guardians, pupils } = ctx.school;
    const url = `/api/v1/guardians/${guardians.petrovaMother.id}/pupils/${pupils.smirnov.id}`;
    await ok(as("russian").req("PUT", url, { relation: "тётя" }));
    await ok(as("russian").req("DELETE", url), 204);
  });
});

describe("assignments, timetable, lessons", () => {
  it("creates, lists and deletes an assignment", async () => {
    const { people, subjects, classes } = ctx.school;
    const admin = as("admin");
    const a = await ok(
      admin.req("POST", "/api/v1/assignments", {
        teacherId: people.substitute.id,
        subjectId: subjects.odnknr.id,
        classId: classes.class1.id,
        hoursPerWeek: 1,
      }),
      201,
    );
    expect(
      JSON.stringify(await ok(admin.req("GET", `/api/v1/assignments?classId=${classes.class1.id}`))),
    ).toContain(`"id":${a.id}`);
    await ok(admin.req("DELETE", `/api/v1/assignments/${a.id}`), 204);
  });

  it("manages slots, generates lessons and reads a week's timetable", async () => {
    const { assignments, classes, pupils } = ctx.school;
    const deputy = as("deputy");
    const slot = await ok(
      deputy.req("POST", "/api/v1/timetable/slots", {
        assignmentId: assignments.odnknr5.id,
        weekday: 5,
        lessonNumber: 4,
        startsAt: "11:25",
        endsAt: "12:10",
        validFrom: "2026-11-23",
      }),
      201,
    );
    const slotId = slot.id ?? slot.slot?.id;
    await ok(deputy.req("PATCH", `/api/v1/timetable/slots/${slotId}`, { room: "305" }));
    expect(
      JSON.stringify(await ok(deputy.req("GET", `/api/v1/timetable/slots?classId=${classes.class5.id}`))),
    ).toContain("305");
    const gen = await ok(
      deputy.req("POST", "/api/v1/timetable/generate-lessons", { from: "2026-11-23", to: "2026-11-29" }),
    );
    expect(gen.created).toBeGreaterThan(0);
    await ok(deputy.req("POST", `/api/v1/timetable/slots/${slotId}/end`, { validTo: "2026-12-31" }));
    const week = await ok(
      as("ivanovaMother").req("GET", `/api/v1/timetable?pupilId=${pupils.ivanov.id}&weekOf=2026-11-24`),
    );
    expect(JSON.stringify(week)).toContain("Математика");
  });

  it("reads and fills a lesson, sets a substitute, lists the teacher's day", async () => {
    const { assignments, people, forms } = ctx.school;
    // Today's lesson: a topic is written from the lesson's day on (rules/entry-times.ts).
    const lesson = await ctx.school.lesson(assignments.math5, "2026-11-24", 3);
    const math = as("math");
    expect(await ok(math.req("GET", `/api/v1/lessons/${lesson.id}`))).toMatchObject({
      pupils: expect.any(Array),
    });
    await ok(
      math.req("PATCH", `/api/v1/lessons/${lesson.id}`, {
        topic: "Сложение дробей 🍰",
        homework: "§ 12, № 3–5",
        controlFormId: forms.oral.id,
      }),
    );
    await ok(
      as("deputy").req("PUT", `/api/v1/lessons/${lesson.id}/substitute`, {
        substituteId: people.substitute.id,
      }),
    );
    const day = await ok(as("substitute").req("GET", "/api/v1/me/lessons?date=2026-11-24"));
    expect(JSON.stringify(day)).toContain(`${lesson.id}`);
  });
});

describe("reads: grid, diary, control, audit, children", () => {
  it("the grid, the diary, a subject's marks, period marks, children and late lessons answer", async () => {
    const { classes, subjects, periods, pupils } = ctx.school;
    const grid = await ok(
      as("math").req(
        "GET",
        `/api/v1/journal-grid?classId=${classes.class5.id}&subjectId=${subjects.math.id}&periodId=${periods[1]!.id}`,
      ),
    );
    expect(grid).toMatchObject({ lessons: expect.any(Array), pupils: expect.any(Array) });
    const mother = as("ivanovaMother");
    await ok(mother.req("GET", `/api/v1/pupils/${pupils.ivanov.id}/diary?from=2026-11-23&to=2026-11-29`));
    await ok(mother.req("GET", `/api/v1/pupils/${pupils.ivanov.id}/subjects/${subjects.math.id}/marks`));
    await ok(mother.req("GET", `/api/v1/pupils/${pupils.ivanov.id}/period-marks`));
    const children = await ok(mother.req("GET", "/api/v1/me/children"));
    expect(children).toHaveLength(2);
    await ok(as("deputy").req("GET", "/api/v1/control/late-lessons"));
  });

  it("the audit log filters by entity, actor and date", async () => {
    const deputy = as("deputy");
    const all = await ok(deputy.req("GET", "/api/v1/audit?limit=500"));
    expect(all.entries.length).toBeGreaterThan(0);
    const byActor = await ok(deputy.req("GET", `/api/v1/audit?actorId=${ctx.school.people.admin.id}`));
    expect(byActor.entries.every((e: { actorId: number }) => e.actorId === ctx.school.people.admin.id)).toBe(
      true,
    );
    const byEntity = await ok(deputy.req("GET", "/api/v1/audit?entity=Class"));
    expect(byEntity.entries.every((e: { entity: string }) => e.entity === "Class")).toBe(true);
    const none = await ok(deputy.req("GET", "/api/v1/audit?from=2020-01-01&to=2020-01-02"));
    expect(none.entries).toEqual([]);
    const page = await ok(deputy.req("GET", "/api/v1/audit?limit=1"));
    expect(page.nextBefore).toMatch(/^\d+$/);
  });
});

describe("messages", () => {
  it("the class teacher writes to the class with a request to acknowledge; a guardian reads, acknowledges and replies", async () => {
    const { classes } = ctx.school;
    const sent = await ok(
      as("russian").req("POST", "/api/v1/messages", {
        kind: "CLASS",
        classId: classes.class5.id,
        body: "Собрание в четверг в 18:00 📅",
        needsAck: true,
      }),
      201,
    );
    const messageId = sent.id ?? sent.message?.id;
    const mother = as("ivanovaMother");
    const inbox = await ok(mother.req("GET", "/api/v1/messages?limit=10&unreadOnly=true"));
    expect(JSON.stringify(inbox)).toContain("Собрание");
    await ok(mother.req("POST", `/api/v1/messages/${messageId}/read`), 204);
    await ok(mother.req("POST", `/api/v1/messages/${messageId}/acknowledge`));
    await ok(mother.req("GET", `/api/v1/messages/${messageId}/thread`));
    const status = await ok(as("russian").req("GET", `/api/v1/messages/${messageId}/acknowledgements`));
    expect(status.acknowledged.length).toBe(1);
  });
});
