/**
 * Typed domain errors. Messages are Russian and tell the user what to do; the HTTP layer maps
 * `code` to a status and the bot shows `message` as it is.
 */
export type ErrorCode =
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "locked"
  | "rate_limited"
  /** The rule lets it through once the user confirms (repeat with `confirm: true`). */
  | "needs_confirmation";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const validation = (message: string, details?: Record<string, unknown>) =>
  new DomainError("validation", message, details);
export const forbidden = (
  message = "Недостаточно прав для этого действия.",
  details?: Record<string, unknown>,
) => new DomainError("forbidden", message, details);
export const notFound = (what: string, details?: Record<string, unknown>) =>
  new DomainError("not_found", `${what} не найден(а).`, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError("conflict", message, details);
export const locked = (message: string, details?: Record<string, unknown>) =>
  new DomainError("locked", message, details);

export const needsConfirmation = (message: string, details?: Record<string, unknown>) =>
  new DomainError("needs_confirmation", message, details);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
