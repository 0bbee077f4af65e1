import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { Provider, ProviderCallOptions } from '../../../core/ports/provider.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../../../wire/chat.js';
import type { EmbeddingsRequest, EmbeddingsResult } from '../../../wire/embeddings.js';
import { upstreamTransportError } from '../../../core/errors/upstream-error.js';
import { HttpUpstream, isTimeout } from '../shared/http-upstream.js';
import { upstreamSecrets } from '../shared/scrub-upstream-text.js';
import { readServerSentEvents } from '../shared/sse.js';
import type { VendorProfile } from './vendors.js';

export interface OpenAIProviderOptions {
  name: string;
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  connections: number;
  /** Longest silence between two chunks of a stream before it is cut with GATEWAY_UPSTREAM_TIMEOUT. */
  streamIdleTimeoutMs: number;
  profile: VendorProfile;
}

/** OpenAI and every OpenAI-compatible server: the request passes through with the model resolved. */
export class OpenAIProvider implements Provider {
  readonly name: string;
  readonly capabilities = { chat: true, streaming: true, embeddings: true, tools: true, jsonSchema: true };
  private readonly upstream: HttpUpstream;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: OpenAIProviderOptions) {
    this.name = options.name;
    this.upstream = new HttpUpstream({
      provider: options.name,
      baseUrl: options.baseUrl,
      connections: options.connections,
      secrets: upstreamSecrets(options.baseUrl, options.apiKey, options.headers),
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
    });
    this.headers = { ...options.headers, ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) };
  }

  async chat(request: ChatRequest, call: ProviderCallOptions): Promise<ChatCompletion> {
    const response = await this.upstream.post('/chat/completions', this.headers, this.body(request, call.model, false), call.signal);
    return this.upstream.json<ChatCompletion>(response, call.signal);
  }

  async chatStream(request: ChatRequest, call: ProviderCallOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    const response = await this.upstream.post('/chat/completions', this.headers, this.body(request, call.model, true), call.signal);
    return this.chunks(this.upstream.streamBody(response), call.signal);
  }

  async embed(request: EmbeddingsRequest, call: ProviderCallOptions): Promise<EmbeddingsResult> {
    const body = { ...request, model: call.model, encoding_format: 'float' };
    const response = await this.upstream.post('/embeddings', this.headers, body, call.signal);
    const parsed = await this.upstream.json<{ data: Array<{ index: number; embedding: number[] }>; model: string; usage?: EmbeddingsResult['usage'] }>(response, call.signal);
    const vectors = [...parsed.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    return { model: parsed.model, vectors, usage: parsed.usage ?? { prompt_tokens: 0, total_tokens: 0 } };
  }

  async close(): Promise<void> {
    await this.upstream.close();
  }

  private body(request: ChatRequest, model: string, stream: boolean): Record<string, unknown> {
    const body: Record<string, unknown> = { ...request, model, stream };
    if (stream && this.options.profile.streamUsage) body.stream_options = { include_usage: true };
    else delete body.stream_options;
    if (this.options.profile.outputCapParam === 'max_completion_tokens' && body.max_tokens != null) {
      body.max_completion_tokens ??= body.max_tokens;
      delete body.max_tokens;
    }
    return body;
  }

  private async *chunks(body: AsyncIterable<Uint8Array>, signal: AbortSignal): AsyncGenerator<ChatCompletionChunk> {
    // A stream is complete at [DONE]; servers that omit it must at least have sent a finish_reason.
    let done = false;
    try {
      for await (const event of readServerSentEvents(body)) {
        if (event.data === '[DONE]') {
          done = true;
          break;
        }
        const parsed = JSON.parse(event.data) as ChatCompletionChunk | { error: { message?: string } };
        if ('error' in parsed) {
          throw new BreakwaterError(
            'GATEWAY_UPSTREAM_STREAM_BROKEN',
            `Provider ${this.name} reported an error mid-stream: ${this.upstream.scrub(parsed.error.message ?? 'unknown')}`,
            {
              details: { provider: this.name },
            },
          );
        }
        if (parsed.choices?.[0]?.finish_reason) done = true;
        yield parsed;
      }
    } catch (error) {
      if (BreakwaterError.isInstance(error)) throw error;
      if (isTimeout(signal)) throw upstreamTransportError(this.name, error, true);
      throw new BreakwaterError('GATEWAY_UPSTREAM_STREAM_BROKEN', `The stream from provider ${this.name} broke off${signal.aborted ? ' (timeout or client disconnect)' : ''}.`, {
        details: { provider: this.name },
        cause: error,
      });
    }
    if (!done) {
      throw new BreakwaterError('GATEWAY_UPSTREAM_STREAM_BROKEN', `The stream from provider ${this.name} ended before it finished (no finish_reason, no [DONE]).`, {
        details: { provider: this.name },
      });
    }
  }
}
