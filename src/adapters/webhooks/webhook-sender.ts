import { performance } from 'node:perf_hooks';
import { request, type Agent } from 'undici';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DeliveryOutcome, WebhookTransport } from '../../core/ports/webhook-transport.js';
import { signPayload } from '../../core/webhooks/signature.js';
import { guardedDispatcher, type TargetPolicy } from './ssrf-guard.js';

/** A receiver's answer is read only to free the connection; nobody looks at it. */
const responseBodyLimit = 64 * 1024;

export interface WebhookSenderOptions {
  policy: TargetPolicy;
  /** Every active signing secret; each one adds a `v1=` entry to the signature. */
  secrets: string[];
  timeoutMs?: number;
  userAgent?: string;
  /**
   * An attempt that failed without an HTTP answer, with what only operators may see (the
   * address a refused host resolved to, the raw network error). The outcome's `error`, which
   * tenants read as `last_error`, says what to fix without it.
   */
  onFailure?: (failure: { deliveryId: string; host: string; reason: string }) => void;
}

export interface OutgoingWebhook {
  url: string;
  /** The JSON body, already serialised: the signature covers these exact bytes. */
  body: string;
  deliveryId: string;
  /** Extra headers: the delivery's W3C trace context (`traceparent`, `tracestate`). */
  headers?: Record<string, string>;
}

export type { DeliveryOutcome };

/**
 * Makes ONE signed webhook attempt. The job engine schedules retries durably with
 * `retryDelayMs`, so nothing here sleeps or loops, and nothing throws.
 */
export class WebhookSender implements WebhookTransport {
  private readonly policy: TargetPolicy;
  private readonly secrets: string[];
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly dispatcher: Agent;
  private readonly onFailure: WebhookSenderOptions['onFailure'];

  constructor(options: WebhookSenderOptions) {
    this.onFailure = options.onFailure;
    this.policy = options.policy;
    this.secrets = [...options.secrets];
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.userAgent = options.userAgent ?? 'Breakwater-Webhook';
    if (this.secrets.length === 0) {
      // Fails at start-up rather than on the first delivery.
      throw new BreakwaterError('CONFIG_INVALID', 'webhooks.secrets: at least one signing secret is needed to send webhooks; add { env: BREAKWATER_WEBHOOK_SECRET }.');
    }
    this.dispatcher = guardedDispatcher(this.policy, { connectTimeoutMs: this.timeoutMs });
  }

  /** Throws WEBHOOK_TARGET_FORBIDDEN (param `webhook.url`) for a URL that can never be a target. */
  checkTarget(url: string): void {
    this.policy.checkUrl(url);
  }

  /**
   * One attempt. `ok` is true for 2xx only; `status` is null when no answer arrived; `error`
   * is a short reason, never a secret or the URL.
   */
  async deliver(delivery: OutgoingWebhook): Promise<DeliveryOutcome> {
    const started = performance.now();
    const outcome = (status: number | null, error: string | null, retry: boolean): DeliveryOutcome => ({
      ok: status !== null && status >= 200 && status < 300,
      status,
      error,
      durationMs: Math.round(performance.now() - started),
      retry,
    });

    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const url = this.policy.checkUrl(delivery.url);
      const response = await request(url, {
        method: 'POST',
        headers: {
          ...delivery.headers,
          'content-type': 'application/json',
          'user-agent': this.userAgent,
          ...signPayload(delivery.body, this.secrets, Date.now(), delivery.deliveryId),
        },
        body: delivery.body,
        dispatcher: this.dispatcher,
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      try {
        await response.body.dump({ limit: responseBodyLimit, signal });
      } catch {
        // The status is the receiver's answer; a slow or cut body does not change it.
      }
      const status = response.statusCode;
      if (status >= 200 && status < 300) return outcome(status, null, false);
      if (status === 410) return outcome(status, 'HTTP 410 Gone: the receiver asked for no more deliveries', false);
      if (status >= 300 && status < 400) return outcome(status, `HTTP ${status}: redirects are not followed; point the webhook at the final URL`, true);
      return outcome(status, `HTTP ${status}`, true);
    } catch (error) {
      const forbidden = findForbidden(error);
      if (!forbidden && (signal.aborted || isTimeout(error))) return outcome(null, `timed out after ${this.timeoutMs} ms`, true);
      this.onFailure?.({ deliveryId: delivery.deliveryId, host: hostOf(delivery.url), reason: operatorReason(forbidden ?? error) });
      if (forbidden !== null) return outcome(null, forbidden.message, false);
      return outcome(null, describeNetworkError(error), true);
    }
  }

  /** Closes the pooled connections; in-flight deliveries finish first. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function findForbidden(error: unknown): BreakwaterError | null {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (BreakwaterError.isInstance(current)) return current.code === 'WEBHOOK_TARGET_FORBIDDEN' ? current : null;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || (error as Error | null)?.name === 'TimeoutError';
}

const networkErrors: Record<string, string> = {
  ECONNREFUSED: "the receiver refused the connection; check that it listens on the URL's host and port",
  ECONNRESET: 'the receiver closed the connection before answering',
  ENOTFOUND: "the URL's host name does not resolve; check its spelling and DNS",
  EAI_AGAIN: "DNS did not answer for the URL's host; retried later",
  EHOSTUNREACH: "the receiver's network cannot be reached",
  ENETUNREACH: "the receiver's network cannot be reached",
  UND_ERR_SOCKET: 'the connection to the receiver broke',
};

/**
 * What a tenant reads in `last_error` for a failed connection: the error code and what it
 * means. Node's messages carry the resolved address (`connect ECONNREFUSED 10.1.2.3:8080`),
 * which is the operator's business only (see `onFailure`).
 */
function describeNetworkError(error: unknown): string {
  const code = errorCode(error);
  if (code === '') return 'network error: the connection to the receiver failed';
  return `${code}: ${networkErrors[code] ?? 'the connection to the receiver failed'}`;
}

function errorCode(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return '';
}

/** The whole story for the server log: every message down the cause chain. */
function operatorReason(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    const message = current.message || current.name;
    parts.push(typeof code === 'string' && code !== '' && !message.includes(code) ? `${code}: ${message}` : message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(' <- ') : String(error);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
