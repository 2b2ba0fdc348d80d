import { createHash, randomInt } from "node:crypto";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.js";
import type { Role } from "../generated/prisma/enums.js";
import type { Actor } from "./actor.js";
import { audit } from "./audit.js";
import { requirePersonManager } from "./credentials.js";
import { DomainError, validation } from "./errors.js";
import { enrolledOn } from "./membership.js";
import { loadSchoolToday } from "./rules/calendar.js";
import { dateOnly, id, line, parseInput } from "./validate.js";

/**
 * One-time invite codes that link a Telegram chat to a person (t.me/<bot>?start=<code>). The
 * code is shown once; only its sha256 is stored, so a database dump cannot be used to link.
 */

/** No 0/O, 1/I/L: the code is often read off paper and typed by hand. */
export const INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const INVITE_LENGTH = 8;

export function generateInviteCode(): string {
  let code = "";
  for (let i = 0; i < INVITE_LENGTH; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)];
  return code;
}

/** What people type: any case, with spaces or dashes between groups. */
export const normalizeInviteCode = (code: string) => code.replace(/[\s-]/g, "").toUpperCase();
export const hashInviteCode = (code: string) =>
  createHash("sha256").update(normalizeInviteCode(code)).digest("hex");

export const issueInviteInput = z.object({ personId: id });
export const CHAT_TYPES = ["private", "group", "supergroup", "channel"] as const;
export const redeemInviteInput = z.object({
  code: line(40),
  // Telegram chat ids fit in 52 bits; the column is int8.
  chatId: z
    .union([z.bigint(), z.number().int(), z.string().regex(/^-?\d{1,18}$/, "число")])
    .transform((v) => BigInt(v))
    .refine((v) => v >= -(2n ** 62n) && v <= 2n ** 62n, "вне допустимого диапазона"),
  /** The messenger's kind of chat; only a private chat can be linked (see `assertPrivateChat`). */
  chatType: z.enum(CHAT_TYPES).default("private"),
});

/**
 * A person is linked only in a private chat: alerts and the bot's answers name children, marks
 * and absences, which must not reach everyone in a group. Refused before the code is looked at,
 * so a code typed into a group stays valid for the private chat.
 */
export function assertPrivateChat(chatType: (typeof CHAT_TYPES)[number]): void {
  if (chatType !== "private") {
    throw new DomainError(
      "forbidden",
      "В группах бот не подключается: здесь его ответы увидят все участники. Код не использован — отправьте его боту в личные сообщения.",
      { reason: "group" },
    );
  }
}
export const CHAT_INACTIVE_REASONS = ["blocked", "unlinked", "chat_not_found"] as const;
export type ChatInactiveWhy = (typeof CHAT_INACTIVE_REASONS)[number];
export const deactivateChatInput = z.object({
  chatId: redeemInviteInput.shape.chatId,
  why: z.enum(CHAT_INACTIVE_REASONS),
});

const inviteError = (reason: "unknown" | "used" | "expired" | "blocked") => {
  const messages = {
    unknown: [
      "not_found",
      "Код не найден. Проверьте, что он введён без ошибок, или попросите новый код у классного руководителя (сотрудникам — у администратора журнала).",
    ],
    used: [
      "conflict",
      "Этот код уже использован. Попросите новый код у классного руководителя или администратора журнала.",
    ],
    expired: [
      "conflict",
      "Срок действия кода истёк. Попросите новый код у классного руководителя или администратора журнала.",
    ],
    blocked: ["forbidden", "Учётная запись заблокирована. Обратитесь к администратору электронного журнала."],
  } as const;
  const [code, message] = messages[reason];
  return new DomainError(code, message, { reason });
};

/**
 * Issues a code for a person. Earlier unused codes of that person stop working, so a lost
 * printout is harmless once a new code is given.
 */
export async function issueInvite(
  db: Db,
  actor: Actor,
  input: unknown,
): Promise<{ code: string; expiresAt: Date }> {
  const data = parseInput(issueInviteInput, input);
  const person = await requirePersonManager(db, actor, data.personId);
  if (person.blockedAt) throw validation("Пользователь заблокирован: сначала снимите блокировку.");
  const expiresAt = await inviteExpiry(db, actor.schoolId);
  const codes = await db.$transaction((tx) => writeInvites(tx, actor, [person.id], expiresAt));
  return { code: codes.get(person.id)!, expiresAt };
}

/** When a code issued now expires: the school's `inviteTtlDays` from now. */
export async function inviteExpiry(db: DbOrTx, schoolId: number, now = new Date()): Promise<Date> {
  const school = await db.school.findUniqueOrThrow({
    where: { id: schoolId },
    select: { inviteTtlDays: true },
  });
  return new Date(now.getTime() + school.inviteTtlDays * 86_400_000);
}

/**
 * Writes one fresh code per person inside the caller's transaction, ending each person's earlier
 * unused codes, with an audit entry per code. The caller has checked that the actor may. Returns
 * personId → code (shown once: only the hash is stored).
 */
export async function writeInvites(
  tx: Tx,
  actor: Actor,
  personIds: number[],
  expiresAt: Date,
): Promise<Map<number, string>> {
  const now = new Date();
  const codes = new Map(personIds.map((id) => [id, generateInviteCode()]));
  if (codes.size === 0) return codes;
  await tx.inviteCode.updateMany({
    where: { personId: { in: [...codes.keys()] }, usedAt: null, expiresAt: { gt: now } },
    data: { expiresAt: now },
  });
  const rows = await tx.inviteCode.createManyAndReturn({
    data: [...codes].map(([personId, code]) => ({
      schoolId: actor.schoolId,
      personId,
      codeHash: hashInviteCode(code),
      issuedById: actor.personId,
      expiresAt,
    })),
    select: { id: true, personId: true },
  });
  await audit(
    tx,
    actor,
    ...rows.map((row) => ({
      action: "invite.issue",
      entity: "InviteCode",
      entityId: row.id,
      after: { personId: row.personId, expiresAt },
    })),
  );
  return codes;
}

export interface LinkedPerson {
  id: number;
  schoolId: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  language: string;
  roles: Role[];
}
export interface ChildInfo {
  id: number;
  lastName: string;
  firstName: string;
  classId: number | null;
  className: string | null;
}

const personSelect = {
  id: true,
  schoolId: true,
  lastName: true,
  firstName: true,
  middleName: true,
  language: true,
  blockedAt: true,
  roles: { select: { role: true } },
} as const;

/** A guardian's children with the class each is in today (null if none). */
export async function childrenWithClasses(
  db: DbOrTx,
  schoolId: number,
  guardianId: number,
): Promise<ChildInfo[]> {
  const { today } = await loadSchoolToday(db, schoolId);
  const day = dateOnly(today);
  const links = await db.guardianLink.findMany({
    where: { guardianId },
    select: {
      pupil: {
        select: {
          id: true,
          lastName: true,
          firstName: true,
          enrolments: {
            where: enrolledOn(day),
            select: { class: { select: { id: true, grade: true, letter: true } } },
            take: 1,
          },
        },
      },
    },
  });
  return links
    .map(({ pupil }) => {
      const cls = pupil.enrolments[0]?.class;
      return {
        id: pupil.id,
        lastName: pupil.lastName,
        firstName: pupil.firstName,
        classId: cls?.id ?? null,
        className: cls ? `${cls.grade}${cls.letter}` : null,
      };
    })
    .sort((a, b) => a.firstName.localeCompare(b.firstName, "ru"));
}

const toLinked = ({
  blockedAt: _b,
  roles,
  ...p
}: { blockedAt: Date | null; roles: { role: Role }[] } & Omit<LinkedPerson, "roles">) => ({
  ...p,
  roles: roles.map((r) => r.role),
});

/**
 * Redeems a code from a private chat: the chat becomes linked to the code's person. One chat
 * serves all of its owner's links: a parent with children in two schools (one person row per
 * school) keeps both. Within a school a chat is one person, so another person of the same school
 * linked in this chat before (a shared phone handed over) is unlinked.
 */
export async function redeemInvite(
  db: Db,
  input: unknown,
): Promise<{ person: LinkedPerson; children: ChildInfo[] }> {
  const data = parseInput(redeemInviteInput, input);
  assertPrivateChat(data.chatType);
  const codeHash = hashInviteCode(data.code);
  const person = await db.$transaction(async (tx) => {
    const invite = await tx.inviteCode.findUnique({
      where: { codeHash },
      include: { person: { select: personSelect } },
    });
    if (!invite) throw inviteError("unknown");
    if (invite.usedAt) throw inviteError("used");
    const now = new Date();
    if (invite.expiresAt.getTime() <= now.getTime()) throw inviteError("expired");
    if (invite.person.blockedAt) throw inviteError("blocked");
    // Claimed with a condition, so two chats racing with one code cannot both win.
    const claimed = await tx.inviteCode.updateMany({
      where: { id: invite.id, usedAt: null },
      data: { usedAt: now },
    });
    if (claimed.count === 0) throw inviteError("used");
    await tx.chatLink.updateMany({
      where: {
        chatId: data.chatId,
        active: true,
        personId: { not: invite.personId },
        person: { schoolId: invite.person.schoolId },
      },
      data: { active: false, inactiveSince: now, inactiveWhy: "unlinked" },
    });
    const link = await tx.chatLink.upsert({
      where: { personId_chatId: { personId: invite.personId, chatId: data.chatId } },
      create: { personId: invite.personId, chatId: data.chatId },
      update: { active: true, linkedAt: now, inactiveSince: null, inactiveWhy: null },
    });
    const linked = toLinked(invite.person);
    await audit(
      tx,
      { personId: linked.id, schoolId: linked.schoolId, roles: linked.roles },
      { action: "invite.redeem", entity: "InviteCode", entityId: invite.id, after: { chatLinkId: link.id } },
    );
    return linked;
  });
  const children = person.roles.includes("GUARDIAN")
    ? await childrenWithClasses(db, person.schoolId, person.id)
    : [];
  return { person, children };
}

async function endLinks(db: Db, chatId: bigint, why: ChatInactiveWhy): Promise<number> {
  return db.$transaction(async (tx) => {
    const links = await tx.chatLink.findMany({
      where: { chatId, active: true },
      select: { id: true, person: { select: { id: true, schoolId: true } } },
    });
    if (links.length === 0) return 0;
    await tx.chatLink.updateMany({
      where: { id: { in: links.map((l) => l.id) } },
      data: { active: false, inactiveSince: new Date(), inactiveWhy: why },
    });
    for (const l of links) {
      await audit(
        tx,
        { personId: l.person.id, schoolId: l.person.schoolId, roles: [] },
        { action: "chat.deactivate", entity: "ChatLink", entityId: l.id, after: { why } },
      );
    }
    return links.length;
  });
}

/** The user asked the bot to forget this chat (/stop, "отвязать"). Returns how many links ended. */
export async function unlinkChat(db: Db, input: unknown): Promise<{ unlinked: number }> {
  const { chatId } = parseInput(redeemInviteInput.pick({ chatId: true }), input);
  return { unlinked: await endLinks(db, chatId, "unlinked") };
}

/** Telegram says the chat is gone or blocked the bot: stop sending there. */
export async function deactivateChat(db: Db, input: unknown): Promise<{ deactivated: number }> {
  const { chatId, why } = parseInput(deactivateChatInput, input);
  return { deactivated: await endLinks(db, chatId, why) };
}

export interface ChatIdentity {
  actor: Actor;
  person: LinkedPerson;
  timeZone: string;
  /** The school's name: a chat may serve people of several schools. */
  schoolName: string;
}

/**
 * Everyone a chat is linked to (active links of unblocked people), the most recently linked
 * first; [] when the chat is not linked. Several when one parent has children in several schools.
 */
export async function actorsForChat(db: DbOrTx, chatId: number | bigint | string): Promise<ChatIdentity[]> {
  const links = await db.chatLink.findMany({
    where: { chatId: BigInt(chatId), active: true, person: { blockedAt: null } },
    orderBy: [{ linkedAt: "desc" }, { id: "desc" }],
    // The school's time zone comes along: the bot needs "today" on most updates.
    select: {
      person: { select: { ...personSelect, school: { select: { timeZone: true, name: true } } } },
    },
  });
  return links.map(({ person: { school, ...row } }) => {
    const person = toLinked(row);
    return {
      actor: { personId: person.id, schoolId: person.schoolId, roles: person.roles },
      person,
      timeZone: school.timeZone,
      schoolName: school.name,
    };
  });
}

/** The person behind a chat (the most recently linked one), or null when the chat is not linked. */
export async function actorForChat(
  db: DbOrTx,
  chatId: number | bigint | string,
): Promise<ChatIdentity | null> {
  return (await actorsForChat(db, chatId))[0] ?? null;
}

export const moveChatInput = z.object({
  from: redeemInviteInput.shape.chatId,
  to: redeemInviteInput.shape.chatId,
});

/**
 * A chat got a new id (Telegram turns a group into a supergroup: `migrate_to_chat_id`): every
 * link of the old id moves to the new one, active or not, so alerts keep arriving and history
 * stays. A person already linked in the new chat keeps that row (active if either was).
 * Idempotent: Telegram reports a migration in both chats. Returns how many links moved.
 */
export async function moveChat(db: Db, input: unknown): Promise<{ moved: number }> {
  const { from, to } = parseInput(moveChatInput, input);
  if (from === to) return { moved: 0 };
  return db.$transaction(async (tx) => {
    const links = await tx.chatLink.findMany({
      where: { chatId: from },
      select: { id: true, personId: true, active: true, person: { select: { schoolId: true } } },
    });
    for (const l of links) {
      const there = await tx.chatLink.findUnique({
        where: { personId_chatId: { personId: l.personId, chatId: to } },
        select: { id: true, active: true },
      });
      if (there) {
        if (l.active && !there.active) {
          await tx.chatLink.update({
            where: { id: there.id },
            data: { active: true, inactiveSince: null, inactiveWhy: null },
          });
        }
        await tx.chatLink.delete({ where: { id: l.id } });
      } else {
        await tx.chatLink.update({ where: { id: l.id }, data: { chatId: to } });
      }
      await audit(
        tx,
        { personId: l.personId, schoolId: l.person.schoolId, roles: [] },
        {
          action: "chat.migrate",
          entity: "ChatLink",
          entityId: there?.id ?? l.id,
          after: { active: l.active },
        },
      );
    }
    return { moved: links.length };
  });
}
