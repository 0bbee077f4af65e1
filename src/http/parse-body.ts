import type { z } from 'zod';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { formatPath } from '../core/errors/format-path.js';

/** Validates a request body; the first problem becomes a 400 naming the field, like OpenAI's API. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BreakwaterError('INVALID_REQUEST', 'The request body must be a JSON object (Content-Type: application/json).');
  }
  const tooDeep = firstTooDeep(body);
  if (tooDeep !== undefined) {
    throw new BreakwaterError('INVALID_REQUEST', `The request body nests arrays and objects deeper than ${maxNesting} levels (under '${tooDeep}'); flatten it: JSON Schemas and tool parameters rarely need 10.`, {
      param: tooDeep,
    });
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

/**
 * JSON.parse takes any depth, but JSON.stringify and every recursive walk after it (cache
 * keys, token counts, the upstream request) overflow the stack on a 4 MB body of `[[[…]]]`
 * in a free-form field, which surfaced as a 500.
 */
const maxNesting = 64;

/** The top-level field holding a value nested deeper than maxNesting, found without recursion. */
function firstTooDeep(body: object): string | undefined {
  for (const [field, value] of Object.entries(body)) {
    const pending: Array<[unknown, number]> = [[value, 1]];
    while (pending.length > 0) {
      const [node, depth] = pending.pop()!;
      if (node === null || typeof node !== 'object') continue;
      if (depth > maxNesting) return field;
      for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return undefined;
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

