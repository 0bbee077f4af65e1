import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { parseBody } from '../parse-body.js';
import { callerIsAdmin, callerKey } from '../route-access.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const usageQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    key_id: z.string().optional(),
    model: z.string().optional(),
  })
  .strict();

/**
 * GET /v1/usage: the ledger aggregated by key, model and day (UTC). The admin token sees
 * every key; a virtual key sees only its own usage. `to` is inclusive.
 */
export function usageRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    server.get('/v1/usage', { config: { access: 'admin-or-key' } }, async (request) => {
      const query = parseBody(usageQuerySchema, request.query ?? {});
      const keyId = callerIsAdmin(request) ? query.key_id : callerKey(request).id;
      await app.ledgerWriter.flush();
      const to = query.to ? Date.parse(`${query.to}T00:00:00Z`) + 86_400_000 : Date.now() + 1;
      const from = query.from ? Date.parse(`${query.from}T00:00:00Z`) : to - 30 * 86_400_000;
      const rows = await app.store.ledger.aggregateUsage({ from, to, ...(keyId ? { keyId } : {}), ...(query.model ? { alias: query.model } : {}) });
      return {
        object: 'list',
        data: rows.map((row) => ({
          key_id: row.keyId,
          model: row.alias,
          day: row.day,
          route_tier: row.routeTier,
          requests: row.requests,
          errors: row.errors,
          cache_hits: row.cacheHits,
          input_tokens: row.inputTokens,
          output_tokens: row.outputTokens,
          cost_usd: row.costUsd,
          pii_detections: row.piiDetections,
        })),
      };
    });
  };
}
