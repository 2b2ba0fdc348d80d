// A fresh clone has no .env: start from the documented local defaults so `npm start` just works,
// but never with the example's secrets: a token signed with a public JWT_SECRET is anyone's.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Keys whose value in the new .env is a fresh random secret, never the example's. */
const SECRETS = ["JWT_SECRET", "BOT_WEBHOOK_SECRET"];

if (!existsSync(".env")) {
  const example = readFileSync(".env.example", "utf8");
  const env = example.replace(/^([A-Z_]+)=.*$/gm, (line, key) =>
    SECRETS.includes(key) ? `${key}=${randomBytes(32).toString("hex")}` : line,
  );
  writeFileSync(".env", env, { mode: 0o600 });
  console.log(
    `Создан .env из .env.example (локальные настройки по умолчанию; ${SECRETS.join(", ")} — новые случайные).`,
  );
}
