import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, PUBLIC_SECRETS } from "../../src/config.js";

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
    expect(c.TELEGRAM_GLOBAL_RATE).toBe(30); // Telegram's documented free limit
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
    ["zero send rate", { TELEGRAM_GLOBAL_RATE: "0" }, /TELEGRAM_GLOBAL_RATE: не меньше 1/],
    ["fractional send rate", { TELEGRAM_GLOBAL_RATE: "2.5" }, /TELEGRAM_GLOBAL_RATE: целое/],
    [
      "send rate above paid broadcasts",
      { TELEGRAM_GLOBAL_RATE: "1001" },
      /TELEGRAM_GLOBAL_RATE: не больше 1000/,
    ],
    ["access token for a year", { ACCESS_TOKEN_TTL_MIN: "525600" }, /ACCESS_TOKEN_TTL_MIN: не больше/],
    ["refresh token for ever", { REFRESH_TOKEN_TTL_DAYS: "100000000" }, /REFRESH_TOKEN_TTL_DAYS: не больше/],
  ])("refuses %s with a message naming the variable", (_name, patch, message) => {
    expect(() => loadConfig({ ...base, ...patch } as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...patch } as NodeJS.ProcessEnv)).toThrow(message);
  });

  it.each(["1", "7", "30", "1000"])("accepts TELEGRAM_GLOBAL_RATE=%s (the whole range)", (rate) => {
    expect(loadConfig({ ...base, TELEGRAM_GLOBAL_RATE: rate }).TELEGRAM_GLOBAL_RATE).toBe(Number(rate));
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

  describe("in production (NODE_ENV=production)", () => {
    const strong = "9f2c4e1a7b3d5f6e8a0c2b4d6f8e1a3c5b7d9f0e2a4c6b8d";
    const prod = { ...base, NODE_ENV: "production", JWT_SECRET: strong };
    const exampleValue = (key: string) =>
      readFileSync(".env.example", "utf8").match(new RegExp(`^${key}=(.*)$`, "m"))?.[1] ?? "";

    it("starts with a strong random secret and says it is production", () => {
      expect(loadConfig({ ...prod }).production).toBe(true);
      expect(loadConfig({ ...base }).production).toBe(false);
    });

    it("knows the secret .env.example publishes", () => {
      expect(PUBLIC_SECRETS).toContain(exampleValue("JWT_SECRET"));
      // A developer's machine still starts with it.
      expect(loadConfig({ ...base, JWT_SECRET: exampleValue("JWT_SECRET") }).JWT_SECRET).toBeTruthy();
    });

    it.each([
      [
        "the example JWT_SECRET",
        { JWT_SECRET: "local-development-secret-change-me-0123456789" },
        /^Ошибка конфигурации .*: JWT_SECRET: совпадает с примером из \.env\.example/,
      ],
      ["a missing JWT_SECRET", { JWT_SECRET: undefined }, /JWT_SECRET: не задана/],
      ["a short JWT_SECRET", { JWT_SECRET: "abcdefghijklmnop" }, /JWT_SECRET: не короче 32 символов/],
      ["a simple JWT_SECRET", { JWT_SECRET: "x".repeat(40) }, /JWT_SECRET: слишком простой/],
      [
        "the test suite's JWT_SECRET",
        { JWT_SECRET: "test-secret-test-secret-test-secret-0123" },
        /JWT_SECRET: совпадает с примером/,
      ],
      [
        "a short webhook secret",
        { BOT_WEBHOOK_URL: "https://example.org/hook", BOT_WEBHOOK_SECRET: "abcdefghijklmnop1" },
        /BOT_WEBHOOK_SECRET: короче 32 символов/,
      ],
      [
        "mail from @localhost",
        { SMTP_URL: "smtp://mail.example.org:587", SMTP_FROM: "Журнал <journal@localhost>" },
        /SMTP_FROM: адрес отправителя @localhost/,
      ],
      ["mail with the default sender", { SMTP_URL: "smtp://mail.example.org:587" }, /SMTP_FROM/],
    ])("refuses %s in one line", (_name, patch, message) => {
      const env = { ...prod, ...patch } as NodeJS.ProcessEnv;
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.split("\n")).toHaveLength(1);
    });

    it("accepts a real sender and a strong webhook secret", () => {
      const c = loadConfig({
        ...prod,
        BOT_WEBHOOK_URL: "https://example.org/hook",
        BOT_WEBHOOK_SECRET: "c0ffee1234567890abcdefABCDEF_-9876543210",
        SMTP_URL: "smtp://mail.example.org:587",
        SMTP_FROM: "Школа № 1 <journal@school1.ru>",
      } as NodeJS.ProcessEnv);
      expect(c.SMTP_FROM).toContain("school1.ru");
    });
  });

  it.each([
    ["", false],
    ["false", false],
    ["true", true],
    ["1", 1],
    ["127.0.0.1,10.0.0.0/8", "127.0.0.1,10.0.0.0/8"],
  ])("reads TRUST_PROXY=%j as %j", (value, expected) => {
    expect(loadConfig({ ...base, TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it("refuses a TRUST_PROXY that is no address", () => {
    expect(() => loadConfig({ ...base, TRUST_PROXY: "nginx" })).toThrow(/TRUST_PROXY/);
  });
});
