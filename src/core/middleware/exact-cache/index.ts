import type { ChatCompletion } from '../../../wire/chat.js';
import type { ModelMiddleware } from '../../gateway/call-context.js';
import type { ResponseCache } from '../../ports/response-cache.js';
import { exactCacheKey } from './cache-key.js';

export interface ExactCacheOptions {
  cache: ResponseCache;
  ttlMs: number;
  onHit(alias: string): void;
}

/**
 * Exact-match answer cache, scoped to the key's tenant. `cache-control: no-store` skips it
 * both ways, `no-cache` skips the lookup but refreshes the entry. Streams are stored once
 * complete and replayed as SSE on a hit. Truncated answers (finish_reason length) are not stored.
 */
export function exactCache(options: ExactCacheOptions): ModelMiddleware {
  return async (context, next) => {
    if (context.input.operation !== 'chat' || context.cacheControl.noStore) {
      context.cache = 'bypass';
      return next();
    }
    const key = await exactCacheKey(context.key.tenant, context.input.request);
    if (!context.cacheControl.noCache) {
      const stored = await options.cache.get(key);
      if (stored !== undefined) {
        context.cache = 'hit';
        options.onHit(context.route.alias);
        return { kind: 'completion', completion: JSON.parse(stored) as ChatCompletion };
      }
    }
    context.cache = 'miss';
    context.defer(({ error, completion }) => {
      if (error || !completion || completion.choices[0]?.finish_reason === 'length') return;
      return options.cache.set(key, JSON.stringify(completion), options.ttlMs);
    });
    return next();
  };
}
