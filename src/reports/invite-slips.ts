import { DateTime } from "luxon";
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import QRCode from "qrcode";
import { fullName } from "./document.js";
import { pdfmake } from "./render/pdf.js";

/**
 * Printed invitations to the Telegram bot: A4 sheets of slips to cut apart, one per guardian,
 * each with the child's full name, the one-time code, the bot's deep link and its QR code. The
 * class teacher hands them out (a parents' meeting); the bot may send the same file.
 */

export interface InviteSlip {
  guardian: { lastName: string; firstName: string; middleName: string | null };
  children: { lastName: string; firstName: string; middleName: string | null }[];
  code: string;
}

export interface SlipsOptions {
  schoolName: string;
  className: string;
  /** The bot's @username without "@"; null — unknown: the slip says to send /start <code>. */
  botUsername: string | null;
  expiresAt: Date;
  timeZone: string;
}

/** Slips per A4 page: four fit with a QR code large enough for any phone camera. */
export const SLIPS_PER_PAGE = 4;

/** The link that opens the bot with the code already in it (Telegram's `start` parameter). */
export const deepLink = (botUsername: string, code: string) =>
  `https://t.me/${botUsername}?start=${encodeURIComponent(code)}`;

/** The QR code of a text as SVG, no quiet zone (the slip's white margin is one). */
export const qrSvg = (text: string) =>
  QRCode.toString(text, { type: "svg", margin: 0, errorCorrectionLevel: "M" });

async function slip(s: InviteSlip, o: SlipsOptions, until: string): Promise<Content> {
  const link = o.botUsername ? deepLink(o.botUsername, s.code) : null;
  const many = s.children.length > 1;
  const text: Content[] = [
    { text: o.schoolName, fontSize: 8, color: "#555555" },
    { text: "Приглашение в электронный журнал", bold: true, fontSize: 12, margin: [0, 2, 0, 6] },
    { text: [{ text: "Родитель: ", color: "#555555" }, fullName(s.guardian)] },
    {
      text: [
        { text: many ? "Ученики: " : "Ученик: ", color: "#555555" },
        `${s.children.map(fullName).join(", ")}, ${o.className} класс`,
      ],
    },
    {
      text: [{ text: "Код: ", color: "#555555", fontSize: 10 }, s.code],
      bold: true,
      fontSize: 16,
      margin: [0, 6, 0, 4],
    },
    link
      ? {
          stack: [
            "Наведите камеру телефона на QR-код или откройте ссылку:",
            { text: link, color: "#1a4fa0" },
            `Или найдите в Telegram бота @${o.botUsername} и отправьте ему: /start ${s.code}`,
          ],
        }
      : `Найдите в Telegram бота школы и отправьте ему: /start ${s.code}`,
    {
      text: `Код одноразовый, действует до ${until}. Не передавайте его другим людям.`,
      fontSize: 8,
      color: "#555555",
      margin: [0, 4, 0, 0],
    },
  ];
  return {
    table: {
      widths: link ? ["*", 120] : ["*"],
      body: [
        [
          { stack: text, fontSize: 9 },
          ...(link ? [{ svg: await qrSvg(link), width: 112, alignment: "center" as const }] : []),
        ],
      ],
    },
    layout: {
      hLineStyle: () => ({ dash: { length: 4, space: 3 } }),
      vLineStyle: () => ({ dash: { length: 4, space: 3 } }),
      hLineColor: () => "#999999",
      vLineColor: () => "#999999",
      vLineWidth: (i: number) => (i === 0 || i === (link ? 2 : 1) ? 0.5 : 0),
      paddingLeft: () => 10,
      paddingRight: () => 10,
      paddingTop: () => 10,
      paddingBottom: () => 10,
    },
    unbreakable: true,
    margin: [0, 0, 0, 14],
  };
}

/** The slips as one PDF, SLIPS_PER_PAGE to an A4 page, dashed borders to cut along. */
export async function inviteSlipsPdf(slips: InviteSlip[], o: SlipsOptions): Promise<Buffer> {
  const until = DateTime.fromJSDate(o.expiresAt, { zone: o.timeZone }).toFormat("dd.MM.yyyy");
  const content: Content[] = [];
  for (const [i, s] of slips.entries()) {
    const c = await slip(s, o, until);
    content.push(i > 0 && i % SLIPS_PER_PAGE === 0 ? { stack: [c], pageBreak: "before" } : c);
  }
  if (slips.length === 0)
    content.push({ text: "Все родители класса уже подключены к боту: приглашать некого." });
  const definition: TDocumentDefinitions = {
    pageSize: "A4",
    pageOrientation: "portrait",
    pageMargins: [28, 28, 28, 28],
    content,
    defaultStyle: { font: "Roboto", fontSize: 9 },
    info: { title: `Приглашения родителям ${o.className}`, creator: "Журнал" },
  };
  return pdfmake().createPdf(definition).getBuffer();
}
