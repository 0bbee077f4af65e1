import { BreakwaterError } from '../errors/breakwater-error.js';
import type { Gateway } from '../gateway/gateway.js';
import type { CollectionEmbedder } from '../ports/collection-store.js';
import type { Embedder } from '../ports/embedder.js';
import type { VirtualKey } from '../ports/store.js';

/** Texts per embeddings call: OpenAI accepts 2,048; smaller batches keep one slow call from holding a whole document. */
export const embeddingBatchSize = 64;

export interface EmbedRequest {
  key: VirtualKey;
  /** Prefix of the gateway request ids (`<job>.<attempt>`, or the HTTP request id). */
  requestId: string;
  signal: AbortSignal;
  /** Called after each batch with how many texts are done. */
  onBatch?: (done: number) => Promise<void> | void;
}

/**
 * Embeds a collection's texts. A model embedder goes through the gateway as the calling key,
 * in batches, so rate limits, budgets, the ledger and telemetry apply to ingestion and search
 * alike; the built-in embedder makes no model call.
 */
export class ChunkEmbedder {
  constructor(
    private readonly gateway: Gateway,
    private readonly builtin: (dimension: number) => Embedder,
  ) {}

  async embed(embedder: CollectionEmbedder, texts: readonly string[], request: EmbedRequest): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += embeddingBatchSize) {
      if (request.signal.aborted) throw request.signal.reason;
      const batch = texts.slice(start, start + embeddingBatchSize);
      vectors.push(...(embedder.kind === 'builtin' ? await this.builtin(embedder.dimension).embed(batch) : await this.viaGateway(embedder, batch, request, start)));
      await request.onBatch?.(vectors.length);
    }
    return vectors;
  }

  private async viaGateway(embedder: Extract<CollectionEmbedder, { kind: 'model' }>, batch: string[], request: EmbedRequest, offset: number): Promise<Float32Array[]> {
    const { outcome } = await this.gateway.call({
      requestId: `${request.requestId}.e${offset / embeddingBatchSize}`,
      key: request.key,
      input: { operation: 'embeddings', request: { model: embedder.model, input: batch } },
      stream: false,
      cacheControl: { noStore: false, noCache: false },
      signal: request.signal,
      startedAt: performance.now(),
    });
    if (outcome.kind !== 'embeddings') throw new BreakwaterError('INTERNAL_ERROR', 'An embeddings call returned a chat answer.');
    if (outcome.result.vectors.length !== batch.length) {
      throw new BreakwaterError('GATEWAY_UPSTREAM_ERROR', `The embeddings model ${embedder.model} returned ${outcome.result.vectors.length} vectors for ${batch.length} texts.`, {
        retryable: true,
      });
    }
    return outcome.result.vectors.map((values) => {
      if (values.length !== embedder.dimension) {
        throw new BreakwaterError(
          'GATEWAY_UPSTREAM_ERROR',
          `The embeddings model ${embedder.model} returned ${values.length} dimensions; the collection was created with ${embedder.dimension}. Create a collection with embedder.dimension ${values.length}.`,
          { retryable: false },
        );
      }
      return unitLength(values);
    });
  }
}

function unitLength(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
