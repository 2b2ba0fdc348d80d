import { Api, GrammyError, HttpError, InlineKeyboard } from "grammy";
import { cb } from "../../bot/callback-data.js";
import type { Db } from "../../src/db/client.js";
import { moveChat } from "../../src/journal/chat-links.js";
import { deactivateChat } from "../../src/journal/invites.js";
import { QUEUES } from "../queues.js";
import { type ChannelAdapter, type MessageAction, SendError } from "./types.js";

/**
 * Telegram through grammY's Api. Limits: the global rate is BullMQ's limiter on this queue, the
 * per-chat spacing is pacing.ts (1 message/s in private chats, 20/min in groups).
 */
export interface TelegramOptions {
  token: string;
  apiRoot: string;
  globalRate: number;
  concurrency?: number;
}

const SAFETY = 0.95;

export function telegramChannel(opts: TelegramOptions): ChannelAdapter {
  const api = new Api(opts.token, { apiRoot: opts.apiRoot, timeoutSeconds: 15 });
  // Small windows keep the sends evenly spread: a whole second's budget at once would exceed
  // Telegram's sliding-window limit across the boundary of two windows.
  const slices = Math.max(1, Math.min(5, Math.floor(opts.globalRate / 5)));
  return {
    channel: "TELEGRAM",
    queue: QUEUES.telegram,
    limiter: { max: Math.max(1, Math.floor(opts.globalRate / slices)), duration: Math.round(1000 / slices) },
    concurrency: opts.concurrency ?? 32,
    // A 5 % margin below the rate: Telegram counts arrivals in a sliding second, and a request
    // delayed by the event loop or the network must not make a window hold one too many.
    globalSpacingMs: 1000 / (opts.globalRate * SAFETY),
    spacingMs: (address) => (address.startsWith("-") ? 3000 : 1000),
    async addresses(db, people) {
      const links = await db.chatLink.findMany({
        where: { personId: { in: people.map((p) => p.id) }, active: true },
        orderBy: { linkedAt: "asc" },
        select: { personId: true, chatId: true },
      });
      // The most recently linked chat wins: one Telegram delivery per person and event.
      return new Map(links.map((l) => [l.personId, String(l.chatId)]));
    },
    async send(address, message) {
      try {
        const keyboard = inlineKeyboard(message.actions ?? []);
        const sent = await api.sendMessage(address, message.text, {
          link_preview_options: { is_disabled: true },
          ...(keyboard ? { reply_markup: keyboard } : {}),
        });
        return String(sent.message_id);
      } catch (err) {
        throw classify(err);
      }
    },
    async edit(address, externalId, message) {
      try {
        const keyboard = inlineKeyboard(message.actions ?? []);
        await api.editMessageText(address, Number(externalId), message.text, {
          link_preview_options: { is_disabled: true },
          ...(keyboard ? { reply_markup: keyboard } : {}),
        });
      } catch (err) {
        // The same text again (a replay after a crash): the message already says it.
        if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
        throw classify(err);
      }
    },
    async move(db: Db, from, to) {
      await moveChat(db, from, to);
    },
    async deactivate(db: Db, address, why) {
      // The core's own rule (link kept for history, marked inactive, audited).
      await deactivateChat(db, { chatId: address, why: why === "chat_not_found" ? why : "blocked" });
    },
    async close() {},
  };
}

/**
 * Buttons the bot answers: the callback data comes from the bot's own builder, so a press on an
 * alert is handled exactly like the same button in the bot's inbox.
 */
export function inlineKeyboard(actions: MessageAction[]): InlineKeyboard | null {
  if (actions.length === 0) return null;
  const kb = new InlineKeyboard();
  for (const a of actions) {
    if (a.kind === "ack") kb.text(a.label, cb("ack", a.messageId)).row();
  }
  return kb;
}

export function classify(err: unknown): SendError {
  if (err instanceof GrammyError) {
    const d = err.description;
    if (err.error_code === 429) {
      const s = err.parameters.retry_after ?? 1;
      return new SendError("rate_limited", d, s * 1000);
    }
    if (err.error_code === 403)
      return new SendError("gone", d, 0, /blocked/i.test(d) ? "blocked" : "forbidden");
    const movedTo = err.parameters.migrate_to_chat_id;
    if (movedTo !== undefined) return new SendError("moved", d, 0, "", String(movedTo));
    if (
      /chat not found|user not found|chat_id is empty|group chat was deactivated|upgraded to a supergroup/i.test(
        d,
      )
    )
      return new SendError("gone", d, 0, "chat_not_found");
    if (/message to edit not found|message can't be edited/i.test(d)) return new SendError("not_editable", d);
    if (err.error_code >= 500) return new SendError("transient", d);
    return new SendError("rejected", d);
  }
  if (err instanceof HttpError) return new SendError("transient", err.message);
  return new SendError("transient", err instanceof Error ? err.message : String(err));
}
