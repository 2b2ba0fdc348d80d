import type { Db } from "../../src/db/client.js";
import type { Channel } from "../../src/generated/prisma/enums.js";

/**
 * A way to reach a person. Fan-out asks each adapter for addresses and the sender hands it a
 * rendered message; adding a messenger means adding an adapter, not touching fan-out or the core.
 */
export interface OutgoingMessage {
  subject: string;
  text: string;
  /** What the reader can do in one tap, if the channel has buttons (others ignore it). */
  actions?: MessageAction[];
}

/** A messenger-neutral action: each adapter turns it into its own kind of button, or drops it. */
export type MessageAction = { kind: "ack"; messageId: number; label: string };

export interface Recipient {
  id: number;
  email: string | null;
  /** The person's e-mail preference. */
  emailOn: boolean;
}

/** Why a send failed, in the terms the sender acts on. */
export class SendError extends Error {
  constructor(
    /**
     * rate_limited: wait and retry; gone: the address is dead; transient: retry with backoff;
     * rejected: this message can never go; moved: the chat has a new address (`movedTo`);
     * not_editable: the message to edit is gone or too old (send a new one instead).
     */
    readonly kind: "rate_limited" | "gone" | "transient" | "rejected" | "moved" | "not_editable",
    message: string,
    /** rate_limited: how long the channel asked us to wait. */
    readonly retryAfterMs = 0,
    /** gone: why the address is dead ("blocked", "chat_not_found"). */
    readonly why = "",
    /** moved: the chat's new address. */
    readonly movedTo = "",
  ) {
    super(message);
    this.name = "SendError";
  }
}

export interface ChannelAdapter {
  channel: Channel;
  /** BullMQ queue of this channel's sends (from worker/queues.ts). */
  queue: string;
  /** Global rate for BullMQ's limiter, if the channel has one. */
  limiter?: { max: number; duration: number };
  concurrency: number;
  /**
   * Minimum spacing between any two sends on this channel (ms), across all worker processes. It
   * smooths BullMQ's windowed limiter so no sliding second ever sees more than the rate.
   */
  globalSpacingMs?: number;
  /** Minimum spacing between two sends to the same address (ms); 0 = none. */
  spacingMs(address: string): number;
  /** The address of each recipient on this channel; absent = not reachable there. */
  addresses(db: Pick<Db, "chatLink">, people: Recipient[]): Promise<Map<number, string>>;
  /** Sends; resolves with the channel's message id or throws SendError. */
  send(address: string, message: OutgoingMessage): Promise<string>;
  /**
   * Replaces the text of a message sent earlier (channels that can: Telegram). Absent: the
   * channel cannot edit, and later alerts within the window go as one follow-up instead.
   */
  edit?(address: string, externalId: string, message: OutgoingMessage): Promise<void>;
  /** The chat moved to a new address (a Telegram group upgraded to a supergroup): move its links. */
  move?(db: Db, from: string, to: string): Promise<void>;
  /** The address is dead (blocked, deleted): stop using it. */
  deactivate(db: Db, address: string, why: string): Promise<void>;
  close(): Promise<void>;
}
