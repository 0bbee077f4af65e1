import type { ChatHistoryItem } from 'node-llama-cpp';
import type { ChatMessage } from '../../../wire/chat.js';

/**
 * Maps OpenAI messages onto node-llama-cpp's chat history, which the model's own chat template
 * renders. System and developer messages become system items; assistant tool calls and tool
 * results are written out as text, since a generic template has no slot for them. The history
 * ends with a model item to complete: empty, or the assistant's last message as a prefill.
 */
export function toLlamaHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        history.push({ type: 'system', text: textOf(message.content) });
        break;
      case 'user':
        history.push({ type: 'user', text: textOf(message.content) });
        break;
      case 'tool':
        history.push({ type: 'user', text: `Result of tool call ${message.tool_call_id}:\n${textOf(message.content)}` });
        break;
      case 'assistant': {
        const calls = (message.tool_calls ?? []).map((call) => JSON.stringify({ name: call.function.name, arguments: parseOrKeep(call.function.arguments) }));
        history.push({ type: 'model', response: [[textOf(message.content ?? ''), ...calls].filter(Boolean).join('\n')] });
        break;
      }
    }
  }
  if (history[history.length - 1]?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: unknown }) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .filter(Boolean)
    .join('\n');
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
