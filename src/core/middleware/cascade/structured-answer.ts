import type { ChatCompletion, ChatRequest } from '../../../wire/chat.js';
import { SchemaValidator } from '../../extraction/schema-validator.js';

export type StructuredVerdict = { ok: true } | { ok: false; reason: string };

/**
 * The JSON Schema a chat request asks its answer to follow (`response_format: json_schema`),
 * compiled; undefined when it sets none or the schema does not compile (then there is nothing
 * to check an answer against, and the call is left to the router alone).
 */
export function structuredSchemaOf(request: ChatRequest): SchemaValidator | undefined {
  const format = request.response_format;
  if (format?.type !== 'json_schema' || !format.json_schema.schema) return undefined;
  try {
    return SchemaValidator.compile(format.json_schema.schema);
  } catch {
    return undefined;
  }
}

/**
 * Judges an answer as the client will read it: the message content must itself be one JSON
 * document (no fences, no repair: a client's `JSON.parse` does none) that the schema accepts.
 * A refusal or an answer cut off at the output limit fails. An answer made of tool calls is not
 * a structured answer and passes: the schema does not govern it.
 */
export function judgeStructuredAnswer(completion: ChatCompletion, validator: SchemaValidator): StructuredVerdict {
  const choice = completion.choices[0];
  const message = choice?.message;
  if (!message) return { ok: false, reason: 'no answer' };
  if (message.refusal) return { ok: false, reason: 'refused' };
  if (choice.finish_reason === 'length') return { ok: false, reason: 'cut off at the output limit' };
  if (!message.content && message.tool_calls && message.tool_calls.length > 0) return { ok: true };
  let value: unknown;
  try {
    value = JSON.parse(message.content ?? '');
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const result = validator.validate(value);
  if (result.ok) return { ok: true };
  const first = result.issues[0]!;
  return { ok: false, reason: `schema: ${first.path || '(root)'} ${first.message}` };
}
