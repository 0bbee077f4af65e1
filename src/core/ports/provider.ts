import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../../wire/chat.js';
import type { EmbeddingsRequest, EmbeddingsResult } from '../../wire/embeddings.js';

/** What a provider adapter can do; core branches on these flags, never on adapter names. */
export interface ProviderCapabilities {
  chat: boolean;
  streaming: boolean;
  embeddings: boolean;
  tools: boolean;
  /** Native `response_format: json_schema` (or an equivalent such as forced tool use). */
  jsonSchema: boolean;
  /**
   * Decodes `json_schema` under a grammar built from the whole schema (a local model): send the
   * schema as it is, not OpenAI's strict subset, and the answer matches it by construction.
   */
  grammar?: boolean;
}

export interface ProviderCallOptions {
  /** Aborted on client disconnect or on the deployment's timeout. */
  signal: AbortSignal;
  /** The upstream model name of the deployment (the alias is already resolved). */
  model: string;
}

/**
 * A model provider speaks one upstream API and translates it to and from the OpenAI wire
 * format. Failures are thrown as BreakwaterError with the upstream status in details,
 * `retryable` set, and `retryAfterSeconds` when the upstream sent Retry-After.
 */
export interface Provider {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  chat(request: ChatRequest, options: ProviderCallOptions): Promise<ChatCompletion>;
  /** Resolves once the upstream accepted the stream (status 2xx); chunks follow. */
  chatStream(request: ChatRequest, options: ProviderCallOptions): Promise<AsyncIterable<ChatCompletionChunk>>;
  embed(request: EmbeddingsRequest, options: ProviderCallOptions): Promise<EmbeddingsResult>;
  close?(): Promise<void>;
}
