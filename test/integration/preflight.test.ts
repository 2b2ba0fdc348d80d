import { describe, expect, it } from "vitest";
import { preflight } from "../../src/db/preflight.js";

describe("start-up preflight", () => {
  it("passes when PostgreSQL and Redis answer", async () => {
    expect(await preflight(process.env.DATABASE_URL!, process.env.REDIS_URL!)).toBeNull();
  });

  it("names the PostgreSQL URL that failed (without its password) and how to start it", async () => {
    const line = await preflight("postgresql://postgres:secret@127.0.0.1:1/zhurnal", process.env.REDIS_URL!);
    expect(line).toMatch(
      /^PostgreSQL недоступен по адресу postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/zhurnal/,
    );
    expect(line).toContain("docker compose up -d");
    expect(line).not.toContain("secret");
  });

  it("names the Redis URL that failed", async () => {
    const line = await preflight(process.env.DATABASE_URL!, "redis://127.0.0.1:1");
    expect(line).toMatch(/^Redis недоступен по адресу redis:\/\/127\.0\.0\.1:1/);
    expect(line).toContain("docker compose up -d");
  });
});
