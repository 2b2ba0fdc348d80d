import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.js";
import { buildApp } from "../../src/http/app.js";
import type { Api } from "../../src/http/types.js";

// The app's serving only: no route here reaches the database.
let app: Api;
let root: string;
const db = createDb("postgresql://unused@127.0.0.1:1/unused");
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "zh-web-"));
  await mkdir(join(root, "assets"));
  await writeFile(join(root, "index.html"), "<!doctype html><title>Журнал</title><div id=root></div>");
  await writeFile(join(root, "assets", "index-AbC123.js"), "console.log(1)");
  app = await buildApp({
    db,
    config: {
      JWT_SECRET: "x".repeat(32),
      ACCESS_TOKEN_TTL_MIN: 15,
      REFRESH_TOKEN_TTL_DAYS: 30,
      LOG_LEVEL: "silent",
    },
    webRoot: root,
  });
});
afterAll(async () => {
  await app?.close();
  await db.$disconnect();
  await rm(root, { recursive: true, force: true });
});

const html = { accept: "text/html,application/xhtml+xml" };

describe("the web app at /", () => {
  it("serves index.html at / and revalidates it on every visit", async () => {
    const res = await app.inject({ url: "/", headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).toContain("<div id=root>");
    expect(res.headers["cache-control"]).toBe("no-cache");
  });

  it("serves hashed assets as immutable for a year", async () => {
    const res = await app.inject({ url: "/assets/index-AbC123.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("answers an app path (a page of the single-page app) with index.html", async () => {
    for (const url of ["/journal", "/lessons/42", "/journal?classId=1&subjectId=2"]) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain("<div id=root>");
      expect(res.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("never swallows the server's own paths: an unknown one stays a JSON 404", async () => {
    for (const url of [
      "/api/v1/no-such-thing",
      "/api/v2/x",
      "/api",
      "/docs/no-such-page",
      "/admin/no-such-page",
      "/telegram/x",
      "/ready/x",
      "/metrics/x",
      "/assets/index-OLD999.js",
      "/favicon.ico",
    ]) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"], url).toMatch(/application\/json/);
      expect(res.json().error).toBe("not_found");
    }
  });

  it("does not answer a write to an app path with the page", async () => {
    const res = await app.inject({ method: "POST", url: "/journal", payload: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe("not_found");
  });

  it("keeps the API and its documentation as they were", async () => {
    expect((await app.inject({ url: "/api/v1/me" })).statusCode).toBe(401);
    const docs = await app.inject({ url: "/docs/json" });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths).some((p) => p === "/" || p.startsWith("/*"))).toBe(false);
  });
});

describe("without a web build", () => {
  it("an unknown path is a JSON 404 as before", async () => {
    const bare = await buildApp({
      db,
      config: {
        JWT_SECRET: "x".repeat(32),
        ACCESS_TOKEN_TTL_MIN: 15,
        REFRESH_TOKEN_TTL_DAYS: 30,
        LOG_LEVEL: "silent",
      },
      webRoot: join(root, "missing"),
    });
    const res = await bare.inject({ url: "/journal", headers: html });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe("not_found");
    await bare.close();
  });
});
