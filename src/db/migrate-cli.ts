import { loadConfig } from "../config.js";
import { ensureDatabase, migrate } from "./migrate.js";

const config = loadConfig();
if (await ensureDatabase(config.DATABASE_URL)) console.log("База данных создана.");
const applied = await migrate(config.DATABASE_URL);
console.log(applied.length ? `Применены миграции: ${applied.join(", ")}` : "Миграции: всё уже применено.");
