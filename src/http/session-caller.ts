import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { presentedKey } from './request-context.js';
import type { Access, Caller } from './caller.js';
import { requestSession, uiSessions } from './ui-session.js';

/**
 * The caller a dashboard session cookie stands for, under the same access rules as a bearer
 * token: an admin session reaches what the admin token reaches, a key session what its key
 * reaches (its own tenant), never more. Undefined when the request carries no session or
 * presents a token of its own (an explicit credential wins over a cookie).
 */
export async function sessionCaller(app: App, request: FastifyRequest, access: Access | undefined): Promise<Caller | undefined> {
  if (access === undefined || access === 'public' || access === 'metrics') return undefined;
  if (presentedKey(request) !== undefined) return undefined;
  const session = requestSession(app, request);
  if (!session) return undefined;
  uiSessions(app).checkCsrf(request, session);
  if (session.subject.kind === 'admin') {
    if (app.adminToken === undefined) throw new BreakwaterError('UI_SESSION_INVALID', 'The admin API is disabled now; log in again at /ui with a virtual key.');
    if (access === 'key') {
      throw new BreakwaterError('MISSING_API_KEY', 'This endpoint works within one tenant: log in to the dashboard with a virtual key of that tenant to see its data.');
    }
    return { kind: 'admin' };
  }
  if (access === 'admin')
    throw new BreakwaterError('ADMIN_TOKEN_INVALID', 'This needs the admin token; a virtual key session cannot use the admin API. Log in at /ui with the admin token.');
  const key = await app.keys.find(session.subject.keyId);
  if (!key || key.revokedAt !== null)
    throw new BreakwaterError('UI_SESSION_INVALID', 'The key this dashboard session was opened with has been revoked; log in again with a valid key.');
  return { kind: 'key', key };
}
