import { createHash } from 'node:crypto';
import { BreakwaterError } from '../errors/breakwater-error.js';
import type { JobHandler, JobOutcome, JobRun } from '../jobs/job-handler.js';
import type { ChunkWrite, Collection, CollectionStore, DocumentMetadata } from '../ports/collection-store.js';
import type { DocumentFetcher } from '../ports/document-fetcher.js';
import type { DocumentLimits, DocumentReader } from '../ports/document-loader.js';
import type { IngestDocument, WireIngestResult } from '../../wire/collections.js';
import type { ChunkEmbedder } from './chunk-embedder.js';
import { chunkText, type Chunk } from './chunker.js';

export interface IngestJobOptions {
  collections: CollectionStore;
  embedder: ChunkEmbedder;
  documents: DocumentReader;
  limits: DocumentLimits;
  /** Absent: URL documents fail with DOCUMENT_URL_FORBIDDEN. */
  fetcher?: DocumentFetcher;
  now?: () => number;
}

interface Prepared {
  name: string;
  text: string;
  contentHash: string;
  accessTags: string[];
  metadata: DocumentMetadata;
  chunks: Chunk[];
  known: Set<string>;
  unchanged: boolean;
}

/**
 * An ingest job: loading → chunking → embedding → indexing, each a progress step. Chunk ids
 * are content hashes, so a re-ingested document embeds only chunks it did not have, and
 * loses the ones it no longer has; a document whose text, tags and metadata are unchanged is
 * skipped whole. Embeddings go through the gateway as the submitting key (budgets, limits,
 * ledger). Rerunning a job (a retry) converges on the same index.
 */
export class IngestJobHandler implements JobHandler {
  private readonly now: () => number;

  constructor(private readonly options: IngestJobOptions) {
    this.now = options.now ?? Date.now;
  }

  async run(run: JobRun): Promise<JobOutcome> {
    if (run.input.kind !== 'ingest') throw new BreakwaterError('INTERNAL_ERROR', `Job ${run.job.id} is not an ingest job.`);
    const { collections } = this.options;
    const scope = { tenant: run.job.tenant, collection: run.input.collection };
    const collection = await collections.getCollection(scope);
    if (!collection) {
      throw new BreakwaterError('COLLECTION_NOT_FOUND', `The collection "${scope.collection}" no longer exists; create it again and resubmit.`, { retryable: false });
    }
    const deletions = run.input.documents.filter((document) => 'delete' in document);
    const additions = run.input.documents.filter((document) => !('delete' in document));

    await run.progress('loading', { documents: additions.length });
    const loaded: Array<{ document: Exclude<IngestDocument, { delete: true }>; text: string }> = [];
    for (const document of additions as Array<Exclude<IngestDocument, { delete: true }>>) loaded.push({ document, text: await this.load(document, run.signal) });

    await run.progress('chunking', { documents: loaded.length });
    const prepared: Prepared[] = [];
    for (const { document, text } of loaded) prepared.push(await this.prepare(collection, document, text));

    const fresh = prepared.flatMap((document) => (document.unchanged ? [] : document.chunks.filter((chunk) => !document.known.has(chunk.id))));
    await run.progress('embedding', { chunks: fresh.length });
    const vectors = await this.options.embedder.embed(
      collection.embedder,
      fresh.map((chunk) => embeddedText(chunk)),
      {
        key: run.key,
        requestId: `${run.job.id}.${run.attempt}`,
        signal: run.signal,
        onBatch: async (done) => {
          if (done < fresh.length) await run.progress('embedding', { chunks: fresh.length, done });
        },
      },
    );
    const vectorOf = new Map(fresh.map((chunk, index) => [chunk.id, vectors[index]!]));

    await run.progress('indexing', { documents: prepared.length + deletions.length });
    const result: WireIngestResult = { collection: collection.name, documents: [], embedded_chunks: 0, removed_chunks: 0, total_chunks: 0 };
    for (const document of prepared) {
      if (document.unchanged) {
        result.documents.push({ name: document.name, status: 'unchanged', chunks: document.chunks.length, embedded: 0, removed: 0 });
        result.total_chunks += document.chunks.length;
        continue;
      }
      const writes: ChunkWrite[] = document.chunks.map((chunk) => {
        const vector = document.known.has(chunk.id) ? undefined : vectorOf.get(chunk.id);
        return { id: chunk.id, ordinal: chunk.ordinal, heading: chunk.heading, text: chunk.text, start: chunk.start, end: chunk.end, ...(vector ? { vector } : {}) };
      });
      const { added, removed } = await collections.writeDocument(
        scope,
        {
          name: document.name,
          contentHash: document.contentHash,
          characters: document.text.length,
          accessTags: document.accessTags,
          metadata: document.metadata,
          updatedAt: this.now(),
        },
        writes,
      );
      result.documents.push({ name: document.name, status: 'indexed', chunks: writes.length, embedded: added, removed });
      result.embedded_chunks += added;
      result.removed_chunks += removed;
      result.total_chunks += writes.length;
    }
    for (const document of deletions) {
      const chunks = (await collections.chunkIds(scope, document.name)).size;
      const deleted = await collections.deleteDocument(scope, document.name);
      result.documents.push({ name: document.name, status: deleted ? 'deleted' : 'missing', chunks: 0, embedded: 0, removed: chunks });
      result.removed_chunks += chunks;
    }
    return { result };
  }

  private async load(document: Exclude<IngestDocument, { delete: true }>, signal: AbortSignal): Promise<string> {
    if ('text' in document) return document.text;
    const { limits } = this.options;
    if ('data' in document) {
      const input = { name: document.name, bytes: Buffer.from(document.data, 'base64'), ...(document.media_type ? { mediaType: document.media_type } : {}) };
      return (await this.options.documents.load(input, limits)).text;
    }
    if (!this.options.fetcher) {
      throw new BreakwaterError('DOCUMENT_URL_FORBIDDEN', `${document.url}: this server does not fetch documents by URL; send the text or the file instead.`, { retryable: false });
    }
    const fetched = await this.options.fetcher.fetch(document.url, { maxBytes: limits.maxBytes, signal });
    return (await this.options.documents.load({ ...fetched, name: document.name, ...(document.media_type ? { mediaType: document.media_type } : {}) }, limits)).text;
  }

  private async prepare(collection: Collection, document: Exclude<IngestDocument, { delete: true }>, text: string): Promise<Prepared> {
    const scope = { tenant: collection.tenant, collection: collection.name };
    const accessTags = [...new Set([...collection.accessTags, ...(document.access_tags ?? [])])].sort();
    const metadata = document.metadata ?? {};
    const contentHash = createHash('sha256').update(text).digest('hex');
    const stored = await this.options.collections.getDocument(scope, document.name);
    const unchanged =
      stored !== undefined && stored.contentHash === contentHash && sameJson(stored.accessTags, accessTags) && sameJson(sortedEntries(stored.metadata), sortedEntries(metadata));
    const chunks = chunkText(text, collection.chunking);
    const known = unchanged ? new Set<string>() : await this.options.collections.chunkIds(scope, document.name);
    return { name: document.name, text, contentHash, accessTags, metadata, chunks, known, unchanged };
  }
}

/** What is embedded: the heading gives a chunk its context ("Warranty" above "two years"). */
export function embeddedText(chunk: Pick<Chunk, 'heading' | 'text'>): string {
  return chunk.heading ? `${chunk.heading}\n${chunk.text}` : chunk.text;
}

function sortedEntries(record: DocumentMetadata): Array<[string, unknown]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
