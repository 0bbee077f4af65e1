import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { feedbackRatings } from '../../core/ports/feedback-store.js';
import { parseBody } from '../parse-body.js';
import { callerKey } from '../route-access.js';

const feedbackSchema = z
  .object({
    /** The `x-request-id` of a call to an `auto` alias made with a key of the same tenant. */
    request_id: z.string().min(1).max(200),
    rating: z.enum(feedbackRatings),
    /** The tier that should have answered (`small` or `large` with the default tiers). */
    should_have_been: z.string().min(1).max(100).optional(),
    /** Stored as given: say what went wrong, not who the user is. */
    note: z.string().max(1_000).optional(),
  })
  .strict();

/**
 * POST /v1/feedback: a verdict on how the cost-aware router routed one call, stored with the
 * call's scorer vector so `breakwater router train --from-feedback` can learn from it. A key
 * rates only calls of its own tenant; any other request id is "not found", so ids reveal
 * nothing across tenants. Rating a call again replaces the earlier rating.
 */
export function feedbackRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    server.post('/v1/feedback', { config: { access: 'key', rateLimited: true } }, async (request) => {
      const body = parseBody(feedbackSchema, request.body);
      const key = callerKey(request);
      // A client may rate a call the moment it answered: write what is buffered first.
      await app.routeRecorder.flush();
      const observation = await app.store.feedback.findRoute(key.tenant, body.request_id);
      if (!observation) {
        throw new BreakwaterError(
          'ROUTE_FEEDBACK_NOT_FOUND',
          `No call to an auto alias with request id "${body.request_id.slice(0, 200)}" in this key's tenant; send the x-request-id of a routed call made within the ledger's retention (docs/governance.md#route-feedback).`,
          { param: 'request_id' },
        );
      }
      const tiers = app.config.autoRoutes[observation.alias]?.tiers.map((tier) => tier.name) ?? [];
      if (body.should_have_been !== undefined && !tiers.includes(body.should_have_been)) {
        throw new BreakwaterError('INVALID_REQUEST', `Invalid value for 'should_have_been': "${observation.alias}" has tiers ${tiers.map((tier) => `"${tier}"`).join(', ')}.`, {
          param: 'should_have_been',
        });
      }
      const ts = Date.now();
      await app.store.feedback.rate({
        requestId: body.request_id,
        tenant: key.tenant,
        keyId: key.id,
        rating: body.rating,
        shouldHaveBeen: body.should_have_been ?? null,
        note: body.note ?? null,
        ts,
      });
      return {
        object: 'route.feedback',
        request_id: body.request_id,
        model: observation.alias,
        routed_tier: observation.tier,
        rating: body.rating,
        should_have_been: body.should_have_been ?? null,
        created: Math.floor(ts / 1000),
      };
    });
  };
}
