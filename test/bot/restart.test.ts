import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createBot } from "../../bot/bot.js";
import { createLogger } from "../../src/logger.js";
import { type BotHarness, buttonsOf, startBotHarness } from "./harness.js";

const NOW = new Date("2026-11-24T09:00:00+03:00");
const prefix = `t-bot-${randomBytes(4).toString("hex")}:`;

let h: BotHarness;
let redis: Redis;
let lessonId: number;

beforeAll(async () => {
  h = await startBotHarness();
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  lessonId = (await h.school.lesson(h.school.assignments.math5, "2026-11-24", 1)).id;
  await h.link(8801, h.school.people.math.id);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await h?.close();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const newBot = async () => {
  const bot = createBot({
    token: h.tg.token,
    apiRoot: h.tg.apiRoot,
    db: h.testDb.db,
    redis,
    redisPrefix: prefix,
    logger: createLogger("silent"),
    botInfo: h.tg.botInfo,
  });
  await bot.init();
  return bot;
};

describe("sessions in Redis", () => {
  it("a restarted bot continues the attendance and the marks line where the teacher left off", async () => {
    const user = { id: 8801, first_name: "T" };
    const first = await newBot();
    await first.handleUpdate(h.tg.sendText(user, 8801, "/att"));
    const sheet = h.tg.sentMessages(8801).at(-1)!;
    const ivanov = buttonsOf(sheet).find((b) => b.text.includes("Иванов И."))!;
    await first.handleUpdate(h.tg.pressButton(user, sheet, ivanov.data));
    await first.handleUpdate(h.tg.sendText(user, 8801, "Петров 5"));
    const echo = h.tg
      .sentMessages(8801)
      .sort((a, b) => a.message_id - b.message_id)
      .at(-1)!;

    const second = await newBot(); // a new process: nothing shared but Redis and PostgreSQL
    const save = buttonsOf(h.tg.sentMessages(8801).find((m) => m.message_id === sheet.message_id)).find((b) =>
      b.text.includes("Сохранить"),
    )!;
    await second.handleUpdate(h.tg.pressButton(user, sheet, save.data));
    const confirm = buttonsOf(echo).find((b) => b.text.includes("Подтвердить"))!;
    await second.handleUpdate(h.tg.pressButton(user, echo, confirm.data));

    const absent = await h.testDb.db.attendance.findMany({ where: { lessonId } });
    expect(absent.map((a) => [a.pupilId, a.kind])).toEqual([[h.school.pupils.ivanov.id, "ABSENT"]]);
    const marks = await h.testDb.db.mark.findMany({ where: { lessonId } });
    expect(marks.map((m) => [m.pupilId, m.value])).toEqual([[h.school.pupils.petrov.id, "5"]]);
    // The session holds ids and symbols only, never names.
    const stored = (await redis.mget(...(await redis.keys(`${prefix}*`)))).join(" ");
    expect(stored).not.toMatch(/Иванов|Петров/);
  });
});
