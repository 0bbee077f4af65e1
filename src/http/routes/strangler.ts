import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { StranglerRoute } from '../../core/strangler/strangler-route.js';
import { parseBody } from '../parse-body.js';
import { clientSignal } from '../request-context.js';
import { callerKey } from '../route-access.js';

const callSchema = z
  .object({
    /** The route's input: the legacy handler gets it as its JSON body; the AI prompt gets its fields as variables. */
    input: z.record(z.string(), z.unknown()),
    /** The end user, for the sticky split (default: the key). */
    user: z.string().min(1).max(256).optional(),
  })
  .strict();

const ledgerQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** `next_before` of the previous page. */
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();

/**
 * Strangler routes: `POST /v1/routes/:name` answers from the legacy handler or the AI path
 * (virtual key); status, the decision ledger and resume after a rollback are the operator's
 * (admin token).
 */
export function stranglerRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const route = (name: string): StranglerRoute => {
      const found = app.strangler.get(name);
      if (!found) throw new BreakwaterError('NOT_FOUND', `No strangler route "${name}"; they are declared under strangler: in the configuration.`, { param: 'name' });
      return found;
    };

    server.post<{ Params: { name: string } }>('/v1/routes/:name', { config: { access: 'key' } }, async (request, reply) => {
      const body = parseBody(callSchema, request.body);
      const decision = await route(request.params.name).handle(callerKey(request), body.user, body.input, clientSignal(reply));
      reply.header('x-breakwater-strangler', `${decision.side}; reason=${decision.reason}${decision.failure ? `; failure=${decision.failure}` : ''}`);
      reply.header('x-request-id', decision.requestId);
      return { object: 'route.answer', id: decision.requestId, route: request.params.name, side: decision.side, reason: decision.reason, output: decision.answer };
    });

    server.get<{ Params: { name: string } }>('/v1/routes/:name', { config: { access: 'admin' } }, async (request) => {
      const status = await route(request.params.name).status();
      return {
        object: 'route',
        name: request.params.name,
        percent: status.percent,
        rolled_back: status.rolledBack ? { at: status.rolledBack.at, failure_rate: status.rolledBack.failureRate, requests: status.rolledBack.requests } : null,
        window: status.window,
      };
    });

    server.get<{ Params: { name: string }; Querystring: { limit?: string; before?: string } }>('/v1/routes/:name/decisions', { config: { access: 'admin' } }, async (request) => {
      const query = parseBody(ledgerQuerySchema, request.query);
      const rows = await route(request.params.name).ledger({ limit: query.limit, ...(query.before !== undefined ? { beforeId: query.before } : {}) });
      return {
        object: 'list',
        data: rows.map((row) => ({
          id: row.id,
          at: row.at,
          event: row.event,
          request_id: row.requestId,
          tenant: row.tenant,
          key_id: row.keyId,
          side: row.side,
          reason: row.reason,
          failure: row.failure,
          ai_attempted: row.aiAttempted,
          ai_failed: row.aiFailed,
          prompt: row.promptName === null ? null : { name: row.promptName, version: row.promptVersion },
          legacy_status: row.legacyStatus,
          latency_ms: row.latencyMs,
          failure_rate: row.failureRate,
          window_requests: row.windowRequests,
          actor: row.actor,
        })),
        next_before: rows.length === query.limit ? rows[rows.length - 1]!.id : null,
      };
    });

    server.post<{ Params: { name: string } }>('/v1/routes/:name/resume', { config: { access: 'admin' } }, async (request) => {
      await route(request.params.name).resume('admin');
      return { object: 'route', name: request.params.name, rolled_back: null };
    });
  };
}
