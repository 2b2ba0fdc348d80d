import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context, SessionFlavor, StorageAdapter } from "grammy";
import type { Redis } from "ioredis";
import type { Db } from "../src/db/client.js";
import type { Actor } from "../src/journal/actor.js";
import type { Logger } from "../src/logger.js";

/** A pending marks line, echoed to the teacher and written only on "Подтвердить". */
export interface MarksDraft {
  nonce: number;
  lessonId: number;
  /** The echo message with Подтвердить / Изменить. */
  messageId?: number;
  /** The lesson is a control work: after writing, say who is still without a mark. */
  control?: boolean;
  /** Resolved entries; `pupilId` 0 while the surname is still ambiguous. */
  items: { name: string; value: string; pupilId: number; candidates: number[] }[];
}

/** What the next free-text message of this chat answers. */
export type Awaiting =
  | { kind: "correction"; markId: number }
  | { kind: "class-message"; classId: number; pupilId: number | null }
  | { kind: "reply"; messageId: number }
  | { kind: "write"; pupilId: number; teacherId: number | null }
  | { kind: "absence-note"; pupilId: number; from: string; to: string }
  | { kind: "digest-time"; personId?: number }
  | { kind: "quiet-hours"; personId?: number };

/**
 * Everything a conversation needs between updates lives here, in the session storage (Redis in
 * production), so a restart or another bot process continues where the user left off.
 */
export interface SessionData {
  /** "en" only when asked for; Russian otherwise. */
  __language_code?: string;
  /** Last chosen child (guardians with several children). */
  childId?: number;
  /** Lesson the teacher chose explicitly (its date), remembered for the day it was chosen on. */
  lesson?: { id: number; day: string; date: string };
  /** Attendance being tapped: pupilId → "A" absent | "L" late; absent from the map = present. */
  attendance?: { lessonId: number; messageId?: number; marks: Record<string, "A" | "L"> };
  marks?: MarksDraft;
  awaiting?: Awaiting;
  absence?: { pupilId: number; from: string; to: string };
  /** Times (ms) of wrong invite codes, to slow down guessing. */
  wrongCodes?: number[];
  nonce?: number;
}

/** Where the bot keeps the live acknowledgement counters of class messages (chat + message to edit). */
export interface AckTracker {
  chatId: number;
  messageId: number;
  /** The author, whose right to see the count the core checks. */
  actor: Actor;
}

export interface BotDeps {
  token: string;
  apiRoot: string;
  db: Db;
  redis?: Redis;
  logger: Logger;
  botInfo?: import("grammy/types").UserFromGetMe;
  /** Key prefix in Redis (tests use a unique one). */
  redisPrefix?: string;
  /** The messenger's longest text; longer replies go out as several messages (Telegram's 4,096). */
  textLimit?: number;
  /** Clock for "now" (defaults to the real one). */
  now?: () => Date;
}

/** One person a chat is linked to (a chat may serve one parent's links in several schools). */
export interface Identity {
  actor: Actor;
  person: { id: number; lastName: string; firstName: string; middleName: string | null; language: string };
  /** The school's IANA time zone. */
  timeZone: string;
  schoolName: string;
}

interface Extra {
  deps: BotDeps;
  log: Logger;
  trackers: StorageAdapter<AckTracker>;
  /** Everyone this chat is linked to, the most recently linked first; loaded once per update. */
  identities(): Promise<Identity[]>;
  /** The most recently linked person of this chat; null when the chat is not linked. */
  identity(): Promise<Identity | null>;
  /** After linking or unlinking this chat: the next identity() reads the database again. */
  forgetIdentity(): void;
  now(): Date;
}

export type BotContext = Context & SessionFlavor<SessionData> & I18nFlavor & Extra;
