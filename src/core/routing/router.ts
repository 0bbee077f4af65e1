import { setTimeout as delay } from 'node:timers/promises';
import { BreakwaterError, toBreakwaterError } from '../errors/breakwater-error.js';
import type { AliasRoute, Deployment } from './alias-route.js';
import { backoffDelay } from './backoff.js';

export interface RouterOptions {
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxRetryAfterMs: number;
  random?: () => number;
}

export interface RouteProgress {
  /** Attempts made so far (every try on every deployment). */
  attempts: number;
  /** Time spent waiting on upstreams, including backoff sleeps. */
  upstreamMs: number;
  deployment: Deployment | undefined;
  /**
   * One entry per attempt whose request went to its deployment and that ended without an
   * answer because it timed out or the client went away: the upstream may have generated (and
   * will bill) the whole answer anyway, so the gateway charges each of them.
   */
  unanswered: Deployment[];
}

/**
 * Runs one call over an alias's deployments: fallback order or weighted load-balance,
 * per-deployment timeout, retries with backoff and jitter on retryable failures (honouring
 * Retry-After), and a circuit breaker per deployment. The call resolves once the upstream
 * has answered (for streams: once the first chunk is in hand), so nothing is retried after
 * a byte has reached the client.
 */
export class Router {
  constructor(private readonly options: RouterOptions) {}

  async execute<T>(route: AliasRoute, signal: AbortSignal, progress: RouteProgress, call: (deployment: Deployment, signal: AbortSignal) => Promise<T>): Promise<T> {
    let lastError: BreakwaterError | undefined;
    for (const deployment of this.order(route)) {
      if (!deployment.breaker.tryAcquire()) {
        lastError = new BreakwaterError('GATEWAY_CIRCUIT_OPEN', `Every deployment of "${route.alias}" is failing; Breakwater stopped calling them for a while.`, {
          details: { deployment: deployment.id },
          retryAfterSeconds: Math.ceil(deployment.breaker.retryInMs / 1000),
        });
        continue;
      }
      for (let attempt = 0; attempt <= deployment.retries; attempt++) {
        if (signal.aborted) {
          deployment.breaker.onNeutral();
          throw clientGone(signal);
        }
        progress.attempts++;
        progress.deployment = deployment;
        // The deployment timeout covers the call until it resolves (for a stream: its first
        // chunk); after that only the client's disconnect aborts it.
        const attemptSignal = linkedSignal(signal, deployment);
        const started = performance.now();
        try {
          const value = await call(deployment, attemptSignal.signal);
          attemptSignal.settle();
          progress.upstreamMs += performance.now() - started;
          deployment.breaker.onSuccess();
          return value;
        } catch (thrown) {
          attemptSignal.settle();
          progress.upstreamMs += performance.now() - started;
          // Only the deployment's timeout or the client abort an attempt, and both come after the
          // request was handed to the provider; one aborted while still connecting is charged too
          // (rare, and an error in the budget's favour).
          if (attemptSignal.signal.aborted) progress.unanswered.push(deployment);
          const error = toBreakwaterError(thrown);
          lastError = error;
          if (signal.aborted) {
            deployment.breaker.onNeutral();
            throw clientGone(signal);
          }
          if (!error.retryable) {
            // The upstream is healthy and said no: an auth problem or a missing capability may
            // be this deployment's alone (try the next one), a bad request would fail everywhere.
            deployment.breaker.onNeutral();
            if (error.code === 'GATEWAY_UPSTREAM_AUTH_FAILED' || error.code === 'MODEL_CAPABILITY_MISSING') break;
            throw error;
          }
          deployment.breaker.onFailure();
          if (attempt === deployment.retries || !deployment.breaker.tryAcquire()) break;
          const retryAfterMs = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
          if (retryAfterMs !== undefined && retryAfterMs > this.options.maxRetryAfterMs) {
            deployment.breaker.onNeutral();
            break;
          }
          const wait = retryAfterMs ?? backoffDelay(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs, this.options.random);
          const slept = performance.now();
          try {
            await delay(wait, undefined, { signal });
          } catch {
            deployment.breaker.onNeutral();
            throw clientGone(signal);
          } finally {
            progress.upstreamMs += performance.now() - slept;
          }
        }
      }
    }
    throw lastError ?? new BreakwaterError('GATEWAY_UPSTREAM_UNAVAILABLE', `Model "${route.alias}" has no deployment to call.`);
  }

  /** Fallback: as configured. Load-balance: a weighted random permutation (the rest stay as fallbacks). */
  private order(route: AliasRoute): Deployment[] {
    if (route.strategy === 'fallback' || route.deployments.length === 1) return route.deployments;
    const pool = [...route.deployments];
    const ordered: Deployment[] = [];
    const random = this.options.random ?? Math.random;
    while (pool.length > 0) {
      const total = pool.reduce((sum, deployment) => sum + deployment.weight, 0);
      let pick = random() * total;
      let index = pool.findIndex((deployment) => (pick -= deployment.weight) < 0);
      if (index < 0) index = pool.length - 1;
      ordered.push(...pool.splice(index, 1));
    }
    return ordered;
  }
}

/**
 * An attempt's signal: aborted by the client's disconnect at any time, and by the
 * deployment's timeout until `settle()` (one controller and one timer; AbortSignal.any
 * costs more and, on Node 20, keeps its sources alive).
 */
function linkedSignal(client: AbortSignal, deployment: Deployment): { signal: AbortSignal; settle(): void } {
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(client.reason);
  client.addEventListener('abort', onClientAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`deployment ${deployment.id} timed out`, 'TimeoutError')), deployment.timeoutMs);
  return {
    signal: controller.signal,
    settle: () => clearTimeout(timer),
  };
}

function clientGone(signal: AbortSignal): BreakwaterError {
  return new BreakwaterError('INVALID_REQUEST', 'The client closed the connection before the answer was ready.', {
    details: { clientClosed: true },
    cause: signal.reason,
  });
}
