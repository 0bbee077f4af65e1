import type { ChatCompletion, ChatCompletionChunk } from '../../../wire/chat.js';
import type { PlaceholderVault } from '../../pii/placeholder-vault.js';
import { StreamRestorer, restoreLongText } from '../../pii/restorer.js';

/** A copy of `completion` with placeholders restored in every choice's text and tool-call arguments. */
export async function restoreCompletion(completion: ChatCompletion, vault: PlaceholderVault): Promise<ChatCompletion> {
  const choices: ChatCompletion['choices'] = [];
  for (const choice of completion.choices) {
    const content = choice.message.content === null ? null : await restoreLongText(choice.message.content, vault);
    const toolCalls = [];
    for (const call of choice.message.tool_calls ?? [])
      toolCalls.push({ ...call, function: { ...call.function, arguments: await restoreLongText(call.function.arguments, vault, { json: true }) } });
    choices.push({ ...choice, message: { ...choice.message, content, ...(choice.message.tool_calls ? { tool_calls: toolCalls } : {}) } });
  }
  return { ...completion, choices };
}

/**
 * Restores placeholders in a chunk stream: one StreamRestorer per choice for content and one
 * per tool call for its arguments. Held-back text is flushed on the choice's finish_reason,
 * or in one extra chunk if the stream ends without one.
 */
export async function* restoreStream(chunks: AsyncIterable<ChatCompletionChunk>, vault: PlaceholderVault): AsyncGenerator<ChatCompletionChunk> {
  const content = new Map<number, StreamRestorer>();
  const argumentsOf = new Map<string, StreamRestorer>();
  const restorer = <Key>(map: Map<Key, StreamRestorer>, key: Key, json: boolean) => {
    let existing = map.get(key);
    if (!existing) {
      existing = new StreamRestorer(vault, { json });
      map.set(key, existing);
    }
    return existing;
  };
  let last: ChatCompletionChunk | undefined;
  for await (const chunk of chunks) {
    last = chunk;
    yield {
      ...chunk,
      choices: chunk.choices.map((choice) => {
        const delta = { ...choice.delta };
        const contentRestorer = restorer(content, choice.index, false);
        let text = typeof delta.content === 'string' ? contentRestorer.push(delta.content) : '';
        if (choice.finish_reason !== null) text += contentRestorer.flush();
        if (typeof delta.content === 'string' || text !== '') delta.content = text;
        const toolCalls = (delta.tool_calls ?? []).map((call) => {
          if (call.function?.arguments === undefined) return call;
          const restored = restorer(argumentsOf, `${choice.index}:${call.index}`, true).push(call.function.arguments);
          return { ...call, function: { ...call.function, arguments: restored } };
        });
        if (choice.finish_reason !== null) {
          for (const [key, pending] of argumentsOf) {
            const [choiceIndex, callIndex] = key.split(':').map(Number);
            const rest = choiceIndex === choice.index ? pending.flush() : '';
            if (rest !== '') toolCalls.push({ index: callIndex!, function: { arguments: rest } });
          }
        }
        if (toolCalls.length > 0) delta.tool_calls = toolCalls;
        return { ...choice, delta };
      }),
    };
  }
  const leftovers: ChatCompletionChunk['choices'] = [];
  for (const [index, pending] of content) {
    const rest = pending.flush();
    if (rest !== '') leftovers.push({ index, delta: { content: rest }, finish_reason: null });
  }
  for (const [key, pending] of argumentsOf) {
    const rest = pending.flush();
    const [choiceIndex, callIndex] = key.split(':').map(Number);
    if (rest !== '') leftovers.push({ index: choiceIndex!, delta: { tool_calls: [{ index: callIndex!, function: { arguments: rest } }] }, finish_reason: null });
  }
  if (last && leftovers.length > 0) yield { id: last.id, object: 'chat.completion.chunk', created: last.created, model: last.model, choices: leftovers, usage: null };
}
