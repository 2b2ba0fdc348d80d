import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiToken,
  launchBrowser,
  screenshot,
  signIn,
  startWebServer,
  type WebServer,
} from "../support/web.js";

let server: WebServer;
let browser: Browser;
let page: Page;
let token: string;
let teacherId: number;
beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  token = await apiToken(server, "ivanova.mv");
  teacherId = (await api("/api/v1/me")).id;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Generous ceilings: several browsers and servers share two cores during the whole suite.
  page.setDefaultTimeout(90_000);
  await signIn(page, server.url, "ivanova.mv");
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function api(url: string) {
  const res = await server.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}
const ddmm = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;

describe("web journal: a teacher's screens", () => {
  it("shows the teacher's day", async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { name: /Мой день/ }).waitFor({ timeout: 90_000 });
    await screenshot(page, "today");
  }, 300_000);

  it("opens 5А mathematics, saves a typed 5 and refuses a 6 with the core's message, saving nothing", async () => {
    await page.goto(`${server.url}/journal`);
    await page.getByRole("combobox", { name: "Класс и предмет" }).click();
    await page.getByRole("option", { name: "5А — Математика" }).click();
    await page.getByRole("button", { name: "Открыть" }).click();
    const grid = page.getByRole("grid");
    await grid.waitFor({ timeout: 90_000 });
    const query = new URL(page.url()).search;
    const before = await api(`/api/v1/journal-grid${query}`);
    expect(before.class.name).toBe("5А");

    // The last lesson that has taken place, and two pupils with nothing in its column.
    const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Moscow" });
    const lesson = [...before.lessons].reverse().find((l: { date: string }) => l.date <= today);
    const filled = new Set(
      before.cells
        .filter((c: { lessonId: number }) => c.lessonId === lesson.id)
        .map((c: { pupilId: number }) => c.pupilId),
    );
    const [first, second] = before.pupils.filter((p: { pupilId: number }) => !filled.has(p.pupilId));
    const cellOf = (p: { lastName: string; firstName: string }) =>
      grid
        .getByRole("gridcell", { name: new RegExp(`^${p.lastName} ${p.firstName}, ${ddmm(lesson.date)}:`) })
        .first();

    await cellOf(first).click();
    await page.keyboard.type("5");
    await page.keyboard.press("Enter");
    await page.getByRole("status").getByText("Сохранено").waitFor({ timeout: 90_000 });
    await expect(cellOf(first).textContent()).resolves.toBe("5");
    const after = await api(`/api/v1/journal-grid${query}`);
    const saved = after.cells.find(
      (c: { pupilId: number; lessonId: number }) => c.pupilId === first.pupilId && c.lessonId === lesson.id,
    );
    expect(saved?.mark?.value).toBe("5");
    await screenshot(page, "journal-grid");

    // What the core says of a 6 (asked through the API; it saves nothing either).
    const refusal = await server.app.inject({
      method: "POST",
      url: `/api/v1/lessons/${lesson.id}/marks`,
      headers: { authorization: `Bearer ${token}` },
      payload: { marks: [{ pupilId: second.pupilId, value: "6" }] },
    });
    expect(refusal.statusCode).toBe(400);
    const message: string = refusal.json().message;
    expect(message).toMatch(/[А-Яа-я]/);

    await cellOf(second).click();
    await page.keyboard.type("6");
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert").filter({ hasText: "Не сохранено" });
    await alert.waitFor({ timeout: 90_000 });
    expect(await alert.textContent()).toContain(message);
    await expect(cellOf(second).getAttribute("data-state")).resolves.toBe("refused");
    await screenshot(page, "journal-grid-refused");
    const again = await api(`/api/v1/journal-grid${query}`);
    expect(
      again.cells.find(
        (c: { pupilId: number; lessonId: number }) =>
          c.pupilId === second.pupilId && c.lessonId === lesson.id,
      )?.mark,
    ).toBeUndefined();
  }, 240_000);

  it("opens a lesson page with its topic, homework and attendance", async () => {
    const [lesson] = await server.testDb.db.lesson.findMany({
      where: { teacherId, date: { lte: new Date() } },
      orderBy: [{ date: "desc" }],
      take: 1,
    });
    await page.goto(`${server.url}/lessons/${lesson!.id}`);
    await page.getByRole("textbox", { name: "Тема урока" }).waitFor({ timeout: 90_000 });
    await page.getByRole("button", { name: "Сохранить посещаемость" }).waitFor();
    await screenshot(page, "lesson");
  }, 300_000);

  it("refuses another teacher's lesson with the core's message", async () => {
    const other = await server.testDb.db.lesson.findFirst({
      where: {
        teacherId: { not: teacherId },
        substituteId: null,
        class: { OR: [{ classTeacherId: null }, { classTeacherId: { not: teacherId } }] },
      },
    });
    await page.goto(`${server.url}/lessons/${other!.id}`);
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 90_000 });
    expect(await alert.textContent()).toMatch(/Этот урок видят его учитель/);
    await screenshot(page, "lesson-refused");
  }, 300_000);
});
