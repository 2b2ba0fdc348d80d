import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.js";

/** The real entry point as an operator runs it, in a child process. */
function run(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
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

/** A port nobody listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

describe("src/main.ts", () => {
  it("stops with one line naming the unreachable PostgreSQL URL", async () => {
    const { child, output } = run({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/zhurnal",
      ROLES: "api",
    });
    expect(await exitOf(child)).toBe(1);
    const lines = output().trim().split("\n");
    expect(lines.at(-1)).toMatch(
      /^PostgreSQL недоступен по адресу postgresql:\/\/postgres@127\.0\.0\.1:1\/zhurnal .*docker compose up -d/,
    );
  });

  it("stops with the config error when a variable is malformed", async () => {
    const { child, output } = run({ PORT: "http", ROLES: "api" });
    expect(await exitOf(child)).toBe(1);
    expect(output()).toContain("PORT:");
  });

  it("serves the API and the worker, answers /ready, and shuts down cleanly on SIGTERM", async () => {
    const port = String(await freePort());
    const { child, output } = run({ DATABASE_URL: t.url, ROLES: "api,worker", PORT: port, BOT_TOKEN: "" });
    let ready: { status: string } | undefined;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await fetch(`http://127.0.0.1:${port}/ready`)
        .then((r) => (r.ok ? (r.json() as Promise<{ status: string }>) : undefined))
        .catch(() => undefined);
    }
    expect(ready?.status, output()).toBe("ok");
    const docs = await fetch(`http://127.0.0.1:${port}/docs/json`).then(
      (r) => r.json() as Promise<{ paths: object }>,
    );
    expect(Object.keys(docs.paths).length).toBeGreaterThan(20);
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
    expect(output()).toContain("остановка");
  }, 40_000);
});
