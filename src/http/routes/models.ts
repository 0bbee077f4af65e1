import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { AliasRoute } from '../../core/routing/alias-route.js';
import { callerKey } from '../route-access.js';

const started = Math.floor(Date.now() / 1000);

function describe(route: AliasRoute) {
  return { id: route.alias, object: 'model' as const, created: started, owned_by: 'breakwater' };
}

/** GET /v1/models lists the aliases this key may use (OpenAI's list shape). */
export function modelRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const keyOnly = { config: { access: 'key' as const } };
    server.get('/v1/models', keyOnly, async (request) => {
      const key = callerKey(request);
      return { object: 'list', data: app.gateway.aliasesFor(key).map(describe) };
    });
    server.get<{ Params: { model: string } }>('/v1/models/:model', keyOnly, async (request) => {
      const key = callerKey(request);
      const route = app.gateway.aliasesFor(key).find((candidate) => candidate.alias === request.params.model);
      if (!route) throw new BreakwaterError('MODEL_NOT_FOUND', `The model "${request.params.model}" does not exist or this key may not use it.`, { param: 'model' });
      return describe(route);
    });
  };
}
