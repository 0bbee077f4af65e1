import type { ChatMessage } from '../../../wire/chat.js';

/**
 * The JSON Schema a `json_object` request states in a system or developer message, as the
 * extraction engine's prompt strategy does ("…conforms to this JSON Schema … JSON Schema:
 * {…}"): the text from the first `{` after "JSON Schema" (or in the message) to the last `}`.
 */
export function schemaInPrompt(messages: readonly ChatMessage[], textOf: (content: unknown) => string): Record<string, unknown> | undefined {
  for (const message of messages) {
    if (message.role !== 'system' && message.role !== 'developer') continue;
    const text = textOf(message.content);
    const marker = text.search(/JSON Schema/i);
    if (marker < 0) continue;
    const start = text.indexOf('{', marker);
    const end = text.lastIndexOf('}');
    if (start < 0 || end < start) continue;
    try {
      const schema: unknown = JSON.parse(text.slice(start, end + 1));
      if (typeof schema === 'object' && schema !== null && !Array.isArray(schema) && ('type' in schema || 'properties' in schema || '$schema' in schema)) {
        return schema as Record<string, unknown>;
      }
    } catch {
      // Not parseable JSON after all: look further, then keep the plain json_object answer.
    }
  }
  return undefined;
}
