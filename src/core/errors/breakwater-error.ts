import { errorCatalogue, type ErrorCode } from './catalogue.js';
import { isDependencyFailure } from './dependency-failure.js';

const marker = Symbol.for('breakwater.error');

export interface BreakwaterErrorOptions {
  /** The request field at fault, in OpenAI's `param` slot (`messages[0].role`). */
  param?: string | null;
  /** JSON-safe extra facts; never secrets, never prompt text. */
  details?: Record<string, unknown>;
  /** Seconds the caller should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** Overrides the catalogue's retryable flag (e.g. an upstream 500 vs 501). */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * The one error type of Breakwater. Its code is stable and documented; the catalogue
 * maps it to an HTTP status and an OpenAI error type.
 */
export class BreakwaterError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly details: Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: BreakwaterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BreakwaterError';
    this.code = code;
    this.param = options.param ?? null;
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.retryable = options.retryable ?? errorCatalogue[code].retryable;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  /** Recognises the error across duplicate copies of the package. */
  static isInstance(value: unknown): value is BreakwaterError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /** The OpenAI error envelope. */
  toEnvelope(): { error: { message: string; type: string; code: string; param: string | null } } {
    return { error: { message: this.message, type: errorCatalogue[this.code].type, code: this.code, param: this.param } };
  }
}

/** Wraps anything thrown into a BreakwaterError without losing the original as `cause`. */
export function toBreakwaterError(error: unknown, options: { retryable?: boolean } = {}): BreakwaterError {
  if (BreakwaterError.isInstance(error)) return error;
  if (isDependencyFailure(error)) {
    // The client's own message names hosts and ports; the caller learns only what to do.
    return new BreakwaterError('DEPENDENCY_UNAVAILABLE', 'A server Breakwater depends on (its database, cache or broker) does not answer; retry shortly.', {
      cause: error,
      retryAfterSeconds: 1,
    });
  }
  return new BreakwaterError('INTERNAL_ERROR', 'Internal error in Breakwater; the request id in x-request-id locates it in the logs.', {
    cause: error,
    ...(options.retryable === undefined ? {} : { retryable: options.retryable }),
  });
}
