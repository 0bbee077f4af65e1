import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { Provider, ProviderCallOptions } from '../../../core/ports/provider.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../../../wire/chat.js';
import type { EmbeddingsRequest, EmbeddingsResult } from '../../../wire/embeddings.js';
import { HttpUpstream } from '../shared/http-upstream.js';
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
}

/** Anthropic's Messages API, translated to and from the OpenAI wire format. */
export class AnthropicProvider implements Provider {
  readonly name: string;
  readonly capabilities = { chat: true, streaming: true, embeddings: false, tools: true, jsonSchema: true };
  private readonly upstream: HttpUpstream;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: AnthropicProviderOptions) {
    this.name = options.name;
    this.upstream = new HttpUpstream(options.name, options.baseUrl, options.connections);
    this.headers = { ...options.headers, 'anthropic-version': options.version, ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) };
  }

  async chat(request: ChatRequest, call: ProviderCallOptions): Promise<ChatCompletion> {
    try {
      const response = await this.upstream.post('/v1/messages', this.headers, toAnthropic(request, call.model, false), call.signal);
      return fromAnthropic(await this.upstream.json<AnthropicMessage>(response, call.signal), isJsonMode(request));
    } catch (error) {
      throw this.redact(error);
    }
  }

  async chatStream(request: ChatRequest, call: ProviderCallOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    try {
      const response = await this.upstream.post('/v1/messages', this.headers, toAnthropic(request, call.model, true), call.signal);
      return this.chunks(response.body, new AnthropicStreamTranslator(this.name, isJsonMode(request)), call.signal);
    } catch (error) {
      throw this.redact(error);
    }
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
      if (BreakwaterError.isInstance(error)) throw this.redact(error);
      throw new BreakwaterError('GATEWAY_UPSTREAM_STREAM_BROKEN', `The stream from provider ${this.name} broke off${signal.aborted ? ' (timeout or client disconnect)' : ''}.`, {
        details: { provider: this.name },
        cause: error,
      });
    }
  }

  /** Upstream messages are passed on to callers, so a key an upstream echoes back must not be. */
  private redact(error: unknown): unknown {
    const key = this.options.apiKey;
    if (!key || !BreakwaterError.isInstance(error) || !error.message.includes(key)) return error;
    return new BreakwaterError(error.code, error.message.split(key).join('[redacted]'), {
      param: error.param,
      details: error.details,
      retryAfterSeconds: error.retryAfterSeconds,
      retryable: error.retryable,
      cause: error.cause,
    });
  }
}

function isJsonMode(request: ChatRequest): boolean {
  return request.response_format?.type === 'json_schema';
}
