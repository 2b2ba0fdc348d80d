import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { postMarks } from "../../src/journal/marks.js";
import type { UploadedFile } from "../support/fake-telegram.js";
import { pdfPages, pdfText } from "../support/pdf.js";
import { type BotHarness, buttonsOf, startBotHarness } from "./harness.js";

/** Documents and charts reach the chat as real files (issue 14), through the fake Bot API. */
// Rendering a PDF on a loaded machine: a generous ceiling (waits are for signals, not clocks).
vi.setConfig({ testTimeout: 60_000 });
const NOW = new Date("2026-11-24T19:00:00+03:00");

let h: BotHarness;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  h = await startBotHarness();
  const s = h.school;
  const teacher = s.people.math.actor;
  for (const [date, value] of [
    ["2026-11-17", "3"],
    ["2026-11-20", "4"],
    ["2026-11-23", "5"],
  ] as const) {
    const lesson = await s.lesson(s.assignments.math5, date, 1);
    await postMarks(h.testDb.db, teacher, {
      lessonId: lesson.id,
      marks: [{ pupilId: s.pupils.ivanov.id, value }],
    });
  }
  // A lesson past its fill deadline with nothing filled, for the control report.
  await s.lesson(s.assignments.russian5, "2026-11-23", 2);
  vi.useRealTimers();
});
afterAll(() => h?.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const uploaded = (method: string, chatId: number, field: string) => {
  const call = h.tg.calls.filter((c) => c.method === method && Number(c.payload.chat_id) === chatId).at(-1);
  return call
    ? { file: call.payload[field] as UploadedFile, caption: call.payload.caption, ok: call.response.ok }
    : null;
};

describe("the deputy head's control report", () => {
  it("comes as a PDF from /control → «PDF»", async () => {
    const deputy = await h.link(7001, h.school.people.deputy.id);
    await deputy.say("/control");
    expect(buttonsOf(deputy.last()).map((b) => b.text)).toContain("📄 PDF");
    await deputy.press("PDF");
    const sent = uploaded("sendDocument", 7001, "document");
    expect(sent?.ok).toBe(true);
    expect(sent!.file.filename).toBe("Контроль ведения журнала, 2 четверть.pdf");
    expect(sent!.file.contentType).toMatch(/pdf|octet-stream/);
    expect(sent!.caption).toBe("Контроль ведения электронного журнала: 2 четверть.");
    const text = pdfText(await pdfPages(sent!.file.bytes!));
    expect(text).toContain("Контроль ведения электронного журнала");
    expect(text).toContain("МБОУ «Школа № 1»");
    expect(text).toContain("Морозов Павел Ильич, 5А, Русский язык Нет темы урока 23.11");
  });

  it("is not sent to a teacher who presses the same button", async () => {
    const deputyMessage = h.tg.sentMessages(7001).find((m) => buttonsOf(m).some((b) => b.text === "📄 PDF"))!;
    const data = buttonsOf(deputyMessage).find((b) => b.text === "📄 PDF")!.data;
    const math = await h.link(7002, h.school.people.math.id);
    await math.pressData(data, deputyMessage);
    expect(uploaded("sendDocument", 7002, "document")).toBeNull();
  });
});

describe("the class teacher's documents", () => {
  it("the week's absence page and the invitation slips come as PDFs from /class", async () => {
    const s = h.school;
    const lesson = await s.lesson(s.assignments.math5, "2026-11-24", 2);
    await h.testDb.db.attendance.create({
      data: {
        lessonId: lesson.id,
        pupilId: s.pupils.petrov.id,
        kind: "ABSENT",
        reason: "ILLNESS",
        markedById: s.people.math.id,
      },
    });
    const teacher = await h.link(7005, s.people.russian.id);
    await teacher.say("/class");
    await teacher.press("Пропуски (PDF)");
    const absences = uploaded("sendDocument", 7005, "document");
    expect(absences?.ok).toBe(true);
    expect(absences!.file.filename).toBe("Пропуски за неделю, 23.11–24.11.pdf");
    const text = pdfText(await pdfPages(absences!.file.bytes!));
    expect(text).toContain("Сведения о пропущенных уроках, 5А класс");
    expect(text).toContain("с 23 ноября 2026 г. по 24 ноября 2026 г.");
    expect(text).toMatch(/Петров Пётр 1 0 1 0 0 1 1/);

    await teacher.press("Приглашения (PDF)");
    const slips = uploaded("sendDocument", 7005, "document");
    expect(slips!.file.filename).toBe("Приглашения родителям 5А.pdf");
    expect(slips!.caption).toMatch(/^Приглашения для подключения родителей: \d+\./);
    const codes = await h.testDb.db.inviteCode.count({
      where: { usedAt: null, person: { roles: { some: { role: "GUARDIAN" } } } },
    });
    expect(codes).toBeGreaterThan(0);
    expect(pdfText(await pdfPages(slips!.file.bytes!))).toContain("5А");
  });
});

describe("a guardian's subject chart", () => {
  it("comes as a picture from the diary's «График»", async () => {
    const mother = await h.link(7003, h.school.guardians.ivanovaMother.id);
    await mother.say("/marks");
    await mother.press("Иван Иванов");
    await mother.press("Математика");
    expect(buttonsOf(mother.last()).map((b) => b.text)).toContain("📈 График");
    await mother.press("График");
    const sent = uploaded("sendPhoto", 7003, "photo");
    expect(sent?.ok).toBe(true);
    const png = sent!.file.bytes!;
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 400]);
    expect(sent!.caption).toMatch(/^Иванов Иван, Математика, 2 четверть\nСредний балл: 4,00/);
  });

  it("is refused for another family's child", async () => {
    const mine = h.tg.sentMessages(7003).find((m) => buttonsOf(m).some((b) => b.text === "📈 График"))!;
    const data = buttonsOf(mine).find((b) => b.text === "📈 График")!.data;
    const other = await h.link(7004, h.school.guardians.petrovaMother.id);
    await other.pressData(data, mine);
    expect(uploaded("sendPhoto", 7004, "photo")).toBeNull();
  });
});
