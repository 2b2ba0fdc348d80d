import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * The self-host kit cannot be built here (no Docker engine), so its settings that matter are
 * checked as text: a mistake in them loses alerts (Redis eviction) or runs the journal as root.
 */
const dockerfile = readFileSync("Dockerfile", "utf8");
const compose = parse(readFileSync("deploy/docker-compose.yml", "utf8"), { merge: true }) as {
  services: Record<string, Record<string, unknown> & { environment?: Record<string, string> }>;
  volumes: Record<string, unknown>;
};
const stages = dockerfile.split(/^FROM /m).slice(1);

describe("Dockerfile", () => {
  it("builds in one stage and runs the compiled output in another, without dev dependencies", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const [build, run] = [stages[0]!, stages.at(-1)!];
    expect(build).toMatch(/npm ci/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(run).toMatch(/COPY --from=build .*\/app\/dist/);
    expect(run).not.toMatch(/tsx/);
    expect(run).toMatch(/CMD \["node", "dist\/src\/main\.js"\]/);
    expect(run).toMatch(/ENV NODE_ENV=production/);
  });

  it("runs as an unprivileged user, with a health check", () => {
    const run = stages.at(-1)!;
    const user = run.match(/^USER (\S+)/m)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    expect(run).toMatch(/^HEALTHCHECK .*\n?.*\/ready/m);
  });

  it("leaves secrets and local state out of the image", () => {
    const ignore = readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of [".env", "node_modules", ".git", "dist"]) expect(ignore).toContain(entry);
    expect(dockerfile).not.toMatch(/JWT_SECRET|BOT_TOKEN|PASSWORD/);
  });
});

describe("deploy/docker-compose.yml", () => {
  const { services } = compose;

  it("runs api, worker and bot as separate services of one image, each with its role", () => {
    expect(services.api?.environment?.ROLES).toBe("api");
    expect(services.worker?.environment?.ROLES).toBe("worker");
    expect(services.bot?.environment?.ROLES).toBe("bot");
    for (const name of ["api", "worker", "bot"]) {
      const s = services[name]!;
      expect(s.environment?.NODE_ENV).toBe("production");
      expect(s.depends_on).toMatchObject({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
      });
    }
    // A bot token takes one long-polling consumer.
    expect(services.bot?.deploy).toMatchObject({ replicas: 1 });
  });

  it("configures Redis as BullMQ requires: no eviction, append-only file, a volume", () => {
    const command = ((services.redis?.command ?? []) as string[]).join(" ");
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--appendonly yes/);
    expect(services.redis?.volumes).toEqual(["redisdata:/data"]);
  });

  it("keeps data in volumes and checks the health of every stateful service and the API", () => {
    expect(services.postgres?.volumes).toEqual(["pgdata:/var/lib/postgresql/data"]);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(["pgdata", "redisdata"]));
    for (const name of ["postgres", "redis", "api"]) expect(services[name]?.healthcheck).toBeDefined();
  });

  it("takes every secret from the environment, never a value written in the file", () => {
    expect(services.postgres?.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(services.postgres?.environment).not.toHaveProperty("POSTGRES_HOST_AUTH_METHOD");
    expect(services.api?.env_file).toEqual([".env"]);
    // The API is published on loopback only: HTTPS is the reverse proxy's job.
    expect(services.api?.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:/)]);
  });
});
