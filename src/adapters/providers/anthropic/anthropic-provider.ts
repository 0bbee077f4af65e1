import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { Provider, ProviderCallOptions } from '../../../core/ports/provider.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../../../wire/chat.js';
import type { EmbeddingsRequest, EmbeddingsResult } from '../../../wire/embeddings.js';
import { HttpUpstream } from '../shared/http-upstream.js';
import { upstreamSecrets } from '../shared/scrub-upstream-text.js';
import { readServerSentEvents } from '../shared/sse.js';
import { AnthropicStreamTranslator, fromAnthropic, type AnthropicMessage } from './from-anthropic.js';
import { toAnthropic } from './to-anthropic.js';

export interface AnthropicProviderOptions {
  name: string;
  /** The origin, e.g. `https://api.anthropic.com`; the adapter adds `/v1/messages`. */
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  /** Sent as `anthropic-version`, e.g. `2023-06-01`. */
  version: string;
  connections: number;
  /** Longest silence between two chunks of a stream before it is cut with GATEWAY_UPSTREAM_TIMEOUT. */
  streamIdleTimeoutMs: number;
}

/** Anthropic's Messages API, translated to and from the OpenAI wire format. */
export class AnthropicProvider implements Provider {
  readonly name: string;
  readonly capabilities = { chat: true, streaming: true, embeddings: false, tools: true, jsonSchema: true };
  private readonly upstream: HttpUpstream;
  private readonly headers: Record<string, string>;

  constructor(options: AnthropicProviderOptions) {
    this.name = options.name;
    this.upstream = new HttpUpstream({
      provider: options.name,
      baseUrl: options.baseUrl,
      connections: options.connections,
      secrets: upstreamSecrets(options.baseUrl, options.apiKey, options.headers),
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
    });
    this.headers = { ...options.headers, 'anthropic-version': options.version, ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) };
  }

  async chat(request: ChatRequest, call: ProviderCallOptions): Promise<ChatCompletion> {
    const response = await this.upstream.post('/v1/messages', this.headers, toAnthropic(request, call.model, false), call.signal);
    return fromAnthropic(await this.upstream.json<AnthropicMessage>(response, call.signal), isJsonMode(request));
  }

  async chatStream(request: ChatRequest, call: ProviderCallOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    const response = await this.upstream.post('/v1/messages', this.headers, toAnthropic(request, call.model, true), call.signal);
    return this.chunks(this.upstream.streamBody(response), new AnthropicStreamTranslator(this.name, isJsonMode(request), (text) => this.upstream.scrub(text)), call.signal);
  }

  async embed(_request: EmbeddingsRequest, _call: ProviderCallOptions): Promise<EmbeddingsResult> {
    throw new BreakwaterError(
      'MODEL_CAPABILITY_MISSING',
      `Provider ${this.name} speaks the Anthropic API, which has no embeddings endpoint; route embeddings models to another provider (e.g. OpenAI or a local one).`,
      { param: 'model', details: { provider: this.name } },
    );
  }

  async close(): Promise<void> {
    await this.upstream.close();
  }

  private async *chunks(body: AsyncIterable<Uint8Array>, translator: AnthropicStreamTranslator, signal: AbortSignal): AsyncGenerator<ChatCompletionChunk> {
    try {
      for await (const event of readServerSentEvents(body)) {
        yield* translator.translate(event.data);
        if (translator.done) break;
      }
      translator.finish();
    } catch (error) {
      if (BreakwaterError.isInstance(error)) throw error;
      throw new BreakwaterError('GATEWAY_UPSTREAM_STREAM_BROKEN', `The stream from provider ${this.name} broke off${signal.aborted ? ' (timeout or client disconnect)' : ''}.`, {
        details: { provider: this.name },
        cause: error,
      });
    }
  }
}

function isJsonMode(request: ChatRequest): boolean {
  return request.response_format?.type === 'json_schema';
}
