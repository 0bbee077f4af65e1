import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { ModelMiddleware } from '../../gateway/call-context.js';
import type { Counters } from '../../ports/counters.js';

const minute = 60_000;

export interface RateLimitObserver {
  onReject(reason: 'rpm' | 'tpm'): void;
}

/**
 * Per-key RPM and TPM over a sliding 60-second window, exact under concurrency (the
 * counters take atomically). TPM takes the prompt estimate plus the client's output cap up
 * front and is corrected to the provider's reported usage afterwards.
 */
export function rateLimit(counters: Counters, observer: RateLimitObserver): ModelMiddleware {
  return async (context, next) => {
    const { key } = context;
    if (key.rpm !== null) {
      const taken = await counters.takeFromWindow(`rpm:${key.id}`, 1, key.rpm, minute);
      if (!taken.ok) {
        observer.onReject('rpm');
        throw new BreakwaterError('RATE_LIMIT_EXCEEDED', `This key may make ${key.rpm} requests per minute; wait and retry.`, {
          retryAfterSeconds: Math.ceil(taken.retryAfterMs / 1000),
          details: { limit: key.rpm, window: '60s' },
        });
      }
    }
    if (key.tpm !== null) {
      const input = context.input;
      const cap = input.operation === 'chat' ? (input.request.max_completion_tokens ?? input.request.max_tokens ?? 0) : 0;
      const estimate = context.estimatedInputTokens + cap;
      if (estimate > key.tpm) {
        observer.onReject('tpm');
        throw new BreakwaterError(
          'TOKEN_RATE_LIMIT_EXCEEDED',
          `This request needs about ${estimate} tokens, more than this key's whole limit of ${key.tpm} tokens per minute; shorten it, lower max_tokens, or raise the key's tpm.`,
          {
            retryable: false,
            details: { limit: key.tpm, requested: estimate, window: '60s' },
          },
        );
      }
      const taken = await counters.takeFromWindow(`tpm:${key.id}`, estimate, key.tpm, minute);
      if (!taken.ok) {
        observer.onReject('tpm');
        throw new BreakwaterError('TOKEN_RATE_LIMIT_EXCEEDED', `This key may use ${key.tpm} tokens per minute and this request needs about ${estimate}; wait and retry.`, {
          retryAfterSeconds: Math.ceil(taken.retryAfterMs / 1000),
          details: { limit: key.tpm, requested: estimate, window: '60s' },
        });
      }
      context.defer(() => counters.adjustWindow(`tpm:${key.id}`, context.usage.inputTokens + context.usage.outputTokens - estimate, minute));
    }
    return next();
  };
}
