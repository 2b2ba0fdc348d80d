import { readFile } from "node:fs/promises";
import { PDFParse } from "pdf-parse";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn, startWebServer, type WebServer } from "../support/web.js";

/**
 * The deputy head in the browser, on the demo school: the control dashboard for the last two
 * weeks (per teacher, per class, and the details that open the journal page), then the reports
 * page, where a report's PDF downloads through a plain link of the signed-in browser.
 */
let server: WebServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(page: Page, item: string) {
  const burger = page.getByRole("button", { name: "Меню" });
  if (await burger.isVisible()) await burger.click();
  await page.getByRole("link", { name: item }).click();
}

describe("deputy head in the browser", () => {
  it("opens control for a date range and drills down to a journal page", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, "zavuch");
    await open(page, "Контроль");
    await page.getByRole("heading", { name: "Контроль ведения журнала" }).waitFor();
    const table = page.getByRole("table");
    await table.getByRole("columnheader", { name: "Не заполнено" }).waitFor({ timeout: 30_000 });
    // The demo leaves gaps: the teachers' rows are there, each with its totals.
    expect(await table.getByRole("row").count()).toBeGreaterThan(2);
    await screenshot(page, "control-teachers");

    await page.getByRole("tab", { name: "По классам" }).click();
    await page.getByRole("rowheader", { name: "5А" }).waitFor();

    // A narrower range is kept in the address.
    const to = await page.getByLabel("По", { exact: true }).inputValue();
    await page.getByLabel("С", { exact: true }).fill(to);
    await page.waitForURL(new RegExp(`from=${to}`));

    await page
      .getByLabel("С", { exact: true })
      .fill(await page.getByLabel("По", { exact: true }).inputValue().then(minusDays(28)));
    await page.getByRole("tab", { name: "Подробно" }).click();
    const first = page.getByRole("link", { name: /^Открыть журнал: / }).first();
    await first.waitFor({ timeout: 30_000 });
    await screenshot(page, "control-details");
    const href = (await first.getAttribute("href"))!;
    expect(href).toMatch(/^\/journal\?classId=\d+&subjectId=\d+&periodId=\d+/);
    await first.click();
    await page.waitForURL((url) => url.pathname === "/journal" && url.search.includes("classId="));
    await context.close();
  }, 120_000);

  it("downloads a report's PDF from the reports page", async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await signIn(page, server.url, "zavuch");
    await open(page, "Отчёты");
    const card = page.getByRole("region", { name: "Контроль ведения журнала" });
    await card.waitFor({ timeout: 30_000 });
    const pdfLink = card.getByRole("link", { name: /— PDF$/ });
    expect(await pdfLink.count()).toBe(0); // no period chosen yet: no link
    const period = card.getByLabel("Период");
    await period.locator("option", { hasText: "1 четверть" }).waitFor({ state: "attached" });
    await period.selectOption({ label: "1 четверть" });
    await screenshot(page, "reports");
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 60_000 }),
      pdfLink.click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Контроль ведения журнала \(control-\d+\)\.pdf$/);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = (await new PDFParse({ data: new Uint8Array(pdf) }).getText()).text;
    expect(text).toContain("Контроль ведения электронного журнала");
    expect(text).toContain("1 четверть");
    await context.close();
  }, 120_000);
});

function minusDays(days: number) {
  return (iso: string) =>
    new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
