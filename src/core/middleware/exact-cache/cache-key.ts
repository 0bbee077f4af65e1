import { createHash } from 'node:crypto';
import type { ChatRequest } from '../../../wire/chat.js';
import { updateWithCanonicalJsonInTurns } from '../../json-in-turns.js';

/** Fields that do not change the answer and so do not split the cache. */
const ignored = new Set(['stream', 'stream_options', 'user', 'metadata', 'store', 'safety_identifier', 'prompt_cache_key']);

/**
 * SHA-256 of the tenant and the request with keys sorted (so key order does not matter); the
 * request names the alias. A request of megabytes is hashed ~¼ M characters per turn.
 */
export async function exactCacheKey(tenant: string, request: ChatRequest): Promise<string> {
  return (await updateWithCanonicalJsonInTurns(createHash('sha256').update(tenant).update('\0'), request, ignored)).digest('base64url');
}
