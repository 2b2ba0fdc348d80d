// Generates the Prisma client without downloading the schema engine, which this project's
// machines cannot fetch: `prisma generate` only needs PRISMA_SCHEMA_ENGINE_BINARY to name an
// executable, it never runs it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
if (!existsSync("prisma/schema.prisma")) process.exit(0);
execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], { stdio: "inherit", env });
