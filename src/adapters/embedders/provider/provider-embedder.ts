import { toUnitLength } from '../unit-length.js';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { Embedder } from '../../../core/ports/embedder.js';
import type { Provider } from '../../../core/ports/provider.js';

export interface ProviderEmbedderOptions {
  /** Any provider that serves embeddings: an OpenAI-compatible `/v1/embeddings` deployment, or the local GGUF one. */
  provider: Provider;
  /** The upstream model name. */
  model: string;
  /** What the model returns; checked on every answer. */
  dimension: number;
  /** Per call, when the caller passes no signal of its own (default 10 s). */
  timeoutMs?: number;
}

/** Embeds through a provider's `embed`, so every embedding deployment Breakwater speaks to can feed the semantic cache. */
export class ProviderEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;

  constructor(private readonly options: ProviderEmbedderOptions) {
    this.dimension = options.dimension;
    this.id = `provider/${options.provider.name}/${options.model}/${options.dimension}`;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const result = await this.options.provider.embed(
      { model: this.options.model, input: [...texts] },
      { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, model: this.options.model },
    );
    if (result.vectors.length !== texts.length) {
      throw new BreakwaterError('GATEWAY_UPSTREAM_ERROR', `The embedding model ${this.options.model} returned ${result.vectors.length} vectors for ${texts.length} texts.`);
    }
    return result.vectors.map((values) => {
      if (values.length !== this.dimension) {
        throw new BreakwaterError(
          'GATEWAY_UPSTREAM_ERROR',
          `The embedding model ${this.options.model} returned ${values.length} dimensions; set the semantic cache's embedder dimension to ${values.length}.`,
        );
      }
      return normalised(values);
    });
  }
}

function normalised(values: readonly number[]): Float32Array {
  return toUnitLength(Float32Array.from(values));
}
