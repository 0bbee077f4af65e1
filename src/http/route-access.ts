import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { VirtualKey } from '../core/ports/store.js';
import { isAdmin, requireAdmin, tokenMatches } from './admin-auth.js';
import { presentedKey } from './request-context.js';
import type { Access, Caller } from './caller.js';
import { sessionCaller } from './session-caller.js';

export type { Access, Caller } from './caller.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Refuse a key already at its requests-per-minute limit before its body is parsed. */
    rateLimited?: boolean;
  }
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyInstance {
    /** Every route with the access it declared, in registration order (tests walk it). */
    routeAccessTable: ReadonlyArray<{ method: string; url: string; access: Access }>;
  }
}

const anonymous: Caller = { kind: 'anonymous' };
const minute = 60_000;

/**
 * Authorization belongs to the matched route, never to a test on the raw URL: the router
 * decodes percent-escapes, absolute-form targets and other spellings the raw URL does not
 * show, so a prefix check on `request.url` can be walked around (`/v1/%61dmin/keys`). Every
 * route must declare its access; one that does not fails the server's start.
 *
 * Runs in `onRequest`, so a caller without the right credentials, or a key already at its
 * RPM limit, is refused before its body is read, parsed or tokenized.
 */
export function routeAccess(app: App, server: FastifyInstance): void {
  server.decorateRequest('caller');
  const table: Array<{ method: string; url: string; access: Access }> = [];
  server.decorate('routeAccessTable', table);
  server.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access); every route must say who may call it.`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, access });
  });
  server.addHook('onRequest', async (request) => {
    // Unmatched requests reach the 404 handler, which reveals nothing.
    if (request.is404) {
      request.caller = anonymous;
      return;
    }
    const config = request.routeOptions.config;
    // A dashboard session cookie stands for the token it was opened with (src/http/session-caller.ts).
    request.caller = (await sessionCaller(app, request, config.access)) ?? (await callerFor(app, request, config.access));
    if (config.rateLimited && request.caller.kind === 'key') await refuseIfAtRpmLimit(app, request.caller.key);
  });
}

async function callerFor(app: App, request: FastifyRequest, access: Access | undefined): Promise<Caller> {
  switch (access) {
    case 'public':
      return anonymous;
    case 'metrics':
      if (app.metricsToken !== undefined && !tokenMatches(presentedKey(request), app.metricsToken)) {
        throw new BreakwaterError('METRICS_TOKEN_INVALID', 'GET /metrics needs "Authorization: Bearer <metrics token>" with the configured metrics.token.');
      }
      return anonymous;
    case 'admin':
      requireAdmin(app, request);
      return { kind: 'admin' };
    case 'admin-or-key':
      if (isAdmin(app, request)) return { kind: 'admin' };
      return { kind: 'key', key: await app.keys.authenticate(presentedKey(request)) };
    case 'key':
      return { kind: 'key', key: await app.keys.authenticate(presentedKey(request)) };
    default:
      // Unreachable for declared routes (onRoute refuses the rest); fail closed all the same.
      throw new BreakwaterError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; docs/api.md lists the endpoints.`);
  }
}

/**
 * A non-consuming look at the key's RPM window: taking nothing against a limit one lower
 * succeeds only while at least one request is left. The rate-limit middleware takes the
 * request itself later, so HTTP calls and job calls count the same way.
 */
async function refuseIfAtRpmLimit(app: App, key: VirtualKey): Promise<void> {
  if (key.rpm === null) return;
  const peek = await app.counters.takeFromWindow(`rpm:${key.id}`, 0, key.rpm - 1, minute);
  if (!peek.ok) {
    app.metrics.countRejection('rpm');
    throw new BreakwaterError('RATE_LIMIT_EXCEEDED', `This key may make ${key.rpm} requests per minute; wait and retry.`, {
      retryAfterSeconds: Math.ceil(peek.retryAfterMs / 1000),
      details: { limit: key.rpm, window: '60s' },
    });
  }
}

/** The virtual key of a `key` route's caller. */
export function callerKey(request: FastifyRequest): VirtualKey {
  if (request.caller.kind !== 'key') throw new Error(`route ${request.routeOptions.url} expected a virtual key caller`);
  return request.caller.key;
}

/** True on an `admin` or `admin-or-key` route when the caller presented the admin token. */
export function callerIsAdmin(request: FastifyRequest): boolean {
  return request.caller.kind === 'admin';
}

/**
 * The tenant an `admin-or-key` route's reads are held to: a key's own; for the admin, the tenant
 * it names in `requested`, or undefined (every tenant). A key naming another tenant is refused:
 * `what` says what it lists ("jobs", "runs").
 */
export function callerTenantScope(request: FastifyRequest, requested?: string, what = 'resources'): string | undefined {
  if (callerIsAdmin(request)) return requested;
  const own = callerKey(request).tenant;
  if (requested !== undefined && requested !== own) {
    throw new BreakwaterError('INVALID_REQUEST', `tenant: a virtual key lists its own tenant's ${what} only; drop the parameter.`, { param: 'tenant' });
  }
  return own;
}
