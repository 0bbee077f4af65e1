import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { latencyByDay } from '../../core/usage/latency-by-day.js';
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

const requestsQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    key_id: z.string().optional(),
    model: z.string().optional(),
    prompt: z.string().optional(),
    prompt_version: z.coerce.number().int().positive().optional(),
    route_tier: z.string().optional(),
    cursor: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1_000).default(100),
  })
  .strict();

const latencyQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    key_id: z.string().optional(),
    model: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  })
  .strict();

/** [from, to) in epoch ms from the `from` and `to` days (to inclusive; 30 days up to now by default). */
function window(query: { from?: string | undefined; to?: string | undefined }): { from: number; to: number } {
  const to = query.to ? Date.parse(`${query.to}T00:00:00Z`) + 86_400_000 : Date.now() + 1;
  return { from: query.from ? Date.parse(`${query.from}T00:00:00Z`) : to - 30 * 86_400_000, to };
}

/**
 * GET /v1/usage: the ledger aggregated by key, model and day (UTC). The admin token sees
 * every key; a virtual key sees only its own usage. `to` is inclusive.
 */
export function usageRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    // One row per request, newest first: what each call cost, with its prompt version and tier.
    server.get('/v1/usage/requests', { config: { access: 'admin-or-key' } }, async (request) => {
      const query = parseBody(requestsQuerySchema, request.query ?? {});
      const keyId = callerIsAdmin(request) ? query.key_id : callerKey(request).id;
      await app.ledgerWriter.flush();
      const { from, to } = window(query);
      const page = await app.store.ledger.listRequests({
        from,
        to,
        limit: query.limit,
        ...(keyId ? { keyId } : {}),
        ...(query.model ? { alias: query.model } : {}),
        ...(query.prompt ? { promptName: query.prompt } : {}),
        ...(query.prompt_version ? { promptVersion: query.prompt_version } : {}),
        ...(query.route_tier ? { routeTier: query.route_tier } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return {
        object: 'list',
        data: page.data.map((row) => ({
          request_id: row.requestId,
          at: row.ts,
          key_id: row.keyId,
          model: row.alias,
          deployment: row.deployment,
          operation: row.operation,
          prompt: row.promptName ? { name: row.promptName, version: row.promptVersion } : null,
          route_tier: row.routeTier,
          status: row.status,
          error_code: row.errorCode,
          cache: row.cache,
          input_tokens: row.inputTokens,
          output_tokens: row.outputTokens,
          cost_usd: row.costUsd,
          latency_ms: row.latencyMs,
        })),
        has_more: page.nextCursor !== null,
        next_cursor: page.nextCursor,
      };
    });

    // p50 and p95 latency per UTC day of the latest `limit` calls (the dashboard's chart): two
    // columns of a thousand rows read and reduced here, instead of a thousand whole rows sent.
    server.get('/v1/usage/latency', { config: { access: 'admin-or-key' } }, async (request) => {
      const query = parseBody(latencyQuerySchema, request.query ?? {});
      const keyId = callerIsAdmin(request) ? query.key_id : callerKey(request).id;
      await app.ledgerWriter.flush();
      const calls = await app.store.ledger.latestLatencies({ ...window(query), limit: query.limit, ...(keyId ? { keyId } : {}), ...(query.model ? { alias: query.model } : {}) });
      return {
        object: 'usage.latency',
        requests: calls.length,
        data: latencyByDay(calls).map((row) => ({ day: row.day, requests: row.requests, p50_ms: row.p50Ms, p95_ms: row.p95Ms })),
      };
    });

    server.get('/v1/usage', { config: { access: 'admin-or-key' } }, async (request) => {
      const query = parseBody(usageQuerySchema, request.query ?? {});
      const keyId = callerIsAdmin(request) ? query.key_id : callerKey(request).id;
      await app.ledgerWriter.flush();
      const { from, to } = window(query);
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
