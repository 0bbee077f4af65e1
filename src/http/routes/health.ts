import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';

/** Liveness, readiness (the store answers) and Prometheus metrics. */
export function healthRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    server.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
    server.get('/readyz', { config: { access: 'public' } }, async () => {
      try {
        await app.store.ping();
      } catch (error) {
        throw new BreakwaterError('NOT_READY', 'Not ready: the store does not answer.', { cause: error, retryAfterSeconds: 1 });
      }
      return { status: 'ready' };
    });
    server.get('/metrics', { config: { access: 'metrics' } }, async (_request, reply) => reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics()));
  };
}
