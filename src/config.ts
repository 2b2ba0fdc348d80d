import { config as loadDotenv } from "dotenv";
import { IANAZone } from "luxon";
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

/**
 * Secret values that are public: the ones `.env.example` and the documentation show. Anyone can
 * sign an admin token with them, so production refuses them (test/unit/config.test.ts keeps this
 * list in step with `.env.example`).
 */
export const PUBLIC_SECRETS: readonly string[] = [
  "local-development-secret-change-me-0123456789",
  "test-secret-test-secret-test-secret-0123",
  "change-me",
];
/** Minimum length of a secret in production (32 random bytes as hex are 64). */
export const PRODUCTION_SECRET_MIN = 32;
/** The default sender, a mailbox that exists nowhere: fine for a developer's mail catcher only. */
export const DEFAULT_SMTP_FROM = "Журнал <journal@localhost>";

/** Why a secret may not be used in production, or null when it may. */
export function weakSecret(value: string): string | null {
  if (PUBLIC_SECRETS.includes(value)) return "совпадает с примером из .env.example — задайте свой случайный";
  if (value.length < PRODUCTION_SECRET_MIN) return `короче ${PRODUCTION_SECRET_MIN} символов`;
  // "xxxx…" or "1234…" passes a length check; random bytes in hex use all 16 digits.
  if (new Set(value).size < 10) return "слишком простой (мало разных символов) — задайте случайный";
  return null;
}

/**
 * `TRUST_PROXY` for Fastify's `trustProxy`: off by default (clients are the sockets' addresses);
 * `true` trusts every proxy, a number the count of hops, anything else a comma list of proxy
 * addresses or CIDRs (e.g. `127.0.0.1,10.0.0.0/8`).
 */
const trustProxy = z
  .string()
  .default("false")
  .transform((v): boolean | number | string => {
    const s = v.trim();
    if (s === "true") return true;
    if (s === "false" || s === "") return false;
    if (/^\d{1,2}$/.test(s)) return Number(s);
    return s;
  })
  .refine(
    (v) => typeof v !== "string" || v.split(",").every((a) => /^[\d.:a-fA-F]+(\/\d{1,3})?$/.test(a.trim())),
    "true, false, число прокси или список адресов через запятую (127.0.0.1,10.0.0.0/8)",
  );

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
    /** The bot's @username without "@", for deep links on printed invitations (t.me/<name>?start=…). */
    BOT_USERNAME: z
      .string()
      .regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/, "имя бота из @BotFather: латиница, цифры, _")
      .transform((v) => v.replace(/^@/, ""))
      .optional(),
    /** Public HTTPS URL Telegram posts updates to; without it the bot uses long polling. */
    BOT_WEBHOOK_URL: url(["https", "http"]).optional(),
    BOT_WEBHOOK_SECRET: z
      .string()
      .regex(/^[\w-]{16,256}$/, "16–256 символов A-Z a-z 0-9 _ -")
      .optional(),
    SMTP_URL: url(["smtp", "smtps"]).optional(),
    SMTP_FROM: z.string().default(DEFAULT_SMTP_FROM),
    JWT_SECRET: z.string().min(32, "не короче 32 символов"),
    ACCESS_TOKEN_TTL_MIN: z.coerce
      .number()
      .int()
      .positive()
      .max(1440, "не больше 1440 минут (сутки)")
      .default(15),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().max(365, "не больше 365 дней").default(30),
    /**
     * Messages per second the worker sends on the bot's token, all chats together. Telegram's free
     * limit is 30; up to 1,000 with paid broadcasts (`allow_paid_broadcast`).
     */
    TELEGRAM_GLOBAL_RATE: z.coerce
      .number()
      .int("целое число сообщений в секунду")
      .min(1, "не меньше 1 сообщения в секунду")
      .max(1000, "не больше 1000 (предел платных рассылок Telegram)")
      .default(30),
    DEFAULT_QUIET_START: hhmm.default("21:00"),
    DEFAULT_QUIET_END: hhmm.default("08:00"),
    /** Behind nginx or a load balancer: whose X-Forwarded-For / -Proto to believe (see above). */
    TRUST_PROXY: trustProxy,
    /** Who may read /metrics: addresses or networks, comma-separated (loopback by default). */
    METRICS_ALLOW: z
      .string()
      .default("127.0.0.1,::1")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(/^[\d.:a-fA-F]+(\/\d{1,3})?$/, "адреса или сети через запятую (127.0.0.1,10.0.0.0/8)"),
        ),
      ),
    /** Scheduled backups (worker role): the directory; empty = none scheduled. */
    BACKUP_DIR: z.string().min(1).optional(),
    /** Local time of the daily backup, in BACKUP_TIME_ZONE. */
    BACKUP_TIME: hhmm.default("02:30"),
    BACKUP_TIME_ZONE: z
      .string()
      .default("Europe/Moscow")
      .refine((v) => IANAZone.isValidZone(v), "часовой пояс IANA, например Europe/Moscow"),
    /** Daily backups kept; period-end and year-end backups are always kept. */
    BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(3650).default(14),
    /** A port for /metrics in a process without the api role (worker, bot); empty = none. */
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.BOT_WEBHOOK_URL && !c.BOT_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["BOT_WEBHOOK_SECRET"],
        message: "нужен вместе с BOT_WEBHOOK_URL",
      });
    }
    if (c.NODE_ENV === "production") productionRules(c, ctx);
  })
  .transform((c) => ({ ...c, botEnabled: Boolean(c.BOT_TOKEN), production: c.NODE_ENV === "production" }));

/**
 * What a real deployment may not run with: public or weak secrets (a token signed with the
 * example JWT_SECRET would be accepted as an admin's), and the developer's mail defaults.
 */
function productionRules(
  c: { JWT_SECRET: string; BOT_WEBHOOK_SECRET?: string; SMTP_URL?: string; SMTP_FROM: string },
  ctx: z.RefinementCtx,
) {
  const secrets = { JWT_SECRET: c.JWT_SECRET, BOT_WEBHOOK_SECRET: c.BOT_WEBHOOK_SECRET };
  for (const [key, value] of Object.entries(secrets)) {
    const why = value === undefined ? null : weakSecret(value);
    if (why) ctx.addIssue({ code: "custom", path: [key], message: `${why} (NODE_ENV=production)` });
  }
  if (c.SMTP_URL && /@localhost>?\s*$/.test(c.SMTP_FROM)) {
    ctx.addIssue({
      code: "custom",
      path: ["SMTP_FROM"],
      message:
        "адрес отправителя @localhost не годится для рассылки (NODE_ENV=production): укажите адрес школы",
    });
  }
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; `.env` fills in only what the environment does not set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenvPath = ".env"): Config {
  if (env === process.env) loadDotenv({ path: dotenvPath, quiet: true });
  // An empty value in .env means "not set", as for an absent key.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    // One line per variable: its first fault (the production rules repeat what the shape said).
    const seen = new Set<string>();
    const issues = parsed.error.issues.filter((i) => {
      const key = i.path.join(".");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const lines = issues.map((i) => {
      const missing = i.code === "invalid_type" && set[String(i.path[0])] === undefined;
      return `  ${i.path.join(".") || "(env)"}: ${missing ? "не задана" : i.message}`;
    });
    // One fault is one line, so an operator sees at once what to fix.
    const head = "Ошибка конфигурации (переменные окружения / .env; см. .env.example):";
    throw new ConfigError(
      lines.length === 1 ? `${head} ${lines[0]!.trim()}` : `${head}\n${lines.join("\n")}`,
    );
  }
  return parsed.data;
}
