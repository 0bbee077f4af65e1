import type { ChatCompletion, ChatCompletionChunk, FinishReason, ToolCall } from '../../wire/chat.js';

/** Accumulates streamed chunks into the ChatCompletion they add up to (for cache and accounting). */
export class StreamAssembler {
  private id = '';
  private model = '';
  private created = 0;
  private content = '';
  private readonly toolCalls: ToolCall[] = [];
  private finishReason: FinishReason | null = null;
  usage: ChatCompletion['usage'];
  sawContent = false;

  add(chunk: ChatCompletionChunk): void {
    this.id ||= chunk.id;
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return;
    if (choice.delta.content) {
      this.content += choice.delta.content;
      this.sawContent = true;
    }
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (this.toolCalls[delta.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.function.name += delta.function.name;
      if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  get outputText(): string {
    return this.content + this.toolCalls.map((call) => call.function.name + call.function.arguments).join('');
  }

  get finished(): boolean {
    return this.finishReason !== null;
  }

  toCompletion(): ChatCompletion {
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: this.sawContent || this.toolCalls.length === 0 ? this.content : null,
            ...(this.toolCalls.length > 0 ? { tool_calls: this.toolCalls } : {}),
          },
          finish_reason: this.finishReason,
        },
      ],
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }
}

/** Replays a stored completion as the chunks a live stream would have sent. */
export function completionToChunks(completion: ChatCompletion): ChatCompletionChunk[] {
  const base = { id: completion.id, object: 'chat.completion.chunk' as const, created: completion.created, model: completion.model };
  const choice = completion.choices[0];
  const chunks: ChatCompletionChunk[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  if (choice?.message.content) chunks.push({ ...base, choices: [{ index: 0, delta: { content: choice.message.content }, finish_reason: null }] });
  choice?.message.tool_calls?.forEach((call, index) => chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, ...call }] }, finish_reason: null }] }));
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: choice?.finish_reason ?? 'stop' }] });
  if (completion.usage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}
