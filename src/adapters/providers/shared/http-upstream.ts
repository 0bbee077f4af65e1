import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import { upstreamErrorMessage, upstreamHttpError, upstreamTransportError } from '../../../core/errors/upstream-error.js';
import { withIdleTimeout } from './idle-timeout.js';
import { jsonRequestBody } from './json-request-body.js';
import { scrubUpstreamText, type UpstreamSecrets } from './scrub-upstream-text.js';

export interface UpstreamResponse {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
}

/**
 * One keep-alive connection pool per upstream origin (undici). Turns transport failures
 * and non-2xx statuses into BreakwaterErrors, with the upstream's text scrubbed of secrets
 * and internal addresses; the caller reads the 2xx body.
 */
export interface HttpUpstreamOptions {
  provider: string;
  baseUrl: string;
  connections: number;
  /** Redacted from upstream text before it reaches callers. */
  secrets: UpstreamSecrets;
  /** Longest silence between two chunks of a stream body (see withIdleTimeout). */
  streamIdleTimeoutMs: number;
}

export class HttpUpstream {
  readonly provider: string;
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: HttpUpstreamOptions) {
    this.provider = options.provider;
    const url = new URL(options.baseUrl);
    this.pool = new Pool(url.origin, { connections: options.connections, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
    this.basePath = url.pathname.replace(/\/$/, '');
  }

  async post(path: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<UpstreamResponse> {
    let response: Dispatcher.ResponseData;
    const json = await jsonRequestBody(body);
    try {
      response = await this.pool.request({
        path: this.basePath + path,
        method: 'POST',
        headers:
          typeof json === 'string' ? { 'content-type': 'application/json', ...headers } : { 'content-type': 'application/json', 'content-length': String(json.length), ...headers },
        // undici sends an async iterable body as it comes (its types name only Readable).
        body: typeof json === 'string' ? json : (json.chunks() as unknown as Readable),
        signal,
      });
    } catch (error) {
      throw upstreamTransportError(this.provider, error, isTimeout(signal));
    }
    if (response.statusCode >= 400) {
      let text = '';
      try {
        text = await response.body.text();
      } catch {
        // The message is a courtesy; the status is what matters.
      }
      const retryAfter = response.headers['retry-after'];
      throw upstreamHttpError(this.provider, response.statusCode, this.scrub(upstreamErrorMessage(text)), Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    }
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  /** Reads a 2xx JSON body, mapping a cut connection or bad JSON to upstream errors. */
  async json<T>(response: UpstreamResponse, signal: AbortSignal): Promise<T> {
    try {
      return (await response.body.json()) as T;
    } catch (error) {
      if (signal.aborted) throw upstreamTransportError(this.provider, error, isTimeout(signal));
      throw new BreakwaterError('GATEWAY_UPSTREAM_ERROR', `Provider ${this.provider} sent an unreadable response body.`, {
        details: { provider: this.provider },
        cause: error,
      });
    }
  }

  /**
   * A 2xx stream body whose upstream falls silent for `streamIdleTimeoutMs` after its first
   * bytes: the request is aborted (its socket closed) and the body fails with
   * GATEWAY_UPSTREAM_TIMEOUT.
   */
  streamBody(response: UpstreamResponse): AsyncIterable<Uint8Array> {
    return withIdleTimeout<Uint8Array>(response.body, {
      idleMs: this.options.streamIdleTimeoutMs,
      provider: this.provider,
      onIdle: (error) => response.body.destroy(error),
    });
  }

  /** Upstream text fit for a caller's error message: no keys, no internal addresses. */
  scrub(text: string): string {
    return scrubUpstreamText(text, this.options.secrets);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

export function isTimeout(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return signal.aborted && typeof reason === 'object' && reason !== null && (reason as { name?: string }).name === 'TimeoutError';
}
