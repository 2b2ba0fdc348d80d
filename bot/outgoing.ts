import { HttpError, type Transformer } from "grammy";
import type { Logger } from "../src/logger.js";
import { splitText, TELEGRAM_TEXT_LIMIT } from "../src/notifications/text-split.js";

/**
 * Every Bot API call of the bot passes here (an API transformer, installed once in createBot), so
 * no feature can bypass the two rules of what goes out:
 *
 * 1. A text longer than the messenger's limit is sent as several messages, cut between days,
 *    lines or words by `splitText` (issue 11 item 5). The buttons go under the last part and the
 *    caller gets that last message back (its id is the one buttons and drafts refer to). An edit
 *    that grew too long edits the message with the first part and sends the rest after it; an
 *    edit Telegram refuses because the message is too old or gone is sent as a new message.
 * 2. Cosmetic calls — answering a button, changing a keyboard, a chat action — never abort what
 *    the user asked for: a failure ("query is too old" after a restart's backlog, "message is not
 *    modified" on a double tap) is logged and the call resolves with `false` instead of throwing
 *    (item 6); a caller that must know (the error boundary's alert) checks it.
 */
export interface OutgoingOptions {
  log: Logger;
  /** The messenger's text limit (Telegram 4,096; MAX 4,000). */
  limit?: number;
}

/** Calls whose failure leaves the user's action intact. */
export const COSMETIC_METHODS = new Set([
  "answerCallbackQuery",
  "editMessageReplyMarkup",
  "sendChatAction",
  "setMessageReaction",
]);

/** A Bot API error that means the message already shows what we wanted. */
const NOT_MODIFIED = /message is not modified/i;
/** Errors of an edit whose message cannot be changed any more (older than 48 h, deleted). */
const GONE = /message to edit not found|message can't be edited/i;

type Payload = Record<string, unknown>;
type Call = (method: string, payload: Payload, signal?: AbortSignal) => Promise<ApiResult>;
type ApiResult = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };

export function outgoing(opts: OutgoingOptions): Transformer {
  const limit = opts.limit ?? TELEGRAM_TEXT_LIMIT;
  const transformer = async (prev: Call, method: string, payload: Payload, signal?: AbortSignal) => {
    if (COSMETIC_METHODS.has(method)) return cosmetic(opts.log, prev, method, payload, signal);
    if (method === "sendMessage") return sendLong(prev, payload, limit, signal);
    if (method === "editMessageText") return editLong(opts.log, prev, payload, limit, signal);
    return prev(method, payload, signal);
  };
  return transformer as unknown as Transformer;
}

async function cosmetic(
  log: Logger,
  prev: Call,
  method: string,
  payload: Payload,
  signal?: AbortSignal,
): Promise<ApiResult> {
  try {
    const res = await prev(method, payload, signal);
    if (res.ok) return res;
    log.warn({ method, code: res.error_code, telegram: res.description }, "cosmetic call failed; ignored");
  } catch (error) {
    log.warn(
      { method, err: error instanceof HttpError ? error.message : String(error) },
      "cosmetic call failed",
    );
  }
  return { ok: true, result: false };
}

const partsOf = (payload: Payload, limit: number): string[] | null => {
  const text = typeof payload.text === "string" ? payload.text : "";
  const html = typeof payload.parse_mode === "string" && payload.parse_mode.toUpperCase() === "HTML";
  // Plain texts within the limit go out untouched (the common case costs one length check).
  if (!html && text.length <= limit) return null;
  const parts = splitText(text, { limit, html });
  return parts.length > 1 ? parts : null;
};

/** Sends the parts in order; stops at the first failure and returns it. */
async function sendParts(
  prev: Call,
  payload: Payload,
  parts: string[],
  signal?: AbortSignal,
): Promise<ApiResult> {
  const { reply_markup, reply_parameters, reply_to_message_id, entities: _e, ...common } = payload;
  let res: ApiResult = { ok: false, error_code: 400, description: "Bad Request: message text is empty" };
  for (const [i, text] of parts.entries()) {
    const first = i === 0;
    const last = i === parts.length - 1;
    res = await prev(
      "sendMessage",
      {
        ...common,
        text,
        ...(first && reply_parameters !== undefined ? { reply_parameters } : {}),
        ...(first && reply_to_message_id !== undefined ? { reply_to_message_id } : {}),
        ...(last && reply_markup !== undefined ? { reply_markup } : {}),
      },
      signal,
    );
    if (!res.ok) return res;
  }
  return res;
}

function sendLong(prev: Call, payload: Payload, limit: number, signal?: AbortSignal) {
  const parts = partsOf(payload, limit);
  return parts ? sendParts(prev, payload, parts, signal) : prev("sendMessage", payload, signal);
}

async function editLong(log: Logger, prev: Call, payload: Payload, limit: number, signal?: AbortSignal) {
  const parts = partsOf(payload, limit);
  const [head, ...rest] = parts ?? [];
  const res = await prev(
    "editMessageText",
    head === undefined ? payload : { ...payload, text: head },
    signal,
  );
  if (!res.ok && NOT_MODIFIED.test(res.description)) {
    // A double tap: the message already says this.
    log.debug({ method: "editMessageText" }, "message not modified; ignored");
    return { ok: true as const, result: true };
  }
  if (!res.ok && GONE.test(res.description) && payload.chat_id !== undefined) {
    // The message is too old to edit or was deleted: the answer still reaches the user, as a new one.
    log.info({ method: "editMessageText", telegram: res.description }, "edit refused; sent as a new message");
    const { message_id: _m, inline_message_id: _i, ...fresh } = payload;
    return sendLong(prev, fresh, limit, signal);
  }
  if (!res.ok || rest.length === 0 || payload.chat_id === undefined) return res;
  const { message_id: _m, inline_message_id: _i, reply_markup: _k, entities: _e, ...common } = payload;
  const more = await sendParts(prev, common, rest, signal);
  return more.ok ? res : more;
}
