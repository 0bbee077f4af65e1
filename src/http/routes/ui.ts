import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { keyView } from './admin-keys.js';
import { tokenMatches } from '../admin-auth.js';
import { parseBody } from '../parse-body.js';
import { requestSession, setSessionCookies, uiSessions, type Session } from '../ui-session.js';

const loginSchema = z.object({ token: z.string().min(1).max(512) }).strict();

/**
 * Where the built dashboard is: `dist/ui` beside the compiled server, or, when the server runs
 * from its TypeScript source (tests, `tsx`), the repository's `dist/ui` after `npm run build`.
 */
export function uiDirectory(): string | undefined {
  for (const candidate of ['../../ui/', '../../../dist/ui/']) {
    const directory = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${directory}index.html`)) return directory;
  }
  return undefined;
}

/** The page's own rules: scripts and styles only from this origin; never framed. */
const pageHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * The dashboard: its built bundle at /ui (hashed assets cached for a year, the page itself
 * revalidated every time) and its session endpoints. Logging in exchanges the admin token or a
 * virtual key for an httpOnly, SameSite=Strict session cookie; the data itself comes from the
 * /v1 API, which accepts the cookie under the same access rules as the token (session-caller.ts).
 */
export function uiRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const sessions = uiSessions(app);
    const publicRoute = { config: { access: 'public' as const } };
    const maxAgeSeconds = app.config.ui.sessionMinutes * 60;

    const describe = async (session: Session) => {
      const base = { authenticated: true, csrf_token: sessions.csrfFor(session), expires_at: Math.floor(session.expiresAt / 1000) };
      if (session.subject.kind === 'admin') return { ...base, kind: 'admin' as const, key: null };
      const key = await app.keys.find(session.subject.keyId);
      if (!key || key.revokedAt !== null) return undefined;
      return { ...base, kind: 'key' as const, key: keyView(key) };
    };

    // JSON only: a form on another site cannot send it without a CORS preflight this server never grants.
    server.post('/ui/api/session', publicRoute, async (request, reply) => {
      const { token } = parseBody(loginSchema, request.body);
      const subject =
        app.adminToken !== undefined && tokenMatches(token, app.adminToken)
          ? ({ kind: 'admin' } as const)
          : ({ kind: 'key', keyId: (await app.keys.authenticate(token)).id } as const);
      const issued = sessions.issue(subject);
      setSessionCookies(request, reply, { cookie: issued.cookie, csrf: issued.csrf, maxAgeSeconds });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(await describe(issued.session));
    });

    server.get('/ui/api/session', publicRoute, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      let session: Session | undefined;
      try {
        session = requestSession(app, request);
      } catch {
        session = undefined;
      }
      const described = session && (await describe(session));
      if (!described) {
        if (request.headers.cookie) setSessionCookies(request, reply, { cookie: '', csrf: '', maxAgeSeconds: 0 });
        return { authenticated: false };
      }
      return described;
    });

    server.delete('/ui/api/session', publicRoute, async (request, reply) => {
      const session = requestSession(app, request);
      if (session) sessions.checkCsrf(request, session);
      setSessionCookies(request, reply, { cookie: '', csrf: '', maxAgeSeconds: 0 });
      return reply.code(204).send();
    });

    const root = uiDirectory();
    if (root) await server.register(fastifyStatic, { root, serve: false, index: false });
    const sendPage = (reply: FastifyReply) => {
      if (!root) throw new BreakwaterError('NOT_FOUND', 'The dashboard is not built: run `npm run build` (it writes dist/ui), then restart.');
      return reply.headers(pageHeaders).header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    };
    server.get('/ui', publicRoute, async (_request, reply) => sendPage(reply));
    server.get<{ Params: { '*': string } }>('/ui/*', publicRoute, async (request, reply) => {
      const path = request.params['*'];
      // Vite names every asset after its content hash, so a cached copy is never stale.
      if (path.startsWith('assets/') && root) return reply.headers(pageHeaders).sendFile(path, { maxAge: '365d', immutable: true });
      if (path.startsWith('api/')) throw new BreakwaterError('NOT_FOUND', `No route ${request.method} /ui/${path}; docs/dashboard.md lists the dashboard's endpoints.`);
      // Any other path is a page of the single-page app (a reload on /ui/jobs).
      return sendPage(reply);
    });
  };
}
