import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus metrics, one registry for every role it runs. Labels hold routes,
 * channels, kinds and outcomes only — never a person, a chat or a text (152-FZ).
 *
 * Seconds are the unit of every duration (Prometheus convention).
 */
export const registry = new Registry();
registry.setDefaultLabels({ service: "zhurnal" });
// process_*, nodejs_* — memory, CPU, handles, and event-loop lag (nodejs_eventloop_lag_seconds).
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

const fast = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const slow = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

export const httpDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP request latency by route (the route's pattern, not the URL) and status",
  labelNames: ["method", "route", "status"] as const,
  buckets: fast,
  registers: [registry],
});

export const outboxLag = new Histogram({
  name: "outbox_relay_lag_seconds",
  help: "Time from a journal change's commit to its event reaching the queue",
  buckets: slow,
  registers: [registry],
});

export const deliveryLatency = new Histogram({
  name: "delivery_latency_seconds",
  help: "Time from a journal change's commit to the messenger accepting the alert, by channel and kind",
  labelNames: ["channel", "kind"] as const,
  buckets: slow,
  registers: [registry],
});

export const deliveries = new Counter({
  name: "deliveries_total",
  help: "Delivery attempts by channel and outcome (sent, retry, failed, expired, cancelled)",
  labelNames: ["channel", "outcome"] as const,
  registers: [registry],
});

export const botUpdates = new Counter({
  name: "bot_updates_total",
  help: "Messenger updates the bot handled, by kind (message, callback_query, …) and result",
  labelNames: ["messenger", "kind", "result"] as const,
  registers: [registry],
});

/**
 * Jobs waiting, active, delayed and failed per queue, read from Redis when scraped (so any process
 * that serves /metrics reports the whole deployment's queues).
 */
export function registerQueueDepths(counts: () => Promise<Record<string, Record<string, number>>>) {
  const existing = registry.getSingleMetric("queue_jobs");
  if (existing) registry.removeSingleMetric("queue_jobs");
  new Gauge({
    name: "queue_jobs",
    help: "BullMQ jobs by queue and state",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const byQueue = await counts().catch(() => ({}) as Record<string, Record<string, number>>);
      for (const [queue, states] of Object.entries(byQueue)) {
        for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
      }
    },
  });
}

/** Records one delivery outcome; `committedAt` is the event's commit time (outbox createdAt). */
export function recordDelivery(channel: string, kind: string, outcome: string, committedAt?: Date): void {
  deliveries.inc({ channel, outcome });
  if (outcome === "sent" && committedAt) {
    deliveryLatency.observe({ channel, kind }, Math.max(0, (Date.now() - committedAt.getTime()) / 1000));
  }
}
