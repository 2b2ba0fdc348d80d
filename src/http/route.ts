import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Actor } from "../journal/actor.js";
import type { Tag } from "./schemas.js";
import type { Api } from "./types.js";

export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  tag: Tag;
  /** Russian first, English after a slash. */
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status; 204 sends no body. */
  status?: 200 | 201 | 204;
}

export type Input = Record<string, unknown>;

/**
 * A thin adapter: the validated path, query and body become one service input (the path wins,
 * so a body cannot retarget another lesson), the service runs as the token's actor, its result
 * is the response.
 */
export function route(
  app: Api,
  spec: RouteSpec,
  run: (input: Input, actor: Actor, request: FastifyRequest) => Promise<unknown>,
) {
  app.route({
    method: spec.method,
    url: spec.url,
    schema: {
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
    },
    handler: async (request, reply) => {
      const input = {
        ...(request.query as Input | undefined),
        ...(request.body as Input | undefined),
        ...(request.params as Input | undefined),
      };
      const result = await run(input, request.actor, request);
      if (spec.status === 204) return reply.code(204).send();
      return reply.code(spec.status ?? 200).send(result ?? { ok: true });
    },
  });
}
