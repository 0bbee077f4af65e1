import { createHash } from 'node:crypto';
import type { ChatRequest } from '../../../wire/chat.js';

/** Fields that do not change the answer and so do not split the cache. */
const ignored = new Set(['stream', 'stream_options', 'user', 'metadata', 'store', 'safety_identifier', 'prompt_cache_key']);

/** SHA-256 of the tenant, the alias and the request with keys sorted (so key order does not matter). */
export function exactCacheKey(tenant: string, request: ChatRequest): string {
  const hash = createHash('sha256');
  hash.update(tenant).update('\0');
  writeCanonical(hash, request, true);
  return hash.digest('base64url');
}

function writeCanonical(hash: ReturnType<typeof createHash>, value: unknown, top = false): void {
  if (value === null || typeof value !== 'object') {
    hash.update(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    hash.update('[');
    value.forEach((item, index) => {
      if (index > 0) hash.update(',');
      writeCanonical(hash, item);
    });
    hash.update(']');
    return;
  }
  hash.update('{');
  let first = true;
  for (const name of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[name];
    if (item === undefined || (top && ignored.has(name))) continue;
    if (!first) hash.update(',');
    first = false;
    hash.update(JSON.stringify(name)).update(':');
    writeCanonical(hash, item);
  }
  hash.update('}');
}
