import type { Tx } from "../../src/db/client.js";
import type { MessageAction, OutgoingMessage } from "../channels/types.js";
import { type Item, renderPart } from "./parts.js";
import { type Texts, textsFor } from "./texts.js";

/**
 * Turns the deliveries claimed for one send into one message. A single item is told in full; a
 * batch (coalesced alerts, a digest) becomes "Сегодня: математика 5, история 4 …" per child.
 */
export interface Part {
  deliveryId: bigint;
  type: string;
  payload: unknown;
}

export interface Rendered {
  message: OutgoingMessage | null;
  /** Parts with nothing left to say (e.g. the absence was corrected to present). */
  empty: bigint[];
}

export type Style = "instant" | "daily" | "weekly";

export async function renderMessage(
  tx: Tx,
  recipientId: number,
  parts: Part[],
  style: Style,
): Promise<Rendered> {
  const person = await tx.person.findUniqueOrThrow({
    where: { id: recipientId },
    select: { language: true, wards: { select: { pupilId: true } } },
  });
  const t = textsFor(person.language);
  const ctx = { recipientId, wards: new Set(person.wards.map((w) => w.pupilId)), t };
  const items: Item[] = [];
  const empty: bigint[] = [];
  for (const part of parts) {
    const got = await renderPart(tx, ctx, part);
    if (got.length === 0) empty.push(part.deliveryId);
    items.push(...got);
  }
  if (items.length === 0) return { message: null, empty };
  const weekly = parts.some((p) => p.type === "notify.weekly");
  const acks = items.flatMap((i) => (i.ack ? [i.ack] : []));
  if (items.length === 1 && style === "instant" && !weekly) {
    return { message: { subject: t.subject, text: items[0]!.long, ...withActions(acks, t, false) }, empty };
  }
  const header = weekly ? t.weekly : style === "daily" ? t.dailyDigest : t.today;
  const groups = new Map<string, string[]>();
  const loose: string[] = [];
  for (const item of items) {
    if (!item.pupil) {
      loose.push(item.short);
      continue;
    }
    const list = groups.get(item.pupil) ?? [];
    list.push(item.short);
    groups.set(item.pupil, list);
  }
  const lines = [...[...groups].map(([pupil, list]) => `${pupil}: ${list.join(", ")}`), ...loose];
  const text =
    groups.size === 1 && loose.length === 0 && style === "instant"
      ? `${header} ${lines[0]}`
      : `${header}\n${lines.map((l) => `• ${l}`).join("\n")}`;
  return {
    message: {
      subject: `${t.subject}: ${header.replace(/:$/, "").toLowerCase()}`,
      text: clipTo(text),
      ...withActions(acks, t, true),
    },
    empty,
  };
}

/** One "Ознакомлен" per message waiting for it; in a batch each names its author. */
function withActions(acks: { messageId: number; author: string }[], t: Texts, batch: boolean) {
  if (acks.length === 0) return {};
  const actions: MessageAction[] = acks.map((a) => ({
    kind: "ack",
    messageId: a.messageId,
    label: batch || acks.length > 1 ? t.ackButtonFrom(a.author) : t.ackButton,
  }));
  return { actions };
}

/** Telegram refuses texts over 4096 characters. */
function clipTo(text: string, max = 4000): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
