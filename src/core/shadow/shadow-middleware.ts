import type { ModelMiddleware } from '../gateway/call-context.js';
import { type ShadowRunner, shadowKeyPrefix } from './shadow-runner.js';

/**
 * Shadow mode as model middleware: picks sampled chat calls of each shadow's target and, once
 * the call has answered (streams: after the last chunk) without error, hands the answer to the
 * shadow's runner. It never touches the call itself; the hand-off only starts a timer.
 */
export function shadowMode(runners: readonly ShadowRunner[]): ModelMiddleware {
  return (context, next) => {
    if (context.input.operation !== 'chat' || context.key.id.startsWith(shadowKeyPrefix)) return next();
    const picked = runners.filter((runner) => runner.picks(context));
    if (picked.length > 0) {
      context.defer(({ error, completion }) => {
        if (error || !completion) return;
        const latencyMs = performance.now() - context.startedAt;
        for (const runner of picked) runner.schedule(context, completion, latencyMs);
      });
    }
    return next();
  };
}
