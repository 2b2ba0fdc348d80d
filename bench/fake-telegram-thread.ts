/**
 * The fake Bot API server in a worker thread, for benchmarks: Telegram is another machine in
 * production, so its side of every HTTP call must not eat the bot's event loop. The bench
 * injects updates and reads back the bot's messages through a small message-port RPC.
 */
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { type FakeUser, startFakeTelegram } from "../test/support/fake-telegram.js";

type Request =
  | { op: "text"; user: FakeUser; chatId: number; text: string }
  | { op: "press"; user: FakeUser; chatId: number; messageId: number; data: string }
  | { op: "last"; chatId: number }
  | { op: "failed" };

export interface FakeTelegramThread {
  apiRoot: string;
  token: string;
  botInfo: UserFromGetMe;
  sendText(user: FakeUser, chatId: number, text: string): Promise<Update>;
  pressButton(user: FakeUser, message: Message, data: string): Promise<Update>;
  /** The bot's latest message in the chat, as it stands after edits. */
  lastMessage(chatId: number): Promise<Message>;
  /** How many Bot API calls were answered with an error. */
  failedCalls(): Promise<number>;
  stop(): Promise<void>;
}

export async function startFakeTelegramThread(): Promise<FakeTelegramThread> {
  // tsx's loader is per thread: the worker registers it before importing this TypeScript file.
  const bootstrap = `import("tsx/esm/api").then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true });
  const waiting = new Map<number, (v: { result?: unknown; error?: string }) => void>();
  let nextId = 1;
  const ready = new Promise<{ apiRoot: string; token: string; botInfo: UserFromGetMe }>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", resolve);
  });
  const info = await ready;
  worker.on("message", (m: { id: number; result?: unknown; error?: string }) => waiting.get(m.id)?.(m));
  const call = <T>(req: Request): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (m) => {
        waiting.delete(id);
        if (m.error) reject(new Error(m.error));
        else resolve(m.result as T);
      });
      worker.postMessage({ id, req });
    });
  return {
    ...info,
    sendText: (user, chatId, text) => call({ op: "text", user, chatId, text }),
    pressButton: (user, message, data) =>
      call({ op: "press", user, chatId: message.chat.id, messageId: message.message_id, data }),
    lastMessage: (chatId) => call({ op: "last", chatId }),
    failedCalls: () => call({ op: "failed" }),
    stop: async () => {
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const tg = await startFakeTelegram();
  port.postMessage({ apiRoot: tg.apiRoot, token: tg.token, botInfo: tg.botInfo });
  port.on("message", ({ id, req }: { id: number; req: Request }) => {
    try {
      let result: unknown;
      if (req.op === "text") result = tg.sendText(req.user, req.chatId, req.text);
      else if (req.op === "press")
        result = tg.pressButton(req.user, { message_id: req.messageId, chat: { id: req.chatId } }, req.data);
      else if (req.op === "last")
        result = tg
          .sentMessages(req.chatId)
          .sort((a, b) => a.message_id - b.message_id)
          .at(-1);
      else result = tg.calls.filter((c) => c.status !== 200).length;
      port.postMessage({ id, result });
    } catch (err) {
      port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
    }
  });
}
