import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const base = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/zhurnal",
  REDIS_URL: "redis://127.0.0.1:6379",
  JWT_SECRET: "x".repeat(32),
};

describe("config", () => {
  it("fills defaults for everything optional", () => {
    const c = loadConfig({ ...base });
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: "127.0.0.1",
      ROLES: ["api", "bot", "worker"],
      botEnabled: false,
    });
    expect(c.TELEGRAM_GLOBAL_RATE).toBe(25);
  });

  it.each([
    ["DATABASE_URL missing", { DATABASE_URL: undefined }, /DATABASE_URL: не задана/],
    [
      "DATABASE_URL of another database",
      { DATABASE_URL: "mysql://root@localhost/x" },
      /DATABASE_URL: ожидается postgres/,
    ],
    ["REDIS_URL malformed", { REDIS_URL: "localhost:6379" }, /REDIS_URL/],
    ["PORT not a number", { PORT: "http" }, /PORT/],
    ["PORT out of range", { PORT: "70000" }, /PORT/],
    ["unknown role", { ROLES: "api,cron" }, /ROLES/],
    ["short JWT secret", { JWT_SECRET: "short" }, /JWT_SECRET: не короче 32 символов/],
    ["malformed bot token", { BOT_TOKEN: "not-a-token" }, /BOT_TOKEN/],
    [
      "webhook without secret",
      { BOT_WEBHOOK_URL: "https://example.org/hook" },
      /BOT_WEBHOOK_SECRET: нужен вместе/,
    ],
    ["bad quiet hours", { DEFAULT_QUIET_START: "25:00" }, /DEFAULT_QUIET_START/],
  ])("refuses %s with a message naming the variable", (_name, patch, message) => {
    expect(() => loadConfig({ ...base, ...patch } as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...patch } as NodeJS.ProcessEnv)).toThrow(message);
  });

  it("treats an empty value as unset and parses roles and the bot token", () => {
    const c = loadConfig({ ...base, BOT_TOKEN: "", ROLES: "worker, api", SMTP_URL: "" });
    expect(c.BOT_TOKEN).toBeUndefined();
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.ROLES).toEqual(["worker", "api"]);
    const withBot = loadConfig({ ...base, BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ" });
    expect(withBot.botEnabled).toBe(true);
  });

  it("lets an explicit environment variable win over .env", () => {
    const dir = mkdtempSync(join(tmpdir(), "zh-env-"));
    const file = join(dir, ".env");
    writeFileSync(file, "PORT=4000\nHOST=0.0.0.0\nLOG_LEVEL=debug\n");
    const saved = { ...process.env };
    try {
      Object.assign(process.env, base, { PORT: "5000" });
      delete process.env.HOST;
      const c = loadConfig(process.env, file);
      expect(c.PORT).toBe(5000);
      expect(c.HOST).toBe("0.0.0.0");
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
