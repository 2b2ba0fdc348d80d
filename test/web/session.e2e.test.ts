import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, signIn, startWebServer, type WebServer } from "../support/web.js";

let server: WebServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("web journal: sign-in and sign-out", () => {
  it("refuses a wrong password with the server's Russian message", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(90_000);
    await page.goto(server.url);
    await page.getByLabel("Логин").fill("ivanova.mv");
    await page.getByLabel("Пароль", { exact: true }).fill("не тот пароль");
    await page.getByRole("button", { name: "Войти" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/Неверный логин или пароль/);
    await screenshot(page, "login-refused");
    await page.close();
  }, 300_000);

  it("keeps no token where scripts can read it, survives a reload, and sign-out ends the session", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    await signIn(page, server.url, "ivanova.mv");
    await screenshot(page, "signed-in-phone");
    const readable = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
    }));
    expect(readable.cookie).not.toMatch(/zh_session/);
    expect(readable.local + readable.session).not.toMatch(/eyJ/); // no JWT
    const session = (await context.cookies()).find((c) => c.name === "zh_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });

    await page.reload();
    await page.getByRole("button", { name: "Учётная запись" }).waitFor();

    const before = (await context.cookies()).find((c) => c.name === "zh_session")!.value;
    await page.getByRole("button", { name: "Учётная запись" }).click();
    await page.getByRole("menuitem", { name: "Выйти" }).click();
    await page.getByRole("button", { name: "Войти" }).waitFor();
    expect((await context.cookies()).some((c) => c.name === "zh_session")).toBe(false);
    await page.reload();
    await page.getByRole("button", { name: "Войти" }).waitFor();
    // The cookie the browser held is revoked on the server, not just forgotten here.
    const replay = await server.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      headers: { cookie: `zh_session=${before}; zh_csrf=x`, "x-csrf-token": "x" },
    });
    expect(replay.statusCode).toBe(401);
    await context.close();
  }, 90_000);
});
