import { createServer, type Server } from "node:http";
import { metricsAllowList } from "./http/metrics.js";
import { registry } from "./metrics.js";

/**
 * /metrics on its own port for a process without the api role (a worker or bot service), with the
 * same address rule as the API's. Resolves once listening; `close()` stops it.
 */
export async function startMetricsServer(opts: {
  host: string;
  port: number;
  allow: readonly string[];
}): Promise<{ server: Server; close(): Promise<void> }> {
  const allowed = metricsAllowList(opts.allow);
  const server = createServer((req, res) => {
    const ip = req.socket.remoteAddress ?? "";
    if (
      req.method !== "GET" ||
      req.url?.split("?")[0] !== "/metrics" ||
      !allowed(ip) ||
      req.headers["x-forwarded-for"]
    ) {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) =>
        res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return { server, close: () => new Promise((r) => server.close(() => r())) };
}
