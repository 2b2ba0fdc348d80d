// A fresh clone has no .env: start from the documented local defaults so `npm start` just works.
import { copyFileSync, existsSync } from "node:fs";

if (!existsSync(".env")) {
  copyFileSync(".env.example", ".env");
  console.log("Создан .env из .env.example (локальные настройки по умолчанию).");
}
