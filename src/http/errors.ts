import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Prisma } from "../generated/prisma/client.js";
import { type ErrorCode, isDomainError } from "../journal/errors.js";

/** One error shape for every failure: `{ error, message, details }`, message in Russian. */
export const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  rate_limited: 429,
  needs_confirmation: 409,
};

export interface ErrorBody {
  error: string;
  message: string;
  details: Record<string, unknown>;
}

const send = (reply: FastifyReply, status: number, body: ErrorBody) => reply.code(status).send(body);

// Framework errors a client can fix: named, in Russian, without internals.
const FRAMEWORK: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, "validation", "Тело запроса — не корректный JSON."],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "validation", "Пустое тело запроса при Content-Type: application/json."],
  FST_ERR_CTP_BODY_TOO_LARGE: [
    413,
    "too_large",
    "Слишком большой запрос: не больше 1 МБ (файлы импорта — до 5 МБ).",
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    "unsupported_media_type",
    "Неподдерживаемый Content-Type: отправляйте application/json.",
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, "validation", "Неверный заголовок Content-Length."],
};

function prismaError(error: unknown): [number, ErrorBody] | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  if (error.code === "P2002")
    return [
      409,
      { error: "conflict", message: "Такая запись уже есть: значения должны быть уникальными.", details: {} },
    ];
  if (error.code === "P2025")
    return [404, { error: "not_found", message: "Запись не найдена.", details: {} }];
  if (error.code === "P2003")
    return [
      400,
      {
        error: "validation",
        message: "Ссылка на несуществующую запись: проверьте идентификаторы.",
        details: {},
      },
    ];
  return null;
}

/**
 * @param fallback answers an unknown path another way first (the web app's page for a GET of
 *   an app path); returns false to leave it a 404.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean,
) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isDomainError(error)) {
      if (error.code === "rate_limited" && error.details?.retryAfterSec) {
        reply.header("retry-after", String(error.details.retryAfterSec));
      }
      return send(reply, STATUS[error.code], {
        error: error.code,
        message: error.message,
        details: error.details ?? {},
      });
    }
    const framework = error.code ? FRAMEWORK[error.code] : undefined;
    if (framework)
      return send(reply, framework[0], { error: framework[1], message: framework[2], details: {} });
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return send(reply, 400, {
        error: "validation",
        message: "Тело запроса — не корректный JSON.",
        details: {},
      });
    }
    const mapped = prismaError(error);
    if (mapped) return send(reply, mapped[0], mapped[1]);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ code: error.code }, "client error");
      return send(reply, error.statusCode, {
        error: "bad_request",
        message: "Неверный запрос.",
        details: {},
      });
    }
    request.log.error({ err: error }, "unhandled error");
    return send(reply, 500, {
      error: "internal",
      message: `Внутренняя ошибка сервера. Повторите позже; если ошибка повторяется, сообщите администратору номер запроса ${request.id}.`,
      details: { requestId: request.id },
    });
  });

  app.setNotFoundHandler((request, reply) =>
    fallback?.(request, reply)
      ? reply
      : send(reply, 404, {
          error: "not_found",
          message: `Адрес ${request.method} ${request.url.split("?")[0]} не найден. Список адресов — в /docs.`,
          details: {},
        }),
  );
}
