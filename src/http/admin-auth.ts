import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { presentedKey } from './request-context.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares a presented token with the configured one in constant time (over their digests). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && timingSafeEqual(digest(presented), digest(expected));
}

/** True when the request carries the admin token. */
export function isAdmin(app: App, request: FastifyRequest): boolean {
  return app.adminToken !== undefined && tokenMatches(presentedKey(request), app.adminToken);
}

export function requireAdmin(app: App, request: FastifyRequest): void {
  if (app.adminToken === undefined) {
    throw new BreakwaterError('ADMIN_API_DISABLED', 'The admin API is disabled; set BREAKWATER_ADMIN_TOKEN (or admin.token in the config) and restart.');
  }
  if (!isAdmin(app, request)) {
    throw new BreakwaterError('ADMIN_TOKEN_INVALID', 'The admin API needs "Authorization: Bearer <admin token>" with the configured admin token.');
  }
}
