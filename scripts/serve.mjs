// `npm run serve`: the compiled product (npm run build) with plain node, no set-up steps.
import { existsSync } from "node:fs";

if (!existsSync("dist/src/main.js")) {
  console.error("Нет собранной версии (dist/src/main.js): сначала выполните npm run build.");
  process.exit(1);
}
await import("../dist/src/main.js");
