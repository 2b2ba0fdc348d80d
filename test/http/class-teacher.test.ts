import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  classGuardiansResponse,
  classInvitesResponse,
  classMessagesResponse,
} from "../../src/http/routes/class-teacher.js";
import { redeemInvite } from "../../src/journal/invites.js";
import { type HttpCtx, send, startHttp } from "./helpers.js";

/**
 * The class teacher's pages over HTTP: the class list with each guardian's link status, invite
 * codes for every unlinked guardian in one request (JSON or printable PDF slips), and the class's
 * messages with read and «Ознакомлен» counts; each refused to staff who do not lead the class.
 */
const BOT = "school7_journal_bot";
let ctx: HttpCtx;
let chat = 9_000_000;
beforeAll(async () => {
  process.env.BOT_USERNAME = BOT;
  ctx = await startHttp({ secondSchool: true });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-24T09:00:00+03:00"));
  const { db } = ctx.testDb;
  const g = ctx.school.guardians;
  await db.chatLink.create({ data: { personId: g.ivanovaMother.id, chatId: 5551 } });
  await db.notificationPreference.create({ data: { personId: g.petrovaMother.id, email: true } });
});
afterAll(async () => {
  delete process.env.BOT_USERNAME;
  await ctx?.close();
  vi.useRealTimers();
});

const url = (path: string, classId = ctx.school.classes.class5.id) => `/api/v1/classes/${classId}/${path}`;

async function pdfText(body: Buffer) {
  return (await new PDFParse({ data: new Uint8Array(body) }).getText()).text;
}

/** Every slip of the PDF: the text between two headings. */
const slipsOf = (text: string) => text.split("Приглашение в электронный журнал").slice(1);
const codeOf = (slip: string) => /Код: ([A-Z0-9]{8})/.exec(slip)?.[1];

describe("class list with guardians' link status", () => {
  it("shows each pupil's guardians as Telegram, e-mail or none, with totals", async () => {
    const res = await send(ctx, "russian", "GET", url("guardians"));
    expect(res.statusCode).toBe(200);
    const body = classGuardiansResponse.parse(res.json());
    expect(body.class.name).toBe("5А");
    const status = Object.fromEntries(
      body.pupils.map((p) => [
        `${p.lastName} ${p.firstName}`,
        p.guardians.map((x) => `${x.lastName}:${x.status}`),
      ]),
    );
    expect(status).toEqual({
      "Иванов Иван": ["Иванова:telegram"],
      "Иванова Мария": ["Иванова:telegram"],
      "Петров Пётр": ["Петрова:email"],
      "Сидорова Анна": ["Сидоров:none"],
      "Смирнов Алексей": [],
    });
    // The mother of two counts once.
    expect(body.totals).toEqual({ guardians: 3, telegram: 1, email: 1, none: 1 });
  });

  it.each([
    ["russian", 200],
    ["deputy", 200],
    ["director", 200],
    ["admin", 200],
    ["math", 403],
    ["primary", 403],
    ["ivanovaMother", 403],
    ["ivanov", 403],
    ["otherAdmin", 404],
    [null, 401],
  ] as const)("as %s answers %i", async (who, status) => {
    expect((await send(ctx, who, "GET", url("guardians"))).statusCode).toBe(status);
  });
});

describe("bulk invitations", () => {
  it("prints one A4 slip per unlinked guardian with the child's name, the code, the deep link; each code links that guardian", async () => {
    // A code given earlier by hand stops working once the slips are printed.
    const sidorov = ctx.school.guardians.sidorovFather;
    const early = await send(ctx, "russian", "POST", `/api/v1/people/${sidorov.id}/invites`);
    expect(early.statusCode).toBe(201);

    const res = await send(ctx, "russian", "POST", `${url("invites")}?format=pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="invites-\d+\.pdf"/);
    const text = await pdfText(res.rawPayload);
    const slips = slipsOf(text);
    // Иванова is linked in Telegram: no slip; Петрова (e-mail only) and Сидоров get one each.
    expect(slips).toHaveLength(2);
    const expected = [
      { guardian: "Петрова Ольга Ивановна", child: "Петров Пётр", id: ctx.school.guardians.petrovaMother.id },
      { guardian: "Сидоров Андрей Николаевич", child: "Сидорова Анна", id: sidorov.id },
    ];
    for (const [i, slip] of slips.entries()) {
      const code = codeOf(slip);
      expect(code, slip).toBeDefined();
      expect(slip).toContain(expected[i]!.guardian);
      expect(slip).toContain(`${expected[i]!.child}, 5А`);
      expect(slip).toContain(`https://t.me/${BOT}?start=${code}`);
      const linked = await redeemInvite(ctx.testDb.db, { code, chatId: ++chat });
      expect(linked.person.id).toBe(expected[i]!.id);
    }
    const stale = redeemInvite(ctx.testDb.db, { code: early.json().code, chatId: ++chat });
    await expect(stale).rejects.toMatchObject({ message: expect.stringMatching(/истёк/) });
  });

  it("issues all the codes of one request in one go, with an audit entry each", async () => {
    // Everyone of 5А is linked now except nobody: reissue explicitly for two, one of them linked.
    const g = ctx.school.guardians;
    const before = await ctx.testDb.db.auditLog.count({ where: { action: "invite.issue" } });
    const res = await send(ctx, "russian", "POST", url("invites"), {
      guardianIds: [g.ivanovaMother.id, g.sidorovFather.id],
    });
    expect(res.statusCode).toBe(200);
    const body = classInvitesResponse.parse(res.json());
    expect(body.invites.map((i) => [i.guardian.lastName, i.children.map((c) => c.firstName)])).toEqual([
      ["Иванова", ["Иван", "Мария"]],
      ["Сидоров", ["Анна"]],
    ]);
    expect(new Set(body.invites.map((i) => i.code)).size).toBe(2);
    expect(await ctx.testDb.db.auditLog.count({ where: { action: "invite.issue" } })).toBe(before + 2);
    const hashes = await ctx.testDb.db.inviteCode.count({
      where: {
        personId: { in: [g.ivanovaMother.id, g.sidorovFather.id] },
        usedAt: null,
        expiresAt: { gt: new Date() },
      },
    });
    expect(hashes).toBe(2);
  });

  it("prints a note instead of slips when every guardian is linked", async () => {
    const res = await send(ctx, "russian", "POST", `${url("invites")}?format=pdf`);
    expect(res.statusCode).toBe(200);
    const text = await pdfText(res.rawPayload);
    expect(slipsOf(text)).toHaveLength(0);
    expect(text).toContain("приглашать некого");
  });

  it("leaves a guardian who is also staff to the journal admin", async () => {
    const { db } = ctx.testDb;
    const { substitute } = ctx.school.people;
    await db.personRole.create({ data: { personId: substitute.id, role: "GUARDIAN" } });
    await db.guardianLink.create({
      data: { guardianId: substitute.id, pupilId: ctx.school.pupils.smirnov.id },
    });
    const byTeacher = classInvitesResponse.parse((await send(ctx, "russian", "POST", url("invites"))).json());
    expect(byTeacher.invites).toEqual([]);
    expect(byTeacher.skipped).toEqual([
      { guardian: expect.objectContaining({ id: substitute.id }), why: "staff" },
    ]);
    const byAdmin = classInvitesResponse.parse((await send(ctx, "admin", "POST", url("invites"))).json());
    expect(byAdmin.invites.map((i) => i.guardian.id)).toEqual([substitute.id]);
  });

  it("refuses guardians of another class, naming the field, and changes nothing", async () => {
    const before = await ctx.testDb.db.inviteCode.count();
    const res = await send(ctx, "russian", "POST", url("invites"), {
      guardianIds: [ctx.school.guardians.kozlovaMother.id],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain("guardianIds");
    expect(await ctx.testDb.db.inviteCode.count()).toBe(before);
    const typo = await send(ctx, "russian", "POST", url("invites"), { guardianId: [1] });
    expect(typo.statusCode).toBe(400);
    const format = await send(ctx, "russian", "POST", `${url("invites")}?format=docx`);
    expect(format.statusCode).toBe(400);
  });

  it.each([
    ["russian", 200],
    ["deputy", 200],
    ["admin", 200],
    ["director", 403],
    ["math", 403],
    ["primary", 403],
    ["petrovaMother", 403],
    ["otherAdmin", 404],
    [null, 401],
  ] as const)("as %s answers %i and issues codes only when allowed", async (who, status) => {
    const before = await ctx.testDb.db.inviteCode.count();
    const res = await send(ctx, who, "POST", url("invites"), {
      guardianIds: [ctx.school.guardians.petrovaMother.id],
    });
    expect(res.statusCode).toBe(status);
    expect(await ctx.testDb.db.inviteCode.count()).toBe(before + (status === 200 ? 1 : 0));
  });
});

describe("messages to the class's guardians", () => {
  it("lists the class teacher's messages with recipients, read, «Ознакомлен» and not linked counts", async () => {
    const sent = await send(ctx, "russian", "POST", "/api/v1/messages", {
      kind: "CLASS",
      classId: ctx.school.classes.class5.id,
      body: "Родительское собрание в четверг в 18:00",
      needsAck: true,
    });
    expect(sent.statusCode).toBe(201);
    const messageId = sent.json().id;
    expect(
      (await send(ctx, "ivanovaMother", "POST", `/api/v1/messages/${messageId}/acknowledge`)).statusCode,
    ).toBe(200);
    expect((await send(ctx, "petrovaMother", "POST", `/api/v1/messages/${messageId}/read`)).statusCode).toBe(
      204,
    );

    const res = await send(ctx, "russian", "GET", url("messages"));
    expect(res.statusCode).toBe(200);
    const list = classMessagesResponse.parse(res.json());
    expect(list[0]).toMatchObject({
      id: messageId,
      body: "Родительское собрание в четверг в 18:00",
      needsAck: true,
    });
    const recipients = sent.json().recipientIds.length;
    const linked = await ctx.testDb.db.chatLink.count({
      where: { personId: { in: sent.json().recipientIds }, active: true },
    });
    expect(list[0]!.counts).toEqual({ recipients, read: 2, acknowledged: 1, notLinked: recipients - linked });

    // Who has not read: the existing acknowledgements route.
    const ack = await send(ctx, "russian", "GET", `/api/v1/messages/${messageId}/acknowledgements`);
    expect(ack.json().acknowledged.map((p: { lastName: string }) => p.lastName)).toEqual(["Иванова"]);

    expect((await send(ctx, "deputy", "GET", url("messages"))).json()[0].id).toBe(messageId);
    expect((await send(ctx, "math", "GET", url("messages"))).statusCode).toBe(403);
    expect((await send(ctx, "primary", "GET", url("messages"))).statusCode).toBe(403);
    expect((await send(ctx, "ivanovaMother", "GET", url("messages"))).statusCode).toBe(403);
    expect((await send(ctx, "otherAdmin", "GET", url("messages"))).statusCode).toBe(404);
  });
});
