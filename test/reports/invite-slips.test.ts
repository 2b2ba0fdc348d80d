import { Resvg } from "@resvg/resvg-js";
import jsQRModule from "jsqr";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botUsernameResolver } from "../../src/http/bot-username.js";
import {
  deepLink,
  type InviteSlip,
  inviteSlipsPdf,
  qrSvg,
  SLIPS_PER_PAGE,
} from "../../src/reports/invite-slips.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";

// jsqr is CommonJS with a `default` beside module.exports; its types describe only the latter.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

/** The printed invitations: what a phone camera reads off the QR code, pagination, no-bot wording. */

const slip = (i: number): InviteSlip => ({
  guardian: { lastName: "Петрова", firstName: "Ольга", middleName: "Ивановна" },
  children: [{ lastName: "Петров", firstName: `Пётр${i}`, middleName: null }],
  code: `K${String(i).padStart(7, "2").replace(/[01]/g, "3")}`,
});
const options = {
  schoolName: "МБОУ «Средняя школа № 7»",
  className: "5А",
  botUsername: "school7_journal_bot",
  expiresAt: new Date("2026-12-01T09:00:00Z"),
  timeZone: "Europe/Moscow",
};

async function parse(pdf: Buffer) {
  const result = await new PDFParse({ data: new Uint8Array(pdf) }).getText();
  return { text: result.text, pages: result.total };
}

describe("invite slips", () => {
  it("draws a QR code that a camera decodes to the bot's deep link with the code", async () => {
    const link = deepLink("school7_journal_bot", "ABCD2345");
    expect(link).toBe("https://t.me/school7_journal_bot?start=ABCD2345");
    // The very SVG the slip embeds, rasterised as a printer would, then read as a phone would.
    const image = new Resvg(await qrSvg(link), {
      fitTo: { mode: "width", value: 300 },
      background: "white",
    }).render();
    // A white quiet zone around the code, as the slip's margin gives it on paper.
    const pad = 40;
    const width = image.width + 2 * pad;
    const height = image.height + 2 * pad;
    const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
    for (let y = 0; y < image.height; y++) {
      const row = image.pixels.subarray(y * image.width * 4, (y + 1) * image.width * 4);
      pixels.set(row, ((y + pad) * width + pad) * 4);
    }
    expect(jsQR(pixels, width, height)?.data).toBe(link);
  });

  it(`puts ${SLIPS_PER_PAGE} slips on an A4 page and every code, link and child on its slip`, async () => {
    const slips = Array.from({ length: 2 * SLIPS_PER_PAGE + 1 }, (_, i) => slip(i + 1));
    const { text, pages } = await parse(await inviteSlipsPdf(slips, options));
    expect(pages).toBe(3);
    for (const s of slips) {
      expect(text).toContain(`Код: ${s.code}`);
      expect(text).toContain(`https://t.me/school7_journal_bot?start=${s.code}`);
      expect(text).toContain(`${s.children[0]!.firstName}, 5А класс`);
    }
    expect(text).toContain("действует до 01.12.2026");
  });

  it("without a known bot name tells to send /start with the code, and draws no link", async () => {
    const { text } = await parse(await inviteSlipsPdf([slip(1)], { ...options, botUsername: null }));
    expect(text).toContain(`/start ${slip(1).code}`);
    expect(text).not.toContain("t.me");
  });
});

describe("the bot's name for deep links", () => {
  let tg: FakeTelegram;
  beforeAll(async () => {
    tg = await startFakeTelegram({ username: "school7_journal_bot" });
  });
  afterAll(async () => {
    await tg?.stop();
  });

  it("comes from BOT_USERNAME, else from the Bot API's getMe, else is unknown", async () => {
    const fromApi = botUsernameResolver({ BOT_TOKEN: tg.token, BOT_API_ROOT: tg.apiRoot });
    expect(await fromApi()).toBe("school7_journal_bot");
    const set = botUsernameResolver({
      BOT_USERNAME: "named_bot",
      BOT_TOKEN: tg.token,
      BOT_API_ROOT: tg.apiRoot,
    });
    expect(await set()).toBe("named_bot");
    expect(await botUsernameResolver({})()).toBeNull();
    const down = botUsernameResolver({ BOT_TOKEN: tg.token, BOT_API_ROOT: "http://127.0.0.1:9" });
    expect(await down()).toBeNull();
  });
});
