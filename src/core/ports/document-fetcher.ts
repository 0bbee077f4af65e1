import type { DocumentInput } from './document-loader.js';

/**
 * Downloads a document named by URL for ingestion. Adapters refuse what the SSRF guard refuses
 * (loopback, private, link-local and reserved addresses, unless allowed by the operator), on
 * every address actually connected to, and stop reading past `maxBytes`.
 */
export interface DocumentFetcher {
  /** Throws BreakwaterError: DOCUMENT_URL_FORBIDDEN, DOCUMENT_TOO_LARGE, or DOCUMENT_UNREADABLE (status, network) with a message naming the URL. */
  fetch(url: string, options: { maxBytes: number; signal: AbortSignal }): Promise<DocumentInput>;
}
