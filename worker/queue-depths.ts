import { Queue } from "bullmq";
import { producerConnection, QUEUES } from "./queues.js";

const STATES = ["waiting", "active", "delayed", "prioritized", "failed"] as const;

/**
 * Jobs per queue and state for /metrics (queue_jobs), read from Redis at each scrape with a
 * producer connection, so any process that serves metrics reports the deployment's queues.
 */
export function queueDepths(redisUrl: string, prefix?: string) {
  const connection = producerConnection(redisUrl);
  connection.on("error", () => {});
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix }));
  for (const q of queues) q.on("error", () => {});
  return {
    async counts(): Promise<Record<string, Record<string, number>>> {
      const all = await Promise.all(
        queues.map(async (q) => [q.name, await q.getJobCounts(...STATES)] as const),
      );
      return Object.fromEntries(all);
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}
