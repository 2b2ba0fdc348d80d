import { readFile } from "node:fs/promises";
import { PDFParse } from "pdf-parse";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashInviteCode } from "../../src/journal/invites.js";
import { acknowledge } from "../../src/journal/messages.js";
import {
  apiToken,
  launchBrowser,
  screenshot,
  signIn,
  startWebServer,
  type WebServer,
} from "../support/web.js";

/**
 * The class teacher in the browser, on the demo school (ivanova.mv leads 5А): the class list with
 * each guardian's link to the bot, invitation slips printed in one click (the downloaded PDF holds
 * a working code for every guardian who had no Telegram), the week's absences with a reason set,
 * and a message to the guardians whose «Ознакомлен» count goes up while the page is open.
 */
const BOT = "school7_journal_bot";
let server: WebServer;
let browser: Browser;
let classId: number;
beforeAll(async () => {
  process.env.BOT_USERNAME = BOT;
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  const cls = await server.testDb.db.class.findFirstOrThrow({
    where: { grade: 5, letter: "А", year: { schoolId: server.schoolId } },
  });
  classId = cls.id;
}, 180_000);
afterAll(async () => {
  delete process.env.BOT_USERNAME;
  await browser?.close();
  await server?.close();
});

async function openClass(page: Page) {
  await signIn(page, server.url, "ivanova.mv");
  const link = page.getByRole("link", { name: "Мой класс" });
  // On a phone the menu is behind the burger button.
  const burger = page.getByRole("button", { name: "Меню" });
  if (await burger.isVisible()) await burger.click();
  await link.click();
  await page.getByRole("heading", { name: "Класс 5А" }).waitFor({ timeout: 30_000 });
}

/** The guardians of 5А as the API shows them to the class teacher. */
async function guardians() {
  const token = await apiToken(server, "ivanova.mv");
  const res = await server.app.inject({
    url: `/api/v1/classes/${classId}/guardians`,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.statusCode).toBe(200);
  const byId = new Map<number, { id: number; telegram: boolean; lastName: string }>();
  for (const p of res.json().pupils) for (const g of p.guardians) byId.set(g.id, g);
  return [...byId.values()];
}

describe("class teacher in the browser", () => {
  it("prints invitation slips: the PDF holds a valid code for every guardian without Telegram", async () => {
    // One guardian already reads the bot: no slip for them.
    const all = await guardians();
    expect(all.length).toBeGreaterThan(3);
    await server.testDb.db.chatLink.create({ data: { personId: all[0]!.id, chatId: 777_001 } });
    const unlinked = all.slice(1);

    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await openClass(page);
    await page.getByText(/Родителей: \d+\. Telegram: 1,/).waitFor();
    await page
      .getByRole("cell", { name: /Telegram/ })
      .first()
      .waitFor();
    await screenshot(page, "class-guardians");

    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 60_000 }),
      page.getByRole("button", { name: "Напечатать приглашения" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("Приглашения родителям 5А.pdf");
    const pdf = await readFile((await download.path())!);
    const text = (await new PDFParse({ data: new Uint8Array(pdf) }).getText()).text;
    const codes = [...text.matchAll(/Код: ([A-Z0-9]{8})/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(unlinked.length);
    for (const code of codes) expect(text).toContain(`https://t.me/${BOT}?start=${code}`);

    // Every printed code is the one valid code of exactly one of those guardians.
    const valid = await server.testDb.db.inviteCode.findMany({
      where: { personId: { in: all.map((g) => g.id) }, usedAt: null, expiresAt: { gt: new Date() } },
      select: { personId: true, codeHash: true },
    });
    expect(valid.map((v) => v.personId).sort()).toEqual(unlinked.map((g) => g.id).sort());
    expect(codes.map(hashInviteCode).sort()).toEqual(valid.map((v) => v.codeHash).sort());

    await page.getByRole("status").filter({ hasText: "Файл с приглашениями сохранён" }).waitFor();
    await page
      .getByText(/код до \d\d\.\d\d\.\d{4}/)
      .first()
      .waitFor();
    await screenshot(page, "class-invitations-printed");
    await context.close();
  }, 180_000);

  it("sets an absence reason for the week and it is saved", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openClass(page);
    await page.getByRole("tab", { name: "Пропуски недели" }).click();
    const reasons = page.getByRole("combobox", { name: /^Причина: / });
    // Early in a week there may be nothing yet: look back a week or two.
    for (let i = 0; i < 3 && (await hasRows(page)) === false; i++) {
      await page.getByRole("button", { name: "Предыдущая неделя" }).click();
    }
    const select = reasons.first();
    const name = (await select.getAttribute("aria-label"))!;
    await select.selectOption("ILLNESS");
    await page.getByRole("button", { name: /Сохранить причины \(1\)/ }).click();
    await page.getByRole("status").filter({ hasText: "Сохранено" }).waitFor();
    await screenshot(page, "class-absences");

    // Re-read through the API: the row named on the select now has the reason.
    const [, pupil, date] = /^Причина: (.+), (\d\d\.\d\d\.\d{4}), /.exec(name)!;
    const iso = `${date!.slice(6)}-${date!.slice(3, 5)}-${date!.slice(0, 2)}`;
    const token = await apiToken(server, "ivanova.mv");
    const res = await server.app.inject({
      url: `/api/v1/classes/${classId}/absences?from=${iso}&to=${iso}`,
      headers: { authorization: `Bearer ${token}` },
    });
    const rows = res.json() as { pupil: { lastName: string; firstName: string }; reason: string | null }[];
    expect(
      rows.some((r) => `${r.pupil.lastName} ${r.pupil.firstName}` === pupil && r.reason === "ILLNESS"),
    ).toBe(true);
    await context.close();
  }, 120_000);

  it("sends a message to the class's guardians and shows «Ознакомлен» going up live", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await openClass(page);
    await page.getByRole("tab", { name: "Сообщения родителям" }).click();
    const body = `Собрание в четверг в 18:00 (${Date.now()})`;
    await page.getByLabel("Сообщение родителям класса").fill(body);
    await page.getByRole("button", { name: "Отправить" }).click();
    const card = page.getByRole("article").filter({ hasText: body });
    await card.getByText(/ознакомились 0/).waitFor();

    const message = await server.testDb.db.message.findFirstOrThrow({
      where: { body },
      select: { id: true, recipients: { select: { personId: true }, take: 1 } },
    });
    const guardianId = message.recipients[0]!.personId;
    await acknowledge(
      server.testDb.db,
      { personId: guardianId, schoolId: server.schoolId, roles: ["GUARDIAN"] },
      {
        messageId: message.id,
      },
    );
    // No reload: the page refreshes the counts by itself.
    await card.getByText(/ознакомились 1/).waitFor({ timeout: 40_000 });
    await card.getByRole("button", { name: "Кто не ознакомился" }).click();
    await card.getByText("Бот не подключён — сообщите другим способом").waitFor();
    await screenshot(page, "class-messages-phone");
    await context.close();
  }, 120_000);
});

async function hasRows(page: Page) {
  const empty = page.getByText("На этой неделе пропусков нет.");
  const row = page.getByRole("combobox", { name: /^Причина: / }).first();
  await empty.or(row).first().waitFor({ timeout: 30_000 });
  return row.isVisible();
}
