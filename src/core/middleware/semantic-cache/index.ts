import { randomUUID } from 'node:crypto';
import type { CallContext, ModelMiddleware } from '../../gateway/call-context.js';
import type { SemanticCache } from '../../semantic-cache/semantic-cache.js';

export interface SemanticCacheMiddlewareOptions {
  cache: SemanticCache;
  /** The minimum cosine similarity of a hit on this call's route; undefined turns the semantic cache off for it. */
  thresholdFor(context: CallContext): number | undefined;
  ttlMs: number;
  onHit(alias: string, similarity: number): void;
  /** A failed lookup (the embedder is down) is a miss, reported here. */
  onError(error: unknown): void;
}

/**
 * Answers a chat call with the stored answer to an earlier question of the same meaning (see
 * SemanticCache), after the exact cache missed. `cache-control: no-store` skips it both ways,
 * `no-cache` skips the lookup but stores the answer. Only complete answers (finish_reason
 * stop) are stored: not truncated ones, not tool calls, not filtered ones. A hit gets a fresh
 * id and timestamp (it answers another request); streams replay it as SSE.
 */
export function semanticCache(options: SemanticCacheMiddlewareOptions): ModelMiddleware {
  return async (context, next) => {
    if (context.input.operation !== 'chat' || context.cacheControl.noStore) return next();
    const threshold = options.thresholdFor(context);
    if (threshold === undefined) return next();
    const { request } = context.input;
    const tenant = context.key.tenant;
    const alias = context.requestedAlias;
    if (!context.cacheControl.noCache) {
      const hit = await options.cache.lookup(request, tenant, alias, threshold, context.signal).catch((error: unknown) => {
        options.onError(error);
        return undefined;
      });
      if (hit) {
        context.cache = 'semantic';
        context.cacheSimilarity = hit.similarity;
        options.onHit(alias, hit.similarity);
        return { kind: 'completion', completion: { ...hit.completion, id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000) } };
      }
    }
    // Before the inner middleware: PII redaction rewrites the request's messages in place, and
    // the entry keys on the question the client sent (a lookup has prepared it already).
    else options.cache.prepare(request, tenant, alias);
    context.cache = 'miss';
    context.defer(({ error, completion }) => {
      if (error || !completion || completion.choices.length !== 1 || completion.choices[0]?.finish_reason !== 'stop') return;
      if (completion.choices[0].message.tool_calls?.length) return;
      return options.cache.store(request, tenant, alias, completion, options.ttlMs).then(() => undefined);
    });
    return next();
  };
}
