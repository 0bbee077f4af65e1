import { BreakwaterError } from './breakwater-error.js';

/**
 * Maps an upstream HTTP failure to a Breakwater error. The upstream's own message is kept
 * for 4xx request errors (the caller can act on "context length exceeded"), never its
 * headers; auth failures say the gateway is misconfigured, not the caller's key.
 */
export function upstreamHttpError(provider: string, status: number, upstreamMessage: string, retryAfter: string | undefined): BreakwaterError {
  const details = { provider, upstreamStatus: status };
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  if (status === 429) {
    return new BreakwaterError('GATEWAY_UPSTREAM_RATE_LIMITED', `Provider ${provider} is rate limiting Breakwater (HTTP 429); retry later.`, {
      details,
      retryAfterSeconds,
    });
  }
  if (status === 401 || status === 403) {
    return new BreakwaterError(
      'GATEWAY_UPSTREAM_AUTH_FAILED',
      `Provider ${provider} rejected Breakwater's credentials (HTTP ${status}); an operator must check the provider key configured for it.`,
      { details },
    );
  }
  if (status === 408) {
    return new BreakwaterError('GATEWAY_UPSTREAM_TIMEOUT', `Provider ${provider} timed out (HTTP 408).`, { details, retryAfterSeconds });
  }
  if (status >= 400 && status < 500) {
    return new BreakwaterError('UPSTREAM_INVALID_REQUEST', `Provider ${provider} rejected the request (HTTP ${status}): ${truncate(upstreamMessage)}`, {
      details,
    });
  }
  return new BreakwaterError('GATEWAY_UPSTREAM_ERROR', `Provider ${provider} failed with HTTP ${status}: ${truncate(upstreamMessage)}`, {
    details,
    retryAfterSeconds,
    retryable: status !== 501,
  });
}

/** Maps a transport failure (refused, reset, DNS, abort by timeout) to a Breakwater error. */
export function upstreamTransportError(provider: string, error: unknown, timedOut: boolean): BreakwaterError {
  if (timedOut) {
    return new BreakwaterError('GATEWAY_UPSTREAM_TIMEOUT', `Provider ${provider} did not answer within the deployment timeout.`, {
      details: { provider },
      cause: error,
    });
  }
  const code = (error as { code?: string } | null)?.code ?? 'unknown';
  return new BreakwaterError('GATEWAY_UPSTREAM_UNAVAILABLE', `Provider ${provider} is unreachable (${code}).`, {
    details: { provider, transport: code },
    cause: error,
  });
}

export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}

/** Extracts the message of an OpenAI- or Anthropic-shaped error body, or its first bytes. */
export function upstreamErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === 'string') return parsed.error;
    return parsed.error?.message ?? parsed.message ?? body;
  } catch {
    return body;
  }
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
