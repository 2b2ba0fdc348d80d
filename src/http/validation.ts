import type { FastifySchemaCompiler } from "fastify";
import { z } from "zod";
import { validation } from "../journal/errors.js";

/**
 * Request validation with zod, answered in Russian. Messages are localised per parse (not via the
 * global zod config) so the API does not change what other parts of the process print.
 */
const ru = z.locales.ru().localeError;
const where = {
  body: "тело запроса",
  querystring: "параметры запроса",
  params: "путь",
  headers: "заголовки",
};

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, { error: ru });
    if (result.success) return { value: result.data };
    const fields = Object.fromEntries(
      result.error.issues.map((i) => [i.path.map(String).join(".") || "(root)", i.message]),
    );
    const first = result.error.issues[0];
    const part = where[httpPart as keyof typeof where] ?? "запрос";
    const path = first?.path.length ? `${first.path.map(String).join(".")}: ` : "";
    return {
      error: validation(`Неверные данные (${part}) — ${path}${first?.message ?? "проверьте ввод"}.`, {
        fields,
      }),
    };
  };
