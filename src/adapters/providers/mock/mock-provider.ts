import { updateWithCanonicalJsonInTurns } from '../../../core/json-in-turns.js';
import { nextTurn } from '../../../core/turns.js';
import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { Provider, ProviderCallOptions } from '../../../core/ports/provider.js';
import { TokenCounter } from '../../../core/pricing/token-counter.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, ToolCall } from '../../../wire/chat.js';
import type { EmbeddingsRequest, EmbeddingsResult } from '../../../wire/embeddings.js';
import { DocumentText } from './document-text.js';
import { sampleFromSchema } from './sample-from-schema.js';
import { schemaInPrompt } from './schema-in-prompt.js';

export interface MockProviderOptions {
  name: string;
  reply?: string;
  latencyMs: number;
  embeddingDimensions: number;
}

/**
 * The `mock` provider: deterministic answers with no network, for demos, tests and
 * benchmarks. It echoes the last user message, calls the first (or forced) tool when tools
 * are offered, answers `json_schema` requests (and `json_object` ones whose system message
 * states a JSON Schema) with a value valid against the schema, filled from the document in
 * the last user message where it can tell, honours the output cap and reports token usage
 * like a real provider.
 */
export class MockProvider implements Provider {
  readonly name: string;
  readonly capabilities = { chat: true, streaming: true, embeddings: true, tools: true, jsonSchema: true };
  private readonly tokens = new TokenCounter();

  constructor(private readonly options: MockProviderOptions) {
    this.name = options.name;
  }

  async chat(request: ChatRequest, call: ProviderCallOptions): Promise<ChatCompletion> {
    await this.wait(call.signal);
    const answer = await this.answer(request);
    return {
      id: `chatcmpl-mock-${answer.id}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: call.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.content, ...(answer.toolCalls ? { tool_calls: answer.toolCalls } : {}) },
          finish_reason: answer.finishReason,
        },
      ],
      usage: answer.usage,
    };
  }

  async chatStream(request: ChatRequest, call: ProviderCallOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    await this.wait(call.signal);
    const answer = await this.answer(request);
    const base = { id: `chatcmpl-mock-${answer.id}`, object: 'chat.completion.chunk' as const, created: Math.floor(Date.now() / 1000), model: call.model };
    const chunks: ChatCompletionChunk[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
    if (answer.toolCalls) {
      answer.toolCalls.forEach((toolCall, index) => chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, ...toolCall }] }, finish_reason: null }] }));
    } else {
      for (const piece of (answer.content ?? '').match(/\S+\s*/g) ?? []) {
        chunks.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      }
    }
    chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: answer.finishReason }] });
    chunks.push({ ...base, choices: [], usage: answer.usage });
    return (async function* () {
      yield* chunks;
    })();
  }

  async embed(request: EmbeddingsRequest, call: ProviderCallOptions): Promise<EmbeddingsResult> {
    await this.wait(call.signal);
    const inputs = typeof request.input === 'string' ? [request.input] : request.input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    const dimensions = request.dimensions ?? this.options.embeddingDimensions;
    const vectors: number[][] = [];
    let charsThisTurn = 0;
    for (const text of inputs) {
      // A hash per word: many long inputs are embedded over several turns (core/turns.ts).
      if (charsThisTurn >= 16_384) {
        await nextTurn();
        charsThisTurn = 0;
      }
      vectors.push(hashedEmbedding(text, dimensions));
      charsThisTurn += Math.min(text.length, embeddedChars);
    }
    // Counting megabytes of inputs is a step of its own.
    if (inputs.reduce((length, text) => length + text.length, 0) >= 200_000) await nextTurn();
    const promptTokens = this.tokens.countInputs(request.input);
    return { model: call.model, vectors, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
  }

  private async answer(request: ChatRequest) {
    const promptTokens = this.tokens.countChat(request);
    // Messages of megabytes are hashed in turns of their own (core/json-in-turns.ts).
    const id = (await updateWithCanonicalJsonInTurns(createHash('sha256'), request.messages)).digest('hex').slice(0, 16);
    const cap = request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY;
    const last = request.messages[request.messages.length - 1];
    const toolCalls = this.toolCalls(request, id, last?.role);
    let content: string | null = null;
    let finishReason: 'stop' | 'length' | 'tool_calls' = toolCalls ? 'tool_calls' : 'stop';
    if (!toolCalls) {
      const responseFormat = request.response_format;
      const format = responseFormat?.type;
      // Only structured requests pay for reading the document; plain chat stays an echo.
      const schema = responseFormat?.type === 'json_schema' ? responseFormat.json_schema.schema : format === 'json_object' ? schemaInPrompt(request.messages, textOf) : undefined;
      content = schema
        ? JSON.stringify(sampleFromSchema(schema, documentOf(request)))
        : format === 'json_object'
          ? '{"reply":"mock"}'
          : (this.options.reply ?? `Mock reply to: ${textOf(last?.content).slice(0, 200)}`);
      const words = content.match(/\S+\s*/g) ?? [];
      if (words.length > cap) {
        content = words.slice(0, cap).join('').trimEnd();
        finishReason = 'length';
      }
    }
    const completionTokens = toolCalls ? this.tokens.count(JSON.stringify(toolCalls)) : Math.min((content ?? '').match(/\S+\s*/g)?.length ?? 0, cap);
    return {
      id,
      content,
      toolCalls,
      finishReason,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
  }

  private toolCalls(request: ChatRequest, id: string, lastRole: string | undefined): ToolCall[] | undefined {
    if (!request.tools?.length || request.tool_choice === 'none' || lastRole === 'tool') return undefined;
    const forced = typeof request.tool_choice === 'object' ? request.tool_choice.function.name : undefined;
    const tool = request.tools.find((candidate) => candidate.function.name === forced) ?? request.tools[0]!;
    const args = tool.function.parameters ? sampleFromSchema(tool.function.parameters) : {};
    return [{ id: `call_${id.slice(0, 12)}`, type: 'function', function: { name: tool.function.name, arguments: JSON.stringify(args) } }];
  }

  private async wait(signal: AbortSignal): Promise<void> {
    if (this.options.latencyMs > 0) await delay(this.options.latencyMs, undefined, { signal });
  }
}

const embeddedChars = 65_536;

/** The document is in the last user message (the prompt template puts it there). */
function documentOf(request: ChatRequest): DocumentText | undefined {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  const text = lastUser ? textOf(lastUser.content) : '';
  return text.trim() === '' ? undefined : new DocumentText(text);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? '').join(' ');
  return '';
}

/**
 * Hashed word features: deterministic, normalised, no model needed. Of the first 64 K
 * characters only, as a model reads no more than its context: an MD5 per word of a 4 MB input
 * held the event loop for seconds.
 */
function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text
    .slice(0, embeddedChars)
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = createHash('md5').update(word).digest();
    const slot = digest.readUInt32LE(0) % dimensions;
    vector[slot]! += digest[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
