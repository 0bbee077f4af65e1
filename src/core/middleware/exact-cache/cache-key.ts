import { createHash } from 'node:crypto';
import type { ChatRequest } from '../../../wire/chat.js';

/** Fields that do not change the answer and so do not split the cache. */
const ignored = new Set(['stream', 'stream_options', 'user', 'metadata', 'store', 'safety_identifier', 'prompt_cache_key']);

/** SHA-256 of the tenant and the request with keys sorted (so key order does not matter); the request names the alias. */
export function exactCacheKey(tenant: string, request: ChatRequest): string {
  return createHash('sha256').update(tenant).update('\0').update(canonical(request, true)).digest('base64url');
}

/** JSON with object keys sorted, built as one string so the hash is fed once. */
function canonical(value: unknown, top = false): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item)).join(',')}]`;
  let text = '{';
  for (const name of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[name];
    if (item === undefined || (top && ignored.has(name))) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(name)}:${canonical(item)}`;
  }
  return `${text}}`;
}
