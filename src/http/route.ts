import type { FastifyRequest, FastifySchema } from "fastify";
import type { z } from "zod";
import type { Actor } from "../journal/actor.js";
import { jsonResponse, noContent } from "./responses.js";
import type { Tag } from "./schemas.js";
import type { Api } from "./types.js";

interface SpecBase {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  tag: Tag;
  /** Russian first, English after a slash. */
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

/**
 * A route: 204 sends no body; every other success status documents its body with `response`
 * (responses.ts: the service's value on the output side, its JSON on the input side).
 */
export type RouteSpec<R extends z.ZodType = z.ZodType> = SpecBase &
  ({ status: 204; response?: never } | { status?: 200 | 201; response: R });

export type Input = Record<string, unknown>;

/**
 * A thin adapter: the validated path, query and body become one service input (the path wins,
 * so a body cannot retarget another lesson), the service runs as the token's actor, its result
 * is the response. The compiler checks the result against the declared response schema.
 */
export function route<R extends z.ZodType>(
  app: Api,
  spec: RouteSpec<R>,
  run: (input: Input, actor: Actor, request: FastifyRequest) => Promise<NoInfer<z.output<R>>>,
) {
  const status = spec.status ?? 200;
  // A plain FastifySchema: `run`'s type already ties the result to `response`.
  const schema: FastifySchema = {
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    response: { [status]: spec.status === 204 ? noContent : jsonResponse(spec.response, spec.status) },
  };
  app.route({
    method: spec.method,
    url: spec.url,
    schema,
    handler: async (request, reply) => {
      const input = {
        ...(request.query as Input | undefined),
        ...(request.body as Input | undefined),
        ...(request.params as Input | undefined),
      };
      const result = await run(input, request.actor, request);
      if (status === 204) return reply.code(204).send();
      return reply.code(status).send(result);
    },
  });
}
