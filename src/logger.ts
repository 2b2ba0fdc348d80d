import { pino } from "pino";

/**
 * Secrets and personal data never reach the logs (152-FZ): these paths are censored wherever
 * they appear in a logged object.
 */
export const REDACT_PATHS = [
  "password",
  "newPassword",
  "oldPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "code",
  "*.password",
  "*.newPassword",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.code",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-telegram-bot-api-secret-token"]',
  "*.firstName",
  "*.lastName",
  "*.middleName",
  "*.birthDate",
  "*.email",
  "*.phone",
  "*.text",
  "*.body",
];

export function createLogger(level: string, name = "zhurnal") {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: "[скрыто]" } });
}
export type Logger = ReturnType<typeof createLogger>;
