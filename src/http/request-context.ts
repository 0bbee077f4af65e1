import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { VirtualKey } from '../core/ports/store.js';
import type { RouteHints } from '../core/routing/auto/features.js';

/** The virtual key from `Authorization: Bearer …` (OpenAI SDKs) or `x-api-key` (Anthropic-style clients). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined;
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey : undefined;
}

export function authenticate(app: App, request: FastifyRequest): Promise<VirtualKey> {
  return app.keys.authenticate(presentedKey(request));
}

/** performance.now() of the moment the request arrived (Fastify measures from onRequest). */
export function arrivalTime(reply: FastifyReply): number {
  return performance.now() - reply.elapsedTime;
}

/** Aborted when the client goes away before the response is complete. */
export function clientSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new DOMException('client closed the connection', 'AbortError'));
  });
  return controller.signal;
}

export function cacheControl(request: FastifyRequest): { noStore: boolean; noCache: boolean } {
  const header = request.headers['cache-control'];
  if (!header) return { noStore: false, noCache: false };
  return { noStore: /\bno-store\b/i.test(header), noCache: /\bno-cache\b/i.test(header) };
}

/** `x-breakwater-route-hint` and `x-breakwater-latency-target-ms`, for an `auto` alias's router. */
export function routeHints(request: FastifyRequest): RouteHints | undefined {
  const tier = request.headers['x-breakwater-route-hint'];
  const latency = request.headers['x-breakwater-latency-target-ms'];
  if (typeof tier !== 'string' && typeof latency !== 'string') return undefined;
  const latencyTargetMs = typeof latency === 'string' && /^\d+(\.\d+)?$/.test(latency.trim()) ? Number(latency) : undefined;
  return { ...(typeof tier === 'string' && tier.trim() !== '' ? { tier: tier.trim().toLowerCase() } : {}), ...(latencyTargetMs === undefined ? {} : { latencyTargetMs }) };
}

/** Caps concurrent model calls per process; past the cap, answer 503 at once instead of queueing. */
export class ConcurrencyGate {
  private inFlight = 0;
  constructor(private readonly limit: number) {}

  enter(): () => void {
    if (this.inFlight >= this.limit) {
      throw new BreakwaterError('SERVER_OVERLOADED', `Breakwater is serving its maximum of ${this.limit} concurrent requests (server.maxConcurrentRequests); retry shortly.`, {
        retryAfterSeconds: 1,
      });
    }
    this.inFlight++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.inFlight--;
      }
    };
  }
}
