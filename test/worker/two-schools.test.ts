import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { issueInvite, redeemInvite } from "../../src/journal/invites.js";
import { buildSchool, type SchoolFixture } from "../support/school.js";
import { type Pipeline, startPipeline, textsTo, until } from "./harness.js";

/**
 * One deployment serving several schools (issue 11 item 8): a parent with a child in each links
 * both schools' codes in the same chat, and alerts from both schools keep arriving there.
 */
vi.setConfig({ testTimeout: 90_000 });

const CHAT = 8101;
let p: Pipeline;
let other: SchoolFixture;

beforeAll(async () => {
  p = await startPipeline();
  other = await buildSchool(p.t.db, "Гимназия № 3");
  // The same parent, one person per school, each redeeming their school's code in one chat.
  const first = await issueInvite(p.t.db, p.s.people.russian.actor, {
    personId: p.s.guardians.petrovaMother.id,
  });
  await redeemInvite(p.t.db, { code: first.code, chatId: CHAT, chatType: "private" });
  const second = await issueInvite(p.t.db, other.people.russian.actor, {
    personId: other.guardians.sidorovFather.id,
  });
  await redeemInvite(p.t.db, { code: second.code, chatId: CHAT, chatType: "private" });
});
afterAll(() => p.stop());

async function markPosted(s: SchoolFixture, pupilId: number, value: string) {
  const lesson = await s.lesson(s.assignments.math5, "2026-11-24");
  const mark = await p.t.db.mark.create({
    data: { lessonId: lesson.id, pupilId, value, authorId: s.people.math.id, weight: 1 },
  });
  return p.event({ type: "mark.posted", payload: { lessonId: lesson.id, markIds: [mark.id] } }, s.school.id);
}

describe("two schools in one chat", () => {
  it("delivers both schools' alerts to the chat", async () => {
    await markPosted(p.s, p.s.pupils.petrov.id, "5");
    await markPosted(other, other.pupils.sidorova.id, "4");
    await until(() => textsTo(p.tg, CHAT).length >= 2, "an alert from each school");
    const texts = textsTo(p.tg, CHAT).join("\n");
    expect(texts).toMatch(/Пётр, Математика: 5/);
    expect(texts).toMatch(/Анна, Математика: 4/);
    const links = await p.t.db.chatLink.findMany({ where: { chatId: BigInt(CHAT) } });
    expect(links.every((l) => l.active)).toBe(true);
    expect(links).toHaveLength(2);
  });
});
