/**
 * A small fake Telegram Bot API server for tests, demos and benchmarks.
 *
 * Telegram is unreachable from CI and dev machines, so the bot talks to this instead: point grammY's
 * `client.apiRoot` at `apiRoot`. The fake records every call, answers in the Bot API shape, serves
 * long polling or webhook delivery of injected updates, and can inject faults and enforce
 * Telegram-like rate limits. It deliberately mimics the Telegram errors that real bots trip over
 * (unbalanced HTML, edit-not-modified, blocked users, oversized callback data) so tests catch them.
 *
 * Run directly for manual demos: `tsx test/support/fake-telegram.ts --port 8081`.
 */
import { realpathSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type {
  CallbackQuery,
  Chat,
  ChatMemberBanned,
  ChatMemberMember,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";

// ---------------------------------------------------------------------------------------------
// Public types

/** A Telegram user as tests describe it; `is_bot: false` is added when building updates. */
export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type FailureKind =
  | { code: 429; retryAfter: number; description?: string }
  | { code: 403; description?: string }
  | {
      code: 400;
      description: string /** A group upgraded to a supergroup: its new id. */;
      migrateTo?: number;
    }
  | { code: 500 | 502; description?: string };

export interface ApiSuccess {
  ok: true;
  result: unknown;
}

export interface ApiError {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export type ApiResponse = ApiSuccess | ApiError;

/** What an uploaded multipart file turns into inside a recorded payload (the bytes are not kept). */
export interface UploadedFile {
  upload: true;
  filename: string;
  size: number;
  contentType: string;
  /** The uploaded bytes (not enumerable, so recorded payloads compare and print as before). */
  bytes?: Buffer;
}

export type Payload = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  token: string;
  payload: Payload;
  /** Arrival time (ms, from the `now` clock). */
  at: number;
  response: ApiResponse;
  status: number;
}

export interface LimitOptions {
  globalPerSecond?: number;
  perChatPerSecond?: number;
  groupPerMinute?: number;
}

export interface FakeTelegramOptions {
  port?: number;
  host?: string;
  /** Token reported back to tests; default `123456789:TEST-fake-telegram-token`. */
  token?: string;
  /** When true, calls with any other token get 401 Unauthorized like real Telegram. Default false. */
  strictToken?: boolean;
  username?: string;
  firstName?: string;
  /** Telegram-like rate limits on send* calls; off by default (`false`/undefined). */
  limits?: LimitOptions | false;
  /** Seed of the pseudo-random generator behind `failRate`. Default 1. */
  seed?: number;
  /** Clock used for rate limits and `RecordedCall.at`; inject one to test limits without sleeping. */
  now?: () => number;
  /** Let the bot's own `setWebhook`/`deleteWebhook` switch delivery mode, as Telegram does. Default true. */
  followSetWebhook?: boolean;
  /** How long a webhook POST may take before it counts as failed. Default 10 s. */
  webhookTimeoutMs?: number;
  /** Receives one line per recorded call (the CLI prints them). */
  log?: (line: string) => void;
}

export interface FakeStats {
  calls: number;
  /** send* calls answered ok. */
  accepted: number;
  rate429: number;
  error5xx: number;
  forbidden403: number;
  badRequest400: number;
}

export interface WebhookDelivery {
  update: Update;
  at: number;
  status: number;
  ok: boolean;
  error?: string;
}

export type CallMatcher = string | ((call: RecordedCall) => boolean);

/** Accepts grammY's `Update` shape; `update_id` is assigned when omitted. */
export type UpdateInput = Omit<Update, "update_id"> & { update_id?: number };

/** A reference to a message the bot sent: the Message grammY returned, or just its id and chat. */
export type MessageRef = Pick<Message, "message_id"> & { chat: { id: number } };

export type FakeTelegram = FakeTelegramServer;

const DEFAULT_TOKEN = "123456789:TEST-fake-telegram-token";
const DEFAULT_LIMITS: Required<LimitOptions> = {
  globalPerSecond: 30,
  perChatPerSecond: 1,
  groupPerMinute: 20,
};
const MAX_BODY_BYTES = 60 * 1024 * 1024;

/** Starts the fake on 127.0.0.1 (random port unless `port` is given). */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegramServer(opts);
  await fake.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  return fake;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

interface Reply {
  status: number;
  body: ApiResponse;
}

const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });

const fail = (code: number, description: string, retryAfter?: number): Reply => ({
  status: code,
  body: {
    ok: false,
    error_code: code,
    description,
    ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
  },
});

function replyForFailure(kind: FailureKind): Reply {
  switch (kind.code) {
    case 429: {
      const seconds = Math.max(1, Math.ceil(kind.retryAfter));
      return fail(429, kind.description ?? `Too Many Requests: retry after ${seconds}`, seconds);
    }
    case 403:
      return fail(403, kind.description ?? "Forbidden: bot was blocked by the user");
    case 400:
      return kind.migrateTo === undefined
        ? fail(400, kind.description)
        : {
            status: 400,
            body: {
              ok: false,
              error_code: 400,
              description: kind.description,
              parameters: { migrate_to_chat_id: kind.migrateTo },
            },
          };
    case 500:
      return fail(500, kind.description ?? "Internal Server Error");
    case 502:
      return fail(502, kind.description ?? "Bad Gateway");
  }
}

/** mulberry32: tiny, fast and good enough to make `failRate` repeatable from a seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts toward limits, failRate and `stats.accepted`: things that put a message into a chat. */
function isSendMethod(method: string): boolean {
  const m = method.toLowerCase();
  return (m.startsWith("send") && m !== "sendchataction") || m === "copymessage" || m === "forwardmessage";
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

/** Telegram accepts numeric ids as numbers or strings, and `@username` for public channels. */
function chatIdOf(payload: Payload): number | string | undefined {
  const raw = payload.chat_id;
  return asNumber(raw) ?? (typeof raw === "string" && raw !== "" ? raw : undefined);
}

function isInlineKeyboard(value: unknown): value is InlineKeyboardMarkup {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { inline_keyboard?: unknown }).inline_keyboard)
  );
}

function callbackDataOf(markup: InlineKeyboardMarkup): string[] {
  return markup.inline_keyboard.flat().flatMap((b) => ("callback_data" in b ? [b.callback_data] : []));
}

// ---------------------------------------------------------------------------------------------
// Request body parsing

/**
 * Form bodies carry every value as a string; Telegram converts per parameter type. We only coerce
 * what tests compare against (ids, numbers, booleans, JSON objects) and leave free text alone, so a
 * caption of "42" stays a string.
 */
const NUMERIC_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "user_id",
  "offset",
  "limit",
  "timeout",
  "reply_to_message_id",
  "message_thread_id",
  "cache_time",
  "max_connections",
  "width",
  "height",
  "duration",
  "latitude",
  "longitude",
]);
const BOOLEAN_FIELD = /^(disable_|protect_|show_alert|allow_|drop_pending|is_|has_|supports_|can_)/;

function coerceFormValue(key: string, value: string): unknown {
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEAN_FIELD.test(key) && (value === "true" || value === "false")) return value === "true";
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType: string;
  data: Buffer;
}

function headerParam(header: string, param: string): string | undefined {
  // grammY writes `filename=photo.jpg` unquoted, browsers quote it: accept both.
  const match = new RegExp(`(?:^|;)\\s*${param}=(?:"([^"]*)"|([^;]*))`, "i").exec(header);
  return match ? (match[1] ?? match[2]?.trim()) : undefined;
}

/** A minimal multipart/form-data parser: enough for grammY's uploads and curl, not a general one. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    if (body[start] === 0x0d) start += 2;
    const end = body.indexOf(nextDelimiter, start);
    if (end === -1) break;
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = new Map<string, string>();
      for (const line of part.subarray(0, headerEnd).toString("utf8").split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const disposition = headers.get("content-disposition") ?? "";
      const name = headerParam(disposition, "name");
      if (name !== undefined) {
        parts.push({
          name,
          filename: headerParam(disposition, "filename"),
          contentType: headers.get("content-type") ?? "text/plain",
          data: part.subarray(headerEnd + 4),
        });
      }
    }
    pos = end + 2;
  }
  return parts;
}

/** Replaces `attach://id` strings anywhere in the payload by the uploaded file's description. */
function resolveAttachments(value: unknown, files: Map<string, UploadedFile>): unknown {
  if (typeof value === "string" && value.startsWith("attach://")) return files.get(value.slice(9)) ?? value;
  if (Array.isArray(value)) return value.map((v) => resolveAttachments(v, files));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveAttachments(v, files)]));
  }
  return value;
}

function payloadFromMultipart(body: Buffer, contentType: string): Payload {
  const boundary = headerParam(contentType, "boundary");
  if (!boundary) throw new Error("multipart body without boundary");
  const payload: Payload = {};
  const files = new Map<string, UploadedFile>();
  for (const part of parseMultipart(body, boundary)) {
    if (part.filename === undefined) {
      payload[part.name] = coerceFormValue(part.name, part.data.toString("utf8"));
    } else {
      const file: UploadedFile = {
        upload: true,
        filename: part.filename,
        size: part.data.length,
        contentType: part.contentType,
      };
      Object.defineProperty(file, "bytes", { value: part.data, enumerable: false });
      files.set(part.name, file);
    }
  }
  const resolved = resolveAttachments(payload, files) as Payload;
  // A file part named after the parameter itself (curl -F photo=@x.jpg) is also a valid upload.
  for (const [name, file] of files) if (!(name in resolved)) resolved[name] = file;
  return resolved;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error("Request Entity Too Large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function readPayload(req: IncomingMessage, url: URL): Promise<Payload> {
  const payload: Payload = {};
  for (const [k, v] of url.searchParams) payload[k] = coerceFormValue(k, v);
  const body = await readBody(req);
  if (body.length === 0) return payload;
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.includes("multipart/form-data"))
    return { ...payload, ...payloadFromMultipart(body, contentType) };
  if (contentType.includes("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) payload[k] = coerceFormValue(k, v);
    return payload;
  }
  const parsed = JSON.parse(body.toString("utf8")) as unknown;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("JSON body must be an object");
  return { ...payload, ...(parsed as Payload) };
}

// ---------------------------------------------------------------------------------------------
// HTML parse_mode: validated because unescaped `<` in user-provided names is a classic bot bug.

const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
  "tg-time",
]);

/** Returns plain text (what Telegram stores) or throws with a Telegram-like error description. */
function parseHtml(text: string): string {
  const stack: string[] = [];
  const tag = /<(\/?)([a-z][a-z-]*)?[^<>]*(>?)/gi;
  for (let m = tag.exec(text); m !== null; m = tag.exec(text)) {
    const offset = Buffer.byteLength(text.slice(0, m.index));
    const name = (m[2] ?? "").toLowerCase();
    const closing = m[1] === "/";
    if (!m[3] || !name) throw new Error(`Unsupported start tag "${name}" at byte offset ${offset}`);
    if (!HTML_TAGS.has(name)) throw new Error(`Unsupported start tag "${name}" at byte offset ${offset}`);
    if (!closing) {
      stack.push(name);
      continue;
    }
    const open = stack.pop();
    if (open !== name) {
      throw new Error(
        `Unmatched end tag at byte offset ${offset}, expected "</${open ?? ""}>", found "</${name}>"`,
      );
    }
  }
  if (stack.length > 0) throw new Error(`Can't find end tag corresponding to start tag "${stack.at(-1)}"`);
  return text
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
}

function plainText(text: string, parseMode: unknown): string {
  return typeof parseMode === "string" && parseMode.toLowerCase() === "html" ? parseHtml(text) : text;
}

// ---------------------------------------------------------------------------------------------
// The server

interface PendingFailure {
  remaining: number;
  kind: FailureKind;
  methods?: Set<string>;
}

interface CallWaiter {
  matches: (call: RecordedCall) => boolean;
  count: number;
  resolve: (calls: RecordedCall[]) => void;
}

type PollOutcome = "update" | "timeout" | "conflict" | "aborted";

const MEDIA_FIELDS: Record<string, string> = {
  sendphoto: "photo",
  senddocument: "document",
  sendvideo: "video",
  sendaudio: "audio",
  sendvoice: "voice",
  sendanimation: "animation",
  sendsticker: "sticker",
  sendvideonote: "video_note",
};

export class FakeTelegramServer {
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly calls: RecordedCall[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  readonly stats: FakeStats = {
    calls: 0,
    accepted: 0,
    rate429: 0,
    error5xx: 0,
    forbidden403: 0,
    badRequest400: 0,
  };
  url = "";
  apiRoot = "";
  port = 0;

  private readonly server: Server;
  private readonly now: () => number;
  private readonly opts: FakeTelegramOptions;
  private limits: Required<LimitOptions> | null;
  private random: () => number;
  private stopped = false;
  private readonly stopController = new AbortController();

  private nextUpdateId = 1;
  private nextMessageId = 1;
  private nextCallbackId = 1;
  private pending: Update[] = [];
  private readonly pollWaiters = new Map<string, (outcome: PollOutcome) => void>();
  private readonly callWaiters = new Set<CallWaiter>();

  private webhook: { url: string; secretToken?: string } | null = null;
  private deliveryChain: Promise<void> = Promise.resolve();

  private readonly messages = new Map<string, Message>();
  private readonly users = new Map<number, FakeUser>();
  private readonly blockedChats = new Set<string>();
  /** Basic groups upgraded to supergroups: old id → new id (Telegram refuses the old id). */
  private readonly migratedChats = new Map<string, number>();
  private readonly callbackIds = new Set<string>();

  private readonly failQueue: PendingFailure[] = [];
  private rateFailure: { rate: number; kind: FailureKind } | null = null;
  private readonly chatFailures = new Map<string, FailureKind>();
  private outageKind: FailureKind | null = null;
  private readonly globalSends: number[] = [];
  private readonly chatSends = new Map<string, number[]>();

  constructor(opts: FakeTelegramOptions = {}) {
    this.opts = opts;
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.now = opts.now ?? Date.now;
    this.limits = opts.limits ? { ...DEFAULT_LIMITS, ...opts.limits } : null;
    this.random = seededRandom(opts.seed ?? 1);
    this.botInfo = {
      id: Number(this.token.split(":")[0]) || 123456789,
      is_bot: true,
      first_name: opts.firstName ?? "Zhurnal Test Bot",
      username: opts.username ?? "zhurnal_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) writeJson(res, 500, fail(500, `Internal Server Error: ${String(err)}`).body);
      });
    });
    // Long polls are held up to `timeout` seconds; Node's default request timeouts must not cut them.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
  }

  /** @internal used by startFakeTelegram */
  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.apiRoot = `http://${host}:${this.port}`;
    this.url = this.apiRoot;
  }

  // ----- recorded calls -----

  callsOf = (method: string): RecordedCall[] => this.calls.filter((c) => c.method === method);

  /** Resolves with the matching calls once at least `count` are recorded (including earlier ones). */
  waitForCalls = (match: CallMatcher, count = 1, timeoutMs = 2000): Promise<RecordedCall[]> => {
    const matches = typeof match === "string" ? (c: RecordedCall) => c.method === match : match;
    const label = typeof match === "string" ? `"${match}"` : "predicate";
    const already = this.calls.filter(matches);
    if (already.length >= count) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter: CallWaiter = {
        matches,
        count,
        resolve: (calls) => {
          clearTimeout(timer);
          resolve(calls);
        },
      };
      const timer = setTimeout(() => {
        this.callWaiters.delete(waiter);
        const seen = this.calls.filter(matches).length;
        reject(
          new Error(
            `waitForCalls: expected ${count} call(s) matching ${label} within ${timeoutMs} ms, got ${seen}. ` +
              `Recorded ${this.calls.length}: ${this.describeCalls()}`,
          ),
        );
      }, timeoutMs);
      this.callWaiters.add(waiter);
    });
  };

  /** Forgets recorded calls, deliveries and stats; messages, users and faults are kept. */
  clear = (): void => {
    this.calls.length = 0;
    this.deliveries.length = 0;
    for (const key of Object.keys(this.stats) as (keyof FakeStats)[]) this.stats[key] = 0;
  };

  /** Messages the bot has sent (current state after edits and deletions), optionally for one chat. */
  sentMessages = (chatId?: number | string): Message[] =>
    [...this.messages.values()].filter(
      (m) => m.from?.id === this.botInfo.id && (chatId === undefined || String(m.chat.id) === String(chatId)),
    );

  /** Updates waiting for getUpdates (not yet confirmed by a later offset). */
  pendingUpdates = (): Update[] => [...this.pending];

  private describeCalls(): string {
    const shown = this.calls.slice(-20).map((c) => {
      const chat = c.payload.chat_id === undefined ? "" : ` chat=${String(c.payload.chat_id)}`;
      return `${c.method}${chat} -> ${c.status}`;
    });
    return (this.calls.length > 20 ? "..., " : "") + (shown.join(", ") || "(none)");
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.countStats(call);
    this.opts.log?.(
      `${new Date().toISOString()} ${call.method} ${call.status}${call.payload.chat_id === undefined ? "" : ` chat=${String(call.payload.chat_id)}`}`,
    );
    for (const waiter of this.callWaiters) {
      const matched = this.calls.filter(waiter.matches);
      if (matched.length >= waiter.count) {
        this.callWaiters.delete(waiter);
        waiter.resolve(matched);
      }
    }
  }

  private countStats(call: RecordedCall): void {
    this.stats.calls++;
    if (call.status === 200 && isSendMethod(call.method)) this.stats.accepted++;
    else if (call.status === 429) this.stats.rate429++;
    else if (call.status === 403) this.stats.forbidden403++;
    else if (call.status === 400) this.stats.badRequest400++;
    else if (call.status >= 500) this.stats.error5xx++;
  }

  // ----- fault injection -----

  /** The next `n` calls (of `methods`, or of any method except getUpdates) fail with `kind`. */
  failNext = (n: number, kind: FailureKind, methods?: string | string[]): void => {
    const list = methods === undefined ? undefined : new Set(Array.isArray(methods) ? methods : [methods]);
    this.failQueue.push({ remaining: n, kind, methods: list });
  };

  /** Fails a fraction `rate` of send* calls; pass `seed` to restart the generator. `rate` 0 turns it off. */
  failRate = (rate: number, kind: FailureKind, seed?: number): void => {
    this.rateFailure = rate > 0 ? { rate, kind } : null;
    if (seed !== undefined) this.random = seededRandom(seed);
  };

  /** Every call addressed to `chatId` fails with `kind`; `null` lifts it. */
  failChat = (chatId: number | string, kind: FailureKind | null): void => {
    if (kind) this.chatFailures.set(String(chatId), kind);
    else this.chatFailures.delete(String(chatId));
  };

  /**
   * An outage: every call except getUpdates fails with `kind` (e.g. 502 Bad Gateway) until
   * lifted with `null`, however long the client keeps trying.
   */
  outage = (kind: FailureKind | null): void => {
    this.outageKind = kind;
  };

  /** Drops every pending injected fault. */
  resetFaults = (): void => {
    this.outageKind = null;
    this.failQueue.length = 0;
    this.rateFailure = null;
    this.chatFailures.clear();
  };

  /** Turns limits on (with defaults for missing values) or off at runtime. */
  setLimits = (limits: LimitOptions | false): void => {
    this.limits = limits ? { ...DEFAULT_LIMITS, ...limits } : null;
  };

  private injectedFault(method: string, payload: Payload): Reply | null {
    if (this.outageKind && method.toLowerCase() !== "getupdates") return replyForFailure(this.outageKind);
    const queued = this.failQueue.find((f) =>
      f.methods ? f.methods.has(method) : method.toLowerCase() !== "getupdates",
    );
    if (queued) {
      queued.remaining--;
      if (queued.remaining <= 0) this.failQueue.splice(this.failQueue.indexOf(queued), 1);
      return replyForFailure(queued.kind);
    }
    const chatId = chatIdOf(payload);
    const chatKind = chatId === undefined ? undefined : this.chatFailures.get(String(chatId));
    if (chatKind) return replyForFailure(chatKind);
    if (chatId !== undefined && this.blockedChats.has(String(chatId)) && isSendMethod(method)) {
      return replyForFailure({ code: 403 });
    }
    const migratedTo = chatId === undefined ? undefined : this.migratedChats.get(String(chatId));
    if (migratedTo !== undefined && method.toLowerCase() !== "getupdates") {
      // As Telegram: 400 with the new id in `parameters.migrate_to_chat_id`.
      return {
        status: 400,
        body: {
          ok: false,
          error_code: 400,
          description: "Bad Request: group chat was upgraded to a supergroup chat",
          parameters: { migrate_to_chat_id: migratedTo },
        },
      };
    }
    // Draw only for send* calls so the failure pattern does not depend on unrelated traffic.
    if (this.rateFailure && isSendMethod(method) && this.random() < this.rateFailure.rate) {
      return replyForFailure(this.rateFailure.kind);
    }
    return null;
  }

  // ----- rate limits -----

  /** Returns a 429 reply when this send would exceed a limit; otherwise books the send. */
  private enforceLimits(payload: Payload): Reply | null {
    if (!this.limits) return null;
    const now = this.now();
    const chatId = chatIdOf(payload);
    const isGroup = typeof chatId === "number" ? chatId < 0 : typeof chatId === "string";
    const windowMs = isGroup ? 60_000 : 1000;
    const perChatMax = isGroup ? this.limits.groupPerMinute : this.limits.perChatPerSecond;
    const chatKey = String(chatId);
    const chatLog = this.chatSends.get(chatKey) ?? [];
    prune(this.globalSends, now - 1000);
    prune(chatLog, now - windowMs);

    const retry = (oldest: number, window: number) =>
      fail(
        429,
        `Too Many Requests: retry after ${secondsUntil(oldest + window - now)}`,
        secondsUntil(oldest + window - now),
      );
    if (this.globalSends.length >= this.limits.globalPerSecond)
      return retry(this.globalSends[0] ?? now, 1000);
    if (chatLog.length >= perChatMax) return retry(chatLog[0] ?? now, windowMs);

    this.globalSends.push(now);
    chatLog.push(now);
    this.chatSends.set(chatKey, chatLog);
    return null;
  }

  // ----- HTTP -----

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    const url = new URL(req.url ?? "/", "http://fake-telegram");
    const route = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    if (!route?.[1] || !route[2]) {
      writeJson(res, 404, fail(404, "Not Found").body);
      return;
    }
    const token = decodeURIComponent(route[1]);
    const method = route[2];
    let payload: Payload = {};
    let reply: Reply;
    try {
      payload = await readPayload(req, url);
      // A client that gives up (grammY aborting a long poll on bot.stop) must release its poll slot.
      const abort = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) abort.abort();
      });
      reply = await this.call(token, method, payload, abort.signal);
    } catch (err) {
      reply = fail(400, `Bad Request: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.record({ method, token, payload, at, response: reply.body, status: reply.status });
    writeJson(res, reply.status, reply.body);
  }

  /** Runs one API call as Telegram would, including faults and limits. Also used for webhook replies. */
  private async call(token: string, method: string, payload: Payload, signal?: AbortSignal): Promise<Reply> {
    if (this.opts.strictToken && token !== this.token) return fail(401, "Unauthorized");
    const fault = this.injectedFault(method, payload);
    if (fault) return fault;
    const m = method.toLowerCase();
    if (m === "getupdates") return this.getUpdates(token, payload, signal);
    if (isSendMethod(method)) {
      const problem = this.validateSend(m, payload);
      if (problem) return problem;
      const limited = this.enforceLimits(payload);
      if (limited) return limited;
    }
    return this.handle(m, payload);
  }

  private handle(m: string, payload: Payload): Reply {
    switch (m) {
      case "getme":
        return ok(this.botInfo);
      case "sendmessage":
        return this.sendMessage(payload);
      case "editmessagetext":
      case "editmessagecaption":
      case "editmessagereplymarkup":
        return this.editMessage(m, payload);
      case "deletemessage":
        return this.deleteMessage(payload);
      case "answercallbackquery":
        return this.answerCallbackQuery(payload);
      case "setwebhook":
        return this.setWebhook(payload);
      case "deletewebhook":
        if (this.opts.followSetWebhook !== false) this.webhook = null;
        if (payload.drop_pending_updates === true) this.pending = [];
        return ok(true);
      case "getwebhookinfo":
        return ok({
          url: this.webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.pending.length,
        });
      default:
        if (MEDIA_FIELDS[m]) return this.sendMedia(m, payload);
        // setMyCommands, sendChatAction and anything we do not model: Telegram says `true` for most.
        return ok(true);
    }
  }

  // ----- sending and editing -----

  private validateSend(m: string, payload: Payload): Reply | null {
    if (chatIdOf(payload) === undefined) return fail(400, "Bad Request: chat_id is empty");
    const markup = payload.reply_markup;
    if (isInlineKeyboard(markup) && callbackDataOf(markup).some((d) => Buffer.byteLength(d) > 64)) {
      return fail(400, "Bad Request: BUTTON_DATA_INVALID");
    }
    if (m === "sendmessage") return this.textProblem(payload.text, payload.parse_mode, 4096, "message");
    const field = MEDIA_FIELDS[m];
    if (field && payload[field] === undefined)
      return fail(400, `Bad Request: there is no ${field} in the request`);
    if (field && payload.caption !== undefined) {
      return this.textProblem(payload.caption, payload.parse_mode, 1024, "caption");
    }
    return null;
  }

  private textProblem(
    value: unknown,
    parseMode: unknown,
    max: number,
    what: "message" | "caption",
  ): Reply | null {
    const raw = asString(value) ?? "";
    let text: string;
    try {
      text = plainText(raw, parseMode);
    } catch (err) {
      return fail(400, `Bad Request: can't parse entities: ${(err as Error).message}`);
    }
    if (what === "message" && text.trim() === "") return fail(400, "Bad Request: message text is empty");
    if (text.length > max) {
      return fail(
        400,
        what === "message" ? "Bad Request: message is too long" : "Bad Request: message caption is too long",
      );
    }
    return null;
  }

  private baseMessage(payload: Payload): Message {
    const chatId = chatIdOf(payload) ?? 0;
    const message: Message = {
      message_id: this.nextMessageId++,
      from: this.botUser(),
      chat: this.chatFor(chatId),
      date: unixNow(),
    };
    // Telegram echoes only inline keyboards; reply keyboards live on the client.
    if (isInlineKeyboard(payload.reply_markup)) message.reply_markup = payload.reply_markup;
    const replyTo = asNumber(payload.reply_to_message_id);
    const replied = replyTo === undefined ? undefined : this.messages.get(messageKey(chatId, replyTo));
    if (replied) message.reply_to_message = { ...replied, reply_to_message: undefined };
    return message;
  }

  private store(message: Message): Message {
    this.messages.set(messageKey(message.chat.id, message.message_id), message);
    return message;
  }

  private sendMessage(payload: Payload): Reply {
    const message = this.baseMessage(payload);
    message.text = plainText(asString(payload.text) ?? "", payload.parse_mode);
    return ok(this.store(message));
  }

  private sendMedia(m: string, payload: Payload): Reply {
    const message = this.baseMessage(payload);
    const field = MEDIA_FIELDS[m] ?? "document";
    const input = payload[field];
    const upload = typeof input === "object" && input !== null ? (input as UploadedFile) : undefined;
    const fileId = `FAKE${field.toUpperCase()}${message.message_id}`;
    const common = { file_id: fileId, file_unique_id: `u${fileId}`, file_size: upload?.size ?? 1024 };
    if (field === "photo") {
      message.photo = [
        { ...common, width: 90, height: 90, file_id: `${fileId}_s` },
        { ...common, width: 800, height: 600 },
      ];
    } else if (field === "document") {
      message.document = {
        ...common,
        file_name: upload?.filename ?? "document.dat",
        mime_type: upload?.contentType,
      };
    }
    const caption = asString(payload.caption);
    if (caption !== undefined) message.caption = plainText(caption, payload.parse_mode);
    return ok(this.store(message));
  }

  private editMessage(m: string, payload: Payload): Reply {
    if (payload.inline_message_id !== undefined) return ok(true);
    const chatId = chatIdOf(payload);
    const messageId = asNumber(payload.message_id);
    const current =
      chatId === undefined || messageId === undefined
        ? undefined
        : this.messages.get(messageKey(chatId, messageId));
    if (!current) return fail(400, "Bad Request: message to edit not found");
    if (current.from?.id !== this.botInfo.id) return fail(400, "Bad Request: message can't be edited");

    const markup = payload.reply_markup;
    if (isInlineKeyboard(markup) && callbackDataOf(markup).some((d) => Buffer.byteLength(d) > 64)) {
      return fail(400, "Bad Request: BUTTON_DATA_INVALID");
    }
    // Like Telegram, an edit without reply_markup removes the inline keyboard.
    const next: Message = { ...current, reply_markup: isInlineKeyboard(markup) ? markup : undefined };
    if (m === "editmessagetext") {
      const problem = this.textProblem(payload.text, payload.parse_mode, 4096, "message");
      if (problem) return problem;
      next.text = plainText(asString(payload.text) ?? "", payload.parse_mode);
    } else if (m === "editmessagecaption") {
      const problem = this.textProblem(payload.caption ?? "", payload.parse_mode, 1024, "caption");
      if (problem) return problem;
      next.caption = plainText(asString(payload.caption) ?? "", payload.parse_mode);
    }
    if (
      next.text === current.text &&
      next.caption === current.caption &&
      JSON.stringify(next.reply_markup) === JSON.stringify(current.reply_markup)
    ) {
      return fail(
        400,
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    if (next.reply_markup === undefined) delete next.reply_markup;
    next.edit_date = unixNow();
    return ok(this.store(next));
  }

  private deleteMessage(payload: Payload): Reply {
    const chatId = chatIdOf(payload);
    const messageId = asNumber(payload.message_id);
    if (
      chatId === undefined ||
      messageId === undefined ||
      !this.messages.delete(messageKey(chatId, messageId))
    ) {
      return fail(400, "Bad Request: message to delete not found");
    }
    return ok(true);
  }

  private answerCallbackQuery(payload: Payload): Reply {
    const id = asString(payload.callback_query_id) ?? "";
    if (!this.callbackIds.delete(id)) {
      return fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
    }
    return ok(true);
  }

  private setWebhook(payload: Payload): Reply {
    const url = asString(payload.url) ?? "";
    if (this.opts.followSetWebhook !== false) {
      this.deliverTo(url === "" ? null : url, asString(payload.secret_token));
    }
    if (payload.drop_pending_updates === true) this.pending = [];
    return ok(true);
  }

  // ----- long polling -----

  private async getUpdates(token: string, payload: Payload, signal?: AbortSignal): Promise<Reply> {
    if (this.webhook) {
      return fail(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    this.confirm(asNumber(payload.offset));
    const limit = Math.min(100, Math.max(1, asNumber(payload.limit) ?? 100));
    const timeoutSec = Math.max(0, asNumber(payload.timeout) ?? 0);
    // Telegram ends an older poll of the same bot when a new one arrives.
    this.pollWaiters.get(token)?.("conflict");
    if (this.pending.length === 0 && timeoutSec > 0 && !this.stopped) {
      const outcome = await this.waitForUpdate(token, timeoutSec * 1000, signal);
      if (outcome === "conflict") {
        return fail(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        );
      }
    }
    return ok(this.pending.slice(0, limit));
  }

  /** Positive offsets confirm earlier updates; negative ones keep only the last |offset|. */
  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    this.pending =
      offset > 0 ? this.pending.filter((u) => u.update_id >= offset) : this.pending.slice(offset);
  }

  private waitForUpdate(token: string, timeoutMs: number, signal?: AbortSignal): Promise<PollOutcome> {
    return new Promise((resolve) => {
      const finish = (outcome: PollOutcome) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (this.pollWaiters.get(token) === finish) this.pollWaiters.delete(token);
        resolve(outcome);
      };
      const onAbort = () => finish("aborted");
      const timer = setTimeout(() => finish("timeout"), timeoutMs);
      signal?.addEventListener("abort", onAbort);
      this.pollWaiters.set(token, finish);
    });
  }

  private wakePollers(outcome: PollOutcome): void {
    for (const finish of [...this.pollWaiters.values()]) finish(outcome);
  }

  // ----- update injection -----

  /** Queues an update for getUpdates, or POSTs it when webhook delivery is on. */
  pushUpdate = (input: UpdateInput): Update => {
    const { update_id, ...fields } = input;
    const update: Update = { update_id: update_id ?? this.nextUpdateId++, ...fields };
    this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id + 1);
    if (update.callback_query) this.callbackIds.add(update.callback_query.id);
    if (update.message) this.store(update.message);
    if (this.webhook) {
      const target = this.webhook;
      this.deliveryChain = this.deliveryChain.then(() =>
        this.deliver(target.url, target.secretToken, update),
      );
    } else {
      this.pending.push(update);
      this.wakePollers("update");
    }
    return update;
  };

  /** A user writes `text` in `chatId`; commands get a `bot_command` entity like real clients send. */
  sendText = (from: FakeUser, chatId: number, text: string): Update => {
    this.users.set(from.id, from);
    const message: Message & Update.NonChannel = {
      message_id: this.nextMessageId++,
      from: toUser(from),
      chat: this.chatFor(chatId) as Update.NonChannel["chat"],
      date: unixNow(),
      text,
    };
    const command = /^\/\S+/.exec(text);
    if (command)
      message.entities = [{ type: "bot_command", offset: 0, length: command[0].length } as MessageEntity];
    return this.pushUpdate({ message });
  };

  /** A user presses an inline button with `data` under a message the bot sent earlier. */
  pressButton = (from: FakeUser, message: MessageRef, data: string): Update => {
    this.users.set(from.id, from);
    const stored = this.messages.get(messageKey(message.chat.id, message.message_id));
    if (!stored || stored.from?.id !== this.botInfo.id) {
      throw new Error(
        `pressButton: the bot never sent message ${message.message_id} to chat ${message.chat.id}`,
      );
    }
    // A real client can only press buttons that are on the message right now.
    const buttons = isInlineKeyboard(stored.reply_markup) ? callbackDataOf(stored.reply_markup) : [];
    if (!buttons.includes(data)) {
      throw new Error(
        `pressButton: message ${message.message_id} has no button with data ${JSON.stringify(data)}; ` +
          `buttons: ${JSON.stringify(buttons)}`,
      );
    }
    const callback_query: CallbackQuery = {
      id: `${this.botInfo.id}${String(this.nextCallbackId++).padStart(6, "0")}`,
      from: toUser(from),
      message: stored,
      chat_instance: String(Math.abs(stored.chat.id) * 7919),
      data,
    };
    return this.pushUpdate({ callback_query });
  };

  /** The bot's membership changes: `kicked` in a private chat means the user blocked the bot. */
  myChatMember = (from: FakeUser, chatId: number, status: "kicked" | "member"): Update => {
    this.users.set(from.id, from);
    const bot = this.botUser();
    const kicked: ChatMemberBanned = { status: "kicked", user: bot, until_date: 0 };
    const member: ChatMemberMember = { status: "member", user: bot };
    if (status === "kicked") this.blockedChats.add(String(chatId));
    else this.blockedChats.delete(String(chatId));
    return this.pushUpdate({
      my_chat_member: {
        chat: this.chatFor(chatId),
        from: toUser(from),
        date: unixNow(),
        old_chat_member: status === "kicked" ? member : kicked,
        new_chat_member: status === "kicked" ? kicked : member,
      },
    });
  };

  /**
   * Every button press so far can no longer be answered: answerCallbackQuery gets Telegram's
   * "query is too old" (what a bot sees for a backlog of presses after a restart or a slow update).
   */
  expireCallbackQueries = (): void => {
    this.callbackIds.clear();
  };

  /**
   * A basic group becomes a supergroup, as Telegram reports it: a service message with
   * `migrate_to_chat_id` in the old group and one with `migrate_from_chat_id` in the new
   * supergroup. From then on every call addressed to the old id fails with 400 "group chat was
   * upgraded to a supergroup chat" and `parameters.migrate_to_chat_id`.
   */
  migrateGroup = (from: FakeUser, groupId: number, supergroupId: number): [Update, Update] => {
    if (groupId >= 0 || supergroupId > -1_000_000_000_000) {
      throw new Error("migrateGroup: a basic group id (negative) to a supergroup id (-100…)");
    }
    this.users.set(from.id, from);
    const service = (chatId: number, field: object): Update =>
      this.pushUpdate({
        message: {
          message_id: this.nextMessageId++,
          from: toUser(from),
          chat: this.chatFor(chatId) as Update.NonChannel["chat"],
          date: unixNow(),
          ...field,
        } as Message & Update.NonChannel,
      });
    const first = service(groupId, { migrate_to_chat_id: supergroupId });
    this.migratedChats.set(String(groupId), supergroupId);
    return [first, service(supergroupId, { migrate_from_chat_id: groupId })];
  };

  // ----- webhook delivery -----

  /** POST injected updates to `url` (in order, one at a time); `null` goes back to getUpdates. */
  deliverTo = (url: string | null, secretToken?: string): void => {
    this.webhook = url ? { url, secretToken } : null;
    if (this.webhook) {
      // Switching to a webhook hands queued updates to it, as Telegram does.
      const queued = this.pending;
      this.pending = [];
      this.wakePollers("timeout");
      for (const update of queued) this.pushUpdate(update);
    }
  };

  /** Resolves once every webhook delivery started so far has been answered. */
  settled = (): Promise<void> => this.deliveryChain;

  private async deliver(url: string, secretToken: string | undefined, update: Update): Promise<void> {
    if (this.stopped) return;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (secretToken) headers["X-Telegram-Bot-Api-Secret-Token"] = secretToken;
    const at = this.now();
    try {
      const res = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.any([
          this.stopController.signal,
          AbortSignal.timeout(this.opts.webhookTimeoutMs ?? 10_000),
        ]),
      });
      const text = await res.text();
      this.deliveries.push({ update, at, status: res.status, ok: res.ok });
      if (res.ok) await this.runWebhookReply(text);
    } catch (err) {
      // Telegram would retry later; tests are better served by seeing the failure in `deliveries`.
      this.deliveries.push({
        update,
        at,
        status: 0,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** A webhook response may itself be an API call (`{ method, ...params }`), which Telegram executes. */
  private async runWebhookReply(text: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof body !== "object" || body === null || typeof (body as Payload).method !== "string") return;
    const { method, ...payload } = body as Payload & { method: string };
    const at = this.now();
    const reply = await this.call(this.token, method, payload);
    this.record({ method, token: this.token, payload, at, response: reply.body, status: reply.status });
  }

  // ----- chats and users -----

  private botUser(): User {
    const { id, is_bot, first_name, username } = this.botInfo;
    return { id, is_bot, first_name, username };
  }

  private chatFor(chatId: number | string): Chat {
    if (typeof chatId === "string") {
      return {
        id: -1001000000000 - (hashString(chatId) % 1_000_000),
        type: "channel",
        title: chatId,
        username: chatId.replace(/^@/, ""),
      };
    }
    if (chatId > 0) {
      const user = this.users.get(chatId);
      return {
        id: chatId,
        type: "private",
        first_name: user?.first_name ?? `User ${chatId}`,
        ...(user?.last_name ? { last_name: user.last_name } : {}),
        ...(user?.username ? { username: user.username } : {}),
      };
    }
    // Supergroup ids look like -100xxxxxxxxxx; smaller negative ids are basic groups.
    return chatId <= -1_000_000_000_000
      ? { id: chatId, type: "supergroup", title: `Supergroup ${chatId}` }
      : { id: chatId, type: "group", title: `Group ${chatId}` };
  }

  // ----- shutdown -----

  /** Answers held long polls, aborts webhook deliveries and closes the server. Idempotent. */
  stop = async (): Promise<void> => {
    if (this.stopped) return;
    this.stopped = true;
    this.stopController.abort();
    this.wakePollers("timeout");
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      // Give just-answered long polls a moment to flush, then drop whatever keep-alive remains.
      setTimeout(() => this.server.closeAllConnections(), 50).unref();
    });
  };
}

function prune(log: number[], olderThan: number): void {
  while (log.length > 0 && (log[0] ?? 0) <= olderThan) log.shift();
}

function secondsUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function messageKey(chatId: number | string, messageId: number): string {
  return `${chatId}:${messageId}`;
}

function hashString(s: string): number {
  let h = 0;
  for (const ch of s) h = (Math.imul(h, 31) + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h;
}

function toUser(from: FakeUser): User {
  return { ...from, is_bot: false };
}

function writeJson(res: ServerResponse, status: number, body: ApiResponse): void {
  if (res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

// ---------------------------------------------------------------------------------------------
// CLI for manual demos

const CLI_HELP = `commands:
  (start with --quiet to not print every call)
  text <chatId> <text...>            a user (id = chatId, or 1000 in groups) writes text
  press <chatId> <messageId> <data>  press an inline button under a bot message
  block <chatId> | unblock <chatId>  the user blocks / unblocks the bot
  calls                              list recorded calls`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "8081" },
      host: { type: "string", default: "127.0.0.1" },
      token: { type: "string" },
      username: { type: "string" },
      limits: { type: "boolean", default: false },
      seed: { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  const tg = await startFakeTelegram({
    port: Number(values.port),
    host: values.host,
    token: values.token,
    username: values.username,
    limits: values.limits ? {} : false,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`fake Telegram Bot API: apiRoot=${tg.apiRoot} token=${tg.token} bot=@${tg.botInfo.username}`);
  console.log(CLI_HELP);
  const userFor = (chatId: number): FakeUser => ({
    id: chatId > 0 ? chatId : 1000,
    first_name: "Demo",
    username: "demo_user",
  });
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    const [cmd, a = "", b = "", ...rest] = line.trim().split(/\s+/);
    const chatId = Number(a);
    try {
      if (cmd === "text") tg.sendText(userFor(chatId), chatId, line.trim().split(/\s+/).slice(2).join(" "));
      else if (cmd === "press")
        tg.pressButton(userFor(chatId), { message_id: Number(b), chat: { id: chatId } }, rest.join(" "));
      else if (cmd === "block" || cmd === "unblock")
        tg.myChatMember(userFor(chatId), chatId, cmd === "block" ? "kicked" : "member");
      else if (cmd === "calls")
        for (const c of tg.calls) console.log(c.method, c.status, JSON.stringify(c.payload));
      else if (cmd) console.log(CLI_HELP);
    } catch (err) {
      console.log(err instanceof Error ? err.message : String(err));
    }
  });
  const shutdown = () => {
    rl.close();
    void tg.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

function isDirectRun(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isDirectRun()) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
