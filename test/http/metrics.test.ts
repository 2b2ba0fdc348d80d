import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emit } from "../../src/events/outbox.js";
import { startRelay } from "../../src/events/relay.js";
import { metricsAllowList } from "../../src/http/metrics.js";
import { registerQueueDepths } from "../../src/metrics.js";
import { startMetricsServer } from "../../src/metrics-server.js";
import { queueDepths } from "../../worker/queue-depths.js";
import { logger, until } from "../worker/harness.js";
import { bearer, type HttpCtx, startHttp } from "./helpers.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let ctx: HttpCtx;
let wide: HttpCtx;
beforeAll(async () => {
  [ctx, wide] = await Promise.all([
    startHttp(),
    startHttp({ env: { METRICS_ALLOW: "10.0.0.0/8,127.0.0.1" } }),
  ]);
});
afterAll(() => Promise.all([ctx?.close(), wide?.close()]));

/** Value of one series in Prometheus text, its labels in any order: sample(text, "x_count", { a: "b" }). */
const sample = (text: string, name: string, labels: Record<string, string> = {}) => {
  const want = Object.entries({ service: "zhurnal", ...labels })
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(",");
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-z_]+)\{(.*)\} (\S+)$/);
    if (m?.[1] === name && m[2]!.split(",").sort().join(",") === want) return Number(m[3]);
  }
  return undefined;
};

describe("metricsAllowList", () => {
  it.each([
    [["127.0.0.1", "::1"], "127.0.0.1", true],
    [["127.0.0.1", "::1"], "::ffff:127.0.0.1", true],
    [["127.0.0.1", "::1"], "::1", true],
    [["127.0.0.1", "::1"], "10.0.0.5", false],
    [["10.0.0.0/8"], "10.200.3.4", true],
    [["10.0.0.0/8"], "11.0.0.1", false],
    [["fd00::/8"], "fd12::1", true],
    [[], "127.0.0.1", false],
  ])("%j lets %s in: %s", (allow, ip, expected) => {
    expect(metricsAllowList(allow)(ip)).toBe(expected);
  });
});

describe("GET /metrics", () => {
  it("answers in Prometheus text with request latency by route pattern and event-loop lag", async () => {
    const teacher = bearer(ctx.token("math"));
    await ctx.app.inject({ url: "/api/v1/me", headers: teacher });
    await ctx.app.inject({ url: "/api/v1/people/987654", headers: teacher });
    const res = await ctx.app.inject({ url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(
      sample(text, "http_request_duration_seconds_count", {
        method: "GET",
        route: "/api/v1/me",
        status: "200",
      }),
    ).toBeGreaterThanOrEqual(1);
    // The pattern, never the id: a person's id is no label.
    expect(text).toMatch(/route="\/api\/v1\/people\/:personId"/);
    expect(text).not.toMatch(/route="[^"]*987654/);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="zhurnal"\} /m);
  });

  it("is not there for other networks, nor through a proxy the app does not trust", async () => {
    const far = await ctx.app.inject({ url: "/metrics", remoteAddress: "10.1.2.3" });
    expect(far.statusCode).toBe(404);
    expect(far.body).not.toMatch(/nodejs_/);
    const proxied = await ctx.app.inject({ url: "/metrics", headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(proxied.statusCode).toBe(404);
  });

  it("serves the networks METRICS_ALLOW names", async () => {
    expect((await wide.app.inject({ url: "/metrics", remoteAddress: "10.1.2.3" })).statusCode).toBe(200);
    expect((await wide.app.inject({ url: "/metrics", remoteAddress: "192.168.1.1" })).statusCode).toBe(404);
  });

  it("reports queue depths and the outbox relay's lag", async () => {
    const prefix = `t-metrics-${Date.now()}`;
    const depths = queueDepths(redisUrl, prefix);
    registerQueueDepths(depths.counts);
    const relay = await startRelay({
      config: { DATABASE_URL: ctx.testDb.url, REDIS_URL: redisUrl },
      db: ctx.testDb.db,
      logger,
      prefix,
    });
    const events = new Queue("events", { connection: { url: redisUrl }, prefix });
    try {
      const before =
        sample((await ctx.app.inject({ url: "/metrics" })).body, "outbox_relay_lag_seconds_count") ?? 0;
      await ctx.testDb.db.$transaction(async (tx) => {
        for (let i = 0; i < 3; i++)
          await emit(tx, ctx.school.school.id, { type: "homework.set", payload: { lessonId: 1 + i } });
      });
      await until(
        async () => (await ctx.testDb.db.outbox.count({ where: { publishedAt: null } })) === 0,
        "relayed and committed",
      );
      const text = (await ctx.app.inject({ url: "/metrics" })).body;
      expect(sample(text, "outbox_relay_lag_seconds_count")).toBe(before + 3);
      expect(sample(text, "queue_jobs", { queue: "events", state: "waiting" })).toBe(3);
    } finally {
      await relay.stop();
      await events.obliterate({ force: true });
      await events.close();
      await depths.close();
    }
  });
});

describe("METRICS_PORT", () => {
  it("serves /metrics on its own port to allowed addresses only", async () => {
    const server = await startMetricsServer({ host: "127.0.0.1", port: 0, allow: ["127.0.0.1", "::1"] });
    const { port } = server.server.address() as { port: number };
    try {
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/^process_resident_memory_bytes/m);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      expect(
        (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { "x-forwarded-for": "1.2.3.4" } }))
          .status,
      ).toBe(404);
    } finally {
      await server.close();
    }
    const closed = await startMetricsServer({ host: "127.0.0.1", port: 0, allow: ["10.0.0.0/8"] });
    const { port: p2 } = closed.server.address() as { port: number };
    try {
      expect((await fetch(`http://127.0.0.1:${p2}/metrics`)).status).toBe(404);
    } finally {
      await closed.close();
    }
  });
});
