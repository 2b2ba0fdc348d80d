// `npm run build`: the server, bot and worker compiled to JavaScript in dist/ (plain `node` runs
// them, no tsx), with the files they read at run time beside them, then the web app if present.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";

const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });

rmSync("dist", { recursive: true, force: true });
run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]);
// Read at run time relative to the compiled modules (bot/i18n.ts, src/db/migrate.ts).
cpSync("bot/locales", "dist/bot/locales", { recursive: true });
cpSync("prisma/migrations", "dist/prisma/migrations", { recursive: true });
if (existsSync("web/package.json") || existsSync("web/vite.config.ts")) {
  run("npm", ["run", "--if-present", "build:web"]);
}
console.log("build: dist/ ready — start it with npm run serve");
