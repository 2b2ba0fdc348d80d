import { ApiError } from "../session";

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a success, or an ApiError carrying the server's Russian message and details. */
export function unwrap<T>(result: Result<T>): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = (result.error ?? {}) as {
      message?: string;
      error?: string;
      details?: Record<string, unknown>;
    };
    throw new ApiError(
      result.response.status,
      body.message ?? `Ошибка ${result.response.status}`,
      body.error,
      body.details,
    );
  }
  return result.data as T;
}
