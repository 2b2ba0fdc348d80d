import { config as loadDotenv } from "dotenv";
import { z } from "zod";

/** Process roles `ROLES` can start. */
export const ROLE_NAMES = ["api", "bot", "worker"] as const;
export type ProcessRole = (typeof ROLE_NAMES)[number];

const url = (protocols: string[]) =>
  z
    .string()
    .url("должен быть URL")
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), `ожидается ${protocols.join(" или ")}://…`);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "время в формате ЧЧ:ММ");

export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: url(["postgres", "postgresql"]),
    REDIS_URL: url(["redis", "rediss"]),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ROLES: z
      .string()
      .default("api,bot,worker")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(ROLE_NAMES)).min(1, "укажите хотя бы одну роль: api, bot, worker")),
    BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, "токен бота вида 123456:ABC…")
      .optional(),
    BOT_API_ROOT: url(["http", "https"]).default("https://api.telegram.org"),
    /** Public HTTPS URL Telegram posts updates to; without it the bot uses long polling. */
    BOT_WEBHOOK_URL: url(["https", "http"]).optional(),
    BOT_WEBHOOK_SECRET: z
      .string()
      .regex(/^[\w-]{16,256}$/, "16–256 символов A-Z a-z 0-9 _ -")
      .optional(),
    SMTP_URL: url(["smtp", "smtps"]).optional(),
    SMTP_FROM: z.string().default("Журнал <journal@localhost>"),
    JWT_SECRET: z.string().min(32, "не короче 32 символов"),
    ACCESS_TOKEN_TTL_MIN: z.coerce.number().int().positive().default(15),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
    TELEGRAM_GLOBAL_RATE: z.coerce.number().positive().default(25),
    DEFAULT_QUIET_START: hhmm.default("21:00"),
    DEFAULT_QUIET_END: hhmm.default("08:00"),
  })
  .superRefine((c, ctx) => {
    if (c.BOT_WEBHOOK_URL && !c.BOT_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["BOT_WEBHOOK_SECRET"],
        message: "нужен вместе с BOT_WEBHOOK_URL",
      });
    }
  })
  .transform((c) => ({ ...c, botEnabled: Boolean(c.BOT_TOKEN) }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; `.env` fills in only what the environment does not set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenvPath = ".env"): Config {
  if (env === process.env) loadDotenv({ path: dotenvPath, quiet: true });
  // An empty value in .env means "not set", as for an absent key.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const missing = i.code === "invalid_type" && set[String(i.path[0])] === undefined;
      return `  ${i.path.join(".") || "(env)"}: ${missing ? "не задана" : i.message}`;
    });
    throw new ConfigError(
      `Ошибка конфигурации (переменные окружения / .env; см. .env.example):\n${lines.join("\n")}`,
    );
  }
  return parsed.data;
}
