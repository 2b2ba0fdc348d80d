import { BlockList, isIPv4, isIPv6 } from "node:net";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { httpDuration, registry } from "../metrics.js";

/**
 * Who may read /metrics: the addresses and networks of METRICS_ALLOW. A request that came through
 * a proxy Fastify does not trust (X-Forwarded-For present, but TRUST_PROXY off) is refused: behind
 * nginx on the same machine every visitor would otherwise look like 127.0.0.1.
 */
export function metricsAllowList(entries: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split("/") as [string, string | undefined];
    const type = isIPv6(address) ? "ipv6" : "ipv4";
    if (!isIPv4(address) && !isIPv6(address)) continue;
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    // IPv4 clients of a dual-stack socket come as ::ffff:a.b.c.d.
    const plain = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
    return isIPv4(plain) ? list.check(plain, "ipv4") : isIPv6(plain) && list.check(plain, "ipv6");
  };
}

const proxiedUntrusted = (request: FastifyRequest, trustProxy: unknown) =>
  (request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined) &&
  (trustProxy === undefined || trustProxy === false);

/**
 * GET /metrics in Prometheus text format for the allowed networks (404 to everyone else), and the
 * latency of every request by its route pattern.
 */
export function registerMetrics(
  app: FastifyInstance,
  opts: { allow: readonly string[]; trustProxy?: unknown },
) {
  const allowed = metricsAllowList(opts.allow);
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url;
    // Unmatched URLs stay out: a scanner's random paths would each make a new series.
    if (route && route !== "/metrics") {
      httpDuration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    }
    done();
  });
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    // Answered as any unknown path is, so the endpoint does not announce itself.
    if (proxiedUntrusted(request, opts.trustProxy) || !allowed(request.ip)) {
      return reply.callNotFound();
    }
    reply.header("content-type", registry.contentType).header("cache-control", "no-store");
    return registry.metrics();
  });
}
