import { request, type Agent } from 'undici';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentFetcher } from '../../core/ports/document-fetcher.js';
import type { DocumentInput } from '../../core/ports/document-loader.js';
import { guardedDispatcher, type TargetPolicy } from '../webhooks/ssrf-guard.js';

export interface GuardedDocumentFetcherOptions {
  /** The webhooks' SSRF policy (webhooks.allow): the same addresses are refused. */
  policy: TargetPolicy;
  timeoutMs?: number;
}

/**
 * Downloads ingested documents through the SSRF guard's dispatcher (every address connected to
 * is checked, DNS rebinding included), without following redirects (a redirect could lead
 * anywhere the first check did not look), reading at most `maxBytes`.
 */
export class GuardedDocumentFetcher implements DocumentFetcher {
  private readonly dispatcher: Agent;

  constructor(private readonly options: GuardedDocumentFetcherOptions) {
    this.dispatcher = guardedDispatcher(options.policy);
  }

  async fetch(url: string, options: { maxBytes: number; signal: AbortSignal }): Promise<DocumentInput> {
    const parsed = this.check(url);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(parsed, {
        dispatcher: this.dispatcher,
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(this.options.timeoutMs ?? 30_000)]),
        headers: { accept: '*/*', 'user-agent': 'breakwater-ingest' },
      });
    } catch (error) {
      if (BreakwaterError.isInstance(error) || BreakwaterError.isInstance((error as { cause?: unknown }).cause)) throw forbidden(url);
      throw new BreakwaterError('DOCUMENT_UNREADABLE', `${url}: the download failed (${(error as Error).message}).`, { retryable: true, cause: error });
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new BreakwaterError('DOCUMENT_UNREADABLE', `${url} answered HTTP ${response.statusCode}; ingest needs a 200 with the document (redirects are not followed).`, {
        retryable: response.statusCode >= 500 || response.statusCode === 429,
      });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        response.body.destroy();
        throw new BreakwaterError('DOCUMENT_TOO_LARGE', `${url} is larger than ${options.maxBytes} bytes (jobs.documents.maxBytes).`, { retryable: false });
      }
      chunks.push(chunk as Buffer);
    }
    const type = response.headers['content-type'];
    const mediaType = (Array.isArray(type) ? type[0] : type)?.split(';')[0]?.trim();
    return { name: decodeURIComponent(parsed.pathname.split('/').at(-1) || parsed.hostname), bytes: Buffer.concat(chunks), ...(mediaType ? { mediaType } : {}) };
  }

  private check(url: string): URL {
    try {
      return this.options.policy.checkUrl(url, 'url');
    } catch {
      throw forbidden(url);
    }
  }
}

function forbidden(url: string): BreakwaterError {
  return new BreakwaterError(
    'DOCUMENT_URL_FORBIDDEN',
    `${url}: document URLs must be public http(s) addresses; this one points to or resolves to a loopback, private, link-local or reserved address (an operator can allow a host in webhooks.allow).`,
    { retryable: false },
  );
}
