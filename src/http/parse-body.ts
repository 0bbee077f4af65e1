import type { z } from 'zod';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { formatPath } from '../core/errors/format-path.js';

/** Validates a request body; the first problem becomes a 400 naming the field, like OpenAI's API. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BreakwaterError('INVALID_REQUEST', 'The request body must be a JSON object (Content-Type: application/json).');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const name = formatPath([...issue.path, issue.keys[0]!]);
    return fail(`Unrecognized request argument supplied: ${name}. Remove it; docs/api.md lists the accepted fields.`, name);
  }
  const param = formatPath(issue.path);
  const received = receivedType(body, issue.path);
  if (received === 'undefined') return fail(`Missing required parameter: '${param}'.`, param);
  return fail(`Invalid value for '${param}': ${issue.message.replace(/^Invalid input: /, '')}${received ? ` (got ${received})` : ''}.`, param);
}

function fail(message: string, param: string): never {
  throw new BreakwaterError('INVALID_REQUEST', message, { param: param || null });
}

function receivedType(body: unknown, path: PropertyKey[]): string {
  let node: unknown = body;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return '';
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  if (node === null) return 'null';
  if (Array.isArray(node)) return 'array';
  return typeof node;
}
