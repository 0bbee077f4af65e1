import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { ChatCompletion, ChatCompletionChunk, ChunkToolCallDelta, FinishReason, ToolCall, Usage } from '../../../wire/chat.js';
import { jsonResponseTool } from './to-anthropic.js';

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

type AnthropicResponseBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown } | { type: string };

export interface AnthropicMessage {
  id: string;
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: string | null;
  usage: AnthropicUsage;
}

/**
 * Translates an Anthropic Messages response into an OpenAI chat completion. `jsonMode` says
 * the request was a `json_schema` one, so the synthetic json_response tool call is the answer
 * itself rather than a tool call for the client.
 */
export function fromAnthropic(message: AnthropicMessage, jsonMode: boolean): ChatCompletion {
  let text = '';
  let json: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && 'text' in block) text += block.text;
    else if (block.type === 'tool_use' && 'input' in block) {
      if (jsonMode && block.name === jsonResponseTool) json = JSON.stringify(block.input);
      else toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } });
    }
  }
  const content = json ?? (text === '' && toolCalls.length > 0 ? null : text);
  const prompt = promptTokens(message.usage);
  const completion = message.usage.output_tokens ?? 0;
  return {
    id: `chatcmpl-${message.id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [
      {
        index: 0,
        message: toolCalls.length > 0 ? { role: 'assistant', content, tool_calls: toolCalls } : { role: 'assistant', content },
        finish_reason: finishReason(message.stop_reason, toolCalls.length > 0),
      },
    ],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

/** OpenAI counts cached prompt tokens inside prompt_tokens; Anthropic reports them apart. */
function promptTokens(usage: AnthropicUsage): number {
  return (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
}

/** A `tool_use` stop that only called json_response is a finished answer, not a tool call. */
function finishReason(stopReason: string | null | undefined, calledTools: boolean): FinishReason | null {
  if (stopReason == null) return null;
  if (stopReason === 'tool_use') return calledTools ? 'tool_calls' : 'stop';
  if (stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded') return 'length';
  if (stopReason === 'refusal') return 'content_filter';
  return 'stop';
}

interface StreamBlock {
  kind: 'text' | 'tool' | 'json';
  toolIndex: number;
  sentInput: boolean;
}

interface StreamEvent {
  type: string;
  message?: { id: string; model: string; usage?: AnthropicUsage };
  index?: number;
  content_block?: { type: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/**
 * Turns Anthropic stream events into OpenAI chunks, one event at a time. Call `finish()`
 * when the byte stream ends: a stream without message_stop was cut off.
 */
export class AnthropicStreamTranslator {
  private id = '';
  private model = '';
  private created = 0;
  private usage: AnthropicUsage = {};
  private readonly blocks = new Map<number, StreamBlock>();
  private toolCount = 0;
  private stopped = false;

  constructor(
    private readonly provider: string,
    private readonly jsonMode: boolean,
    /** Makes the upstream's own error text fit for callers (no keys, no internal addresses). */
    private readonly scrub: (text: string) => string,
  ) {}

  get done(): boolean {
    return this.stopped;
  }

  translate(data: string): ChatCompletionChunk[] {
    let event: StreamEvent;
    try {
      event = JSON.parse(data) as StreamEvent;
    } catch (error) {
      throw this.broken(`sent a stream event that is not JSON`, error);
    }
    switch (event.type) {
      case 'message_start':
        this.id = `chatcmpl-${event.message?.id ?? ''}`;
        this.model = event.message?.model ?? '';
        this.created = Math.floor(Date.now() / 1000);
        this.usage = { ...event.message?.usage };
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        return this.startBlock(event.index ?? 0, event.content_block);
      case 'content_block_delta':
        return this.blockDelta(event.index ?? 0, event.delta ?? {});
      case 'content_block_stop':
        return this.stopBlock(event.index ?? 0);
      case 'message_delta':
        // Anthropic's usage counts here are cumulative, so later values replace earlier ones.
        this.usage = { ...this.usage, ...definedOnly(event.usage ?? {}) };
        return [this.chunk({}, finishReason(event.delta?.stop_reason, this.toolCount > 0))];
      case 'message_stop': {
        this.stopped = true;
        const prompt = promptTokens(this.usage);
        const completion = this.usage.output_tokens ?? 0;
        const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
        return [{ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage }];
      }
      case 'error':
        throw this.broken(`reported an error mid-stream: ${this.scrub(event.error?.message ?? event.error?.type ?? 'unknown')}`);
      default:
        // ping, and event types added after this adapter was written.
        return [];
    }
  }

  finish(): void {
    if (!this.stopped) throw this.broken('ended the stream before message_stop');
  }

  private startBlock(index: number, block: StreamEvent['content_block']): ChatCompletionChunk[] {
    if (block?.type !== 'tool_use') {
      this.blocks.set(index, { kind: 'text', toolIndex: -1, sentInput: false });
      return [];
    }
    if (this.jsonMode && block.name === jsonResponseTool) {
      this.blocks.set(index, { kind: 'json', toolIndex: -1, sentInput: false });
      return [];
    }
    const toolIndex = this.toolCount++;
    this.blocks.set(index, { kind: 'tool', toolIndex, sentInput: false });
    return [this.chunk({ tool_calls: [{ index: toolIndex, id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: '' } }] })];
  }

  private blockDelta(index: number, delta: NonNullable<StreamEvent['delta']>): ChatCompletionChunk[] {
    if (delta.type === 'text_delta' && delta.text) return [this.chunk({ content: delta.text })];
    if (delta.type !== 'input_json_delta' || !delta.partial_json) return [];
    const block = this.blocks.get(index);
    if (!block || block.kind === 'text') return [];
    block.sentInput = true;
    return [this.input(block, delta.partial_json)];
  }

  /** A tool called with no input streams no JSON at all; clients still need "{}" to parse. */
  private stopBlock(index: number): ChatCompletionChunk[] {
    const block = this.blocks.get(index);
    if (!block || block.kind === 'text' || block.sentInput) return [];
    return [this.input(block, '{}')];
  }

  private input(block: StreamBlock, json: string): ChatCompletionChunk {
    if (block.kind === 'json') return this.chunk({ content: json });
    const call: ChunkToolCallDelta = { index: block.toolIndex, function: { arguments: json } };
    return this.chunk({ tool_calls: [call] });
  }

  private chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finish: FinishReason | null = null): ChatCompletionChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, finish_reason: finish }] };
  }

  private broken(what: string, cause?: unknown): BreakwaterError {
    return new BreakwaterError('GATEWAY_UPSTREAM_STREAM_BROKEN', `Provider ${this.provider} ${what}.`, { details: { provider: this.provider }, cause });
  }
}

function definedOnly(usage: AnthropicUsage): AnthropicUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value != null)) as AnthropicUsage;
}
