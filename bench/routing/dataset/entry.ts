import type { ChatMessage, ChatRequest } from '../../../src/wire/chat.js';

/** What a careful human says the request needs: `hard` means the small model would often fall short. */
export type Label = 'easy' | 'hard';

/** One labelled request of the dataset; `repeat` sends the identical request again (real traffic repeats). */
export interface LabelledRequest {
  id: string;
  label: Label;
  locale: string;
  category: string;
  request: Omit<ChatRequest, 'model'>;
  repeat?: number;
}

export interface EntryOptions {
  system?: string;
  /** Earlier turns, alternating user / assistant, before the final user message. */
  history?: string[];
  tools?: ChatRequest['tools'];
  toolChoice?: ChatRequest['tool_choice'];
  schema?: { name: string; schema: Record<string, unknown> };
  repeat?: number;
  maxTokens?: number;
}

/** Builds the category's entries with ids `category-1`, `category-2`, … */
export function entries(category: string, rows: Array<[Label, string, string, EntryOptions?]>): LabelledRequest[] {
  return rows.map(([label, locale, text, options = {}], index) => {
    const messages: ChatMessage[] = [];
    if (options.system) messages.push({ role: 'system', content: options.system });
    (options.history ?? []).forEach((turn, turnIndex) => messages.push(turnIndex % 2 === 0 ? { role: 'user', content: turn } : { role: 'assistant', content: turn }));
    messages.push({ role: 'user', content: text });
    const request: Omit<ChatRequest, 'model'> = { messages };
    if (options.tools) request.tools = options.tools;
    if (options.toolChoice) request.tool_choice = options.toolChoice;
    if (options.schema) request.response_format = { type: 'json_schema', json_schema: { name: options.schema.name, schema: options.schema.schema, strict: true } };
    if (options.maxTokens) request.max_tokens = options.maxTokens;
    return { id: `${category}-${index + 1}`, label, locale, category, request, ...(options.repeat ? { repeat: options.repeat } : {}) };
  });
}

/** A JSON-schema function tool. */
export function tool(
  name: string,
  description: string,
  properties: Record<string, unknown>,
  required: string[] = Object.keys(properties),
): NonNullable<ChatRequest['tools']>[number] {
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } } };
}
