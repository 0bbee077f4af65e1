import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { parseBody } from '../parse-body.js';
import { callerIsAdmin, callerKey } from '../route-access.js';

const invalidationSchema = z
  .object({
    /** Admin token only: whose entries; a virtual key always invalidates its own tenant's. */
    tenant: z.string().min(1).max(200).optional(),
    /** Only the entries of this alias (as the client named it). */
    model: z.string().min(1).optional(),
  })
  .strict();

/**
 * DELETE /v1/cache/semantic: forgets a tenant's semantic cache entries (all, or one alias's),
 * e.g. after the documents behind its answers changed. A virtual key clears its own tenant;
 * the admin token names the tenant.
 */
export function cacheRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    server.delete('/v1/cache/semantic', { config: { access: 'admin-or-key' } }, async (request) => {
      const query = parseBody(invalidationSchema, request.query ?? {});
      let tenant: string;
      if (callerIsAdmin(request)) {
        if (!query.tenant) throw new BreakwaterError('INVALID_REQUEST', 'With the admin token, name the tenant whose entries to drop: ?tenant=…', { param: 'tenant' });
        tenant = query.tenant;
      } else {
        if (query.tenant !== undefined)
          throw new BreakwaterError('INVALID_REQUEST', "A virtual key clears its own tenant's entries; drop the tenant parameter (only the admin token may name one).", {
            param: 'tenant',
          });
        tenant = callerKey(request).tenant;
      }
      const deleted = app.semanticCache ? await app.semanticCache.invalidate({ tenant, ...(query.model ? { alias: query.model } : {}) }) : 0;
      return { object: 'cache.invalidation', cache: 'semantic', tenant, model: query.model ?? null, deleted };
    });
  };
}
