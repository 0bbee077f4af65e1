import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { piiModes, type VirtualKey } from '../../core/ports/store.js';
import { parseBody } from '../parse-body.js';

export const createKeySchema = z
  .object({
    name: z.string().min(1).max(200),
    tenant: z.string().min(1).max(200).optional(),
    allowed_models: z.array(z.string().min(1)).nullable().optional(),
    rpm: z.number().int().positive().nullable().optional(),
    tpm: z.number().int().positive().nullable().optional(),
    budget_usd: z.number().positive().nullable().optional(),
    budget_period: z.enum(['day', 'month', 'total']).optional(),
    tags: z.record(z.string(), z.string()).optional(),
    /** This key's PII policy; null or absent follows the model's policy. */
    pii_policy: z.enum(piiModes).nullable().optional(),
  })
  .strict();

/** The public shape of a key: everything but the secret and its hash. */
export function keyView(key: VirtualKey) {
  return {
    id: key.id,
    object: 'virtual_key' as const,
    name: key.name,
    prefix: key.prefix,
    tenant: key.tenant,
    allowed_models: key.allowedModels,
    rpm: key.rpm,
    tpm: key.tpm,
    budget: key.budget,
    tags: key.tags,
    pii_policy: key.piiPolicy,
    created_at: key.createdAt,
    revoked_at: key.revokedAt,
  };
}

/**
 * Admin API for virtual keys: every route declares `access: 'admin'`, checked on the matched
 * route before the body is read (src/http/route-access.ts). The secret is returned once, at creation.
 */
export function adminKeyRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const admin = { config: { access: 'admin' as const } };
    server.post('/v1/admin/keys', admin, async (request, reply) => {
      const body = parseBody(createKeySchema, request.body);
      const { key, secret } = await app.keys.create({
        name: body.name,
        ...(body.tenant ? { tenant: body.tenant } : {}),
        allowedModels: body.allowed_models ?? null,
        rpm: body.rpm ?? null,
        tpm: body.tpm ?? null,
        budget: body.budget_usd ? { usd: body.budget_usd, period: body.budget_period ?? 'month' } : null,
        tags: body.tags ?? {},
        piiPolicy: body.pii_policy ?? null,
      });
      return reply.code(201).send({ ...keyView(key), key: secret });
    });
    server.get('/v1/admin/keys', admin, async () => ({ object: 'list', data: (await app.keys.list()).map(keyView) }));
    server.get<{ Params: { id: string } }>('/v1/admin/keys/:id', admin, async (request) => {
      const key = await app.keys.find(request.params.id);
      if (!key) throw new BreakwaterError('NOT_FOUND', `No key with id ${request.params.id}.`, { param: 'id' });
      return keyView(key);
    });
    server.delete<{ Params: { id: string } }>('/v1/admin/keys/:id', admin, async (request) => keyView(await app.keys.revoke(request.params.id)));
  };
}
