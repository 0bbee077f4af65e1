/**
 * Every stable error code Breakwater can return, with the HTTP status and OpenAI
 * error `type` it maps to. `docs/errors.md` documents each one; a test keeps the two in step.
 */
export const errorCatalogue = {
  INVALID_JSON: { status: 400, type: 'invalid_request_error', retryable: false },
  INVALID_REQUEST: { status: 400, type: 'invalid_request_error', retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, type: 'invalid_request_error', retryable: false },
  MODEL_CAPABILITY_MISSING: { status: 400, type: 'invalid_request_error', retryable: false },
  UPSTREAM_INVALID_REQUEST: { status: 400, type: 'invalid_request_error', retryable: false },
  MISSING_API_KEY: { status: 401, type: 'authentication_error', retryable: false },
  INVALID_API_KEY: { status: 401, type: 'authentication_error', retryable: false },
  ADMIN_TOKEN_INVALID: { status: 401, type: 'authentication_error', retryable: false },
  ADMIN_API_DISABLED: { status: 403, type: 'permission_error', retryable: false },
  MODEL_NOT_ALLOWED: { status: 403, type: 'permission_error', retryable: false },
  MODEL_NOT_FOUND: { status: 404, type: 'not_found_error', retryable: false },
  NOT_FOUND: { status: 404, type: 'not_found_error', retryable: false },
  BODY_TOO_LARGE: { status: 413, type: 'invalid_request_error', retryable: false },
  RATE_LIMIT_EXCEEDED: { status: 429, type: 'rate_limit_error', retryable: true },
  TOKEN_RATE_LIMIT_EXCEEDED: { status: 429, type: 'rate_limit_error', retryable: true },
  BUDGET_EXCEEDED: { status: 429, type: 'insufficient_quota', retryable: false },
  GATEWAY_UPSTREAM_ERROR: { status: 502, type: 'api_error', retryable: true },
  GATEWAY_UPSTREAM_AUTH_FAILED: { status: 502, type: 'api_error', retryable: false },
  GATEWAY_UPSTREAM_STREAM_BROKEN: { status: 502, type: 'api_error', retryable: true },
  GATEWAY_UPSTREAM_UNAVAILABLE: { status: 503, type: 'api_error', retryable: true },
  GATEWAY_UPSTREAM_RATE_LIMITED: { status: 503, type: 'api_error', retryable: true },
  GATEWAY_CIRCUIT_OPEN: { status: 503, type: 'api_error', retryable: true },
  GATEWAY_UPSTREAM_TIMEOUT: { status: 504, type: 'api_error', retryable: true },
  SERVER_OVERLOADED: { status: 503, type: 'api_error', retryable: true },
  NOT_READY: { status: 503, type: 'api_error', retryable: true },
  CONFIG_INVALID: { status: 500, type: 'server_error', retryable: false },
  INTERNAL_ERROR: { status: 500, type: 'server_error', retryable: false },
} as const satisfies Record<string, { status: number; type: string; retryable: boolean }>;

export type ErrorCode = keyof typeof errorCatalogue;
