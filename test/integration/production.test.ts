import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../prisma/seed/demo.js";
import { createTestDb, type TestDb } from "../support/db.js";
import { buildSchool } from "../support/school.js";

/**
 * Issue 10 §1: secrets and demo defaults never reach a real deployment. The set-up writes fresh
 * secrets; NODE_ENV=production refuses public ones, seeds nothing and refuses published logins.
 */
const ROOT = resolve(".");
const STRONG = "5b1e9a7c3d2f4e6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f";

function run(script: string, env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  return { child, output: () => out };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, "exit");
  return code as number | null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

const envValue = (text: string, key: string) => text.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1];

describe("scripts/ensure-env.mjs (npm start's set-up)", () => {
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "zh-ensure-env-"));
    copyFileSync(join(ROOT, ".env.example"), join(dir, ".env.example"));
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/ensure-env.mjs")], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    return { dir, env: readFileSync(join(dir, ".env"), "utf8") };
  };

  it("writes fresh random secrets into a new .env instead of the example's", () => {
    const example = readFileSync(join(ROOT, ".env.example"), "utf8");
    const a = fresh();
    const b = fresh();
    for (const key of ["JWT_SECRET", "BOT_WEBHOOK_SECRET"]) {
      expect(envValue(a.env, key)).toMatch(/^[0-9a-f]{64}$/);
      expect(envValue(a.env, key)).not.toBe(envValue(example, key));
      expect(envValue(a.env, key)).not.toBe(envValue(b.env, key));
    }
    // Everything else is the example's local default.
    expect(envValue(a.env, "DATABASE_URL")).toBe(envValue(example, "DATABASE_URL"));
    expect(a.env.split("\n").length).toBe(example.split("\n").length);
    // Only its owner reads it.
    expect(statSync(join(a.dir, ".env")).mode & 0o077).toBe(0);
  });

  it("leaves an existing .env alone", () => {
    const { dir } = fresh();
    writeFileSync(join(dir, ".env"), "JWT_SECRET=mine\n");
    spawnSync(process.execPath, [join(ROOT, "scripts/ensure-env.mjs")], { cwd: dir });
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("JWT_SECRET=mine\n");
  });
});

describe("NODE_ENV=production", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.drop());

  it("refuses to start with the example JWT_SECRET, in one line", async () => {
    const example = envValue(readFileSync(".env.example", "utf8"), "JWT_SECRET")!;
    const { child, output } = run("src/main.ts", {
      NODE_ENV: "production",
      JWT_SECRET: example,
      DATABASE_URL: t.url,
      ROLES: "api",
    });
    expect(await exitOf(child)).toBe(1);
    const lines = output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Ошибка конфигурации .*JWT_SECRET: совпадает с примером из \.env\.example/);
  });

  it("refuses a missing JWT_SECRET in one line", async () => {
    const { child, output } = run("src/main.ts", { NODE_ENV: "production", JWT_SECRET: "", ROLES: "api" });
    expect(await exitOf(child)).toBe(1);
    expect(output().trim()).toMatch(/^Ошибка конфигурации .*JWT_SECRET: не задана$/);
  });

  it("sets up without the demo school and serves", async () => {
    const empty = await createTestDb();
    try {
      const port = String(await freePort());
      const { child, output } = run(
        "src/main.ts",
        { NODE_ENV: "production", JWT_SECRET: STRONG, DATABASE_URL: empty.url, ROLES: "api", PORT: port },
        ["--setup"],
      );
      let ready = false;
      for (let i = 0; i < 150 && !ready && child.exitCode === null; i++) {
        await new Promise((r) => setTimeout(r, 200));
        ready = await fetch(`http://127.0.0.1:${port}/ready`)
          .then((r) => r.ok)
          .catch(() => false);
      }
      expect(ready, output()).toBe(true);
      child.kill("SIGTERM");
      expect(await exitOf(child)).toBe(0);
      expect(output()).toContain("демо-школа не создаётся");
      expect(output()).not.toContain(DEMO_PASSWORD);
      expect(await empty.db.school.count()).toBe(0);
      expect(await empty.db.person.count()).toBe(0);
    } finally {
      await empty.drop();
    }
  }, 60_000);

  it("refuses to serve while a published login signs in with the demo password", async () => {
    const s = await buildSchool(t.db);
    await t.db.person.update({
      where: { id: s.people.admin.id },
      data: { login: "admin", passwordHash: await hash(DEMO_PASSWORD) },
    });
    const { child, output } = run("src/main.ts", {
      NODE_ENV: "production",
      JWT_SECRET: STRONG,
      DATABASE_URL: t.url,
      ROLES: "api",
      PORT: String(await freePort()),
    });
    expect(await exitOf(child)).toBe(1);
    expect(output().trim().split("\n").at(-1)).toMatch(/демо-входы с опубликованным паролем \(admin\)/);
  }, 60_000);

  it("seeds no demo data", async () => {
    const { child, output } = run("prisma/seed.ts", {
      NODE_ENV: "production",
      JWT_SECRET: STRONG,
      DATABASE_URL: t.url,
    });
    expect(await exitOf(child)).toBe(1);
    expect(output().trim()).toMatch(/^NODE_ENV=production: демо-данные не создаются/);
  }, 30_000);
});
