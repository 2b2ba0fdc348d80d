import nodemailer from "nodemailer";
import { QUEUES } from "../queues.js";
import { type ChannelAdapter, SendError } from "./types.js";

/** E-mail over SMTP (SMTP_URL); for people who switched e-mail on and have an address. */
export function emailChannel(opts: { smtpUrl: string; from: string; concurrency?: number }): ChannelAdapter {
  const transport = nodemailer.createTransport(opts.smtpUrl);
  return {
    channel: "EMAIL",
    queue: QUEUES.email,
    concurrency: opts.concurrency ?? 4,
    spacingMs: () => 0,
    async addresses(_db, people) {
      return new Map(people.filter((p) => p.emailOn && p.email).map((p) => [p.id, p.email as string]));
    },
    async send(address, message) {
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to: address,
          subject: message.subject,
          text: message.text,
        });
        return info.messageId;
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        // 5xx from the server: the address or message is refused for good; anything else retries.
        if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600)
          throw new SendError("rejected", e.message ?? "SMTP 5xx");
        throw new SendError("transient", e.message ?? String(err));
      }
    },
    async deactivate() {},
    async close() {
      transport.close();
    },
  };
}
