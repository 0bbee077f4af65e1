import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';

/** The httpOnly cookie that carries a dashboard session. */
export const sessionCookie = 'bw_session';
/** The readable cookie with the session's CSRF token (double submit: sent back as `x-csrf-token`). */
export const csrfCookie = 'bw_csrf';
export const csrfHeader = 'x-csrf-token';

/** Who a session was opened for: the admin (every tenant) or one virtual key (its tenant). */
export type SessionSubject = { kind: 'admin' } | { kind: 'key'; keyId: string };

export interface Session {
  subject: SessionSubject;
  /** Random per login; the CSRF token is derived from it. */
  id: string;
  /** Epoch ms. */
  expiresAt: number;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Dashboard sessions as HMAC-signed cookies: `base64url(payload).base64url(signature)`, with
 * an expiry inside the signed payload. No server-side table, so any API node accepts a session
 * another node issued. The signing secret is derived from the admin token (rotating the token
 * ends every session); without an admin token only virtual keys can log in, and the secret is
 * random per process (a session then lasts until that node restarts).
 *
 * A key session names the key, not its tenant: the key is read again on each request, so a
 * revoked key's session ends at once, and a session never reaches further than the key would.
 */
export class UiSessions {
  private readonly secret: Buffer;

  constructor(
    adminToken: string | undefined,
    private readonly ttlMs: number,
  ) {
    this.secret = adminToken === undefined ? randomBytes(32) : createHash('sha256').update('breakwater ui session\0').update(adminToken).digest();
  }

  issue(subject: SessionSubject, now = Date.now()): { cookie: string; csrf: string; session: Session } {
    const session: Session = { subject, id: randomBytes(16).toString('base64url'), expiresAt: now + this.ttlMs };
    const payload = Buffer.from(JSON.stringify({ s: subject.kind === 'admin' ? 'admin' : `key:${subject.keyId}`, i: session.id, e: session.expiresAt })).toString('base64url');
    return { cookie: `${payload}.${this.sign(payload)}`, csrf: this.csrfFor(session), session };
  }

  /** The session a cookie value carries, or undefined when it is forged, malformed or expired. */
  verify(value: string, now = Date.now()): Session | undefined {
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = value.slice(0, dot);
    if (!equalStrings(value.slice(dot + 1), this.sign(payload))) return undefined;
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s?: unknown; i?: unknown; e?: unknown };
      if (typeof parsed.s !== 'string' || typeof parsed.i !== 'string' || typeof parsed.e !== 'number' || parsed.e <= now) return undefined;
      const subject: SessionSubject | undefined = parsed.s === 'admin' ? { kind: 'admin' } : parsed.s.startsWith('key:') ? { kind: 'key', keyId: parsed.s.slice(4) } : undefined;
      return subject && { subject, id: parsed.i, expiresAt: parsed.e };
    } catch {
      return undefined;
    }
  }

  csrfFor(session: Session): string {
    return createHmac('sha256', this.secret).update(`csrf\0${session.id}`).digest('base64url');
  }

  /**
   * Refuses a state-changing request whose `x-csrf-token` header is not this session's token
   * and the `bw_csrf` cookie's value. A page on another site can make the browser send the
   * cookies but can neither read them nor set the header.
   */
  checkCsrf(request: FastifyRequest, session: Session): void {
    if (safeMethods.has(request.method)) return;
    const header = request.headers[csrfHeader];
    const expected = this.csrfFor(session);
    if (typeof header !== 'string' || !equalStrings(header, expected) || !equalStrings(readCookie(request, csrfCookie) ?? '', expected)) {
      throw new BreakwaterError(
        'CSRF_TOKEN_INVALID',
        `This request is authenticated by the dashboard's session cookie and changes state, so it needs the "${csrfHeader}" header with the session's CSRF token (the ${csrfCookie} cookie).`,
      );
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** One cookie's value from the request's Cookie header (the dashboard sets only two). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Sets (or, with maxAgeSeconds 0, clears) the session and CSRF cookies. */
export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, values: { cookie: string; csrf: string; maxAgeSeconds: number }): void {
  // Secure only over HTTPS (a plain-HTTP laptop install would otherwise never keep the cookie).
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const common = `Path=/; SameSite=Strict; Max-Age=${values.maxAgeSeconds}${secure}`;
  reply.header('set-cookie', [`${sessionCookie}=${values.cookie}; HttpOnly; ${common}`, `${csrfCookie}=${values.csrf}; ${common}`]);
}

const sessionsByApp = new WeakMap<App, UiSessions>();

/** The app's session signer, made on first use. */
export function uiSessions(app: App): UiSessions {
  let sessions = sessionsByApp.get(app);
  if (!sessions) {
    sessions = new UiSessions(app.adminToken, app.config.ui.sessionMinutes * 60_000);
    sessionsByApp.set(app, sessions);
  }
  return sessions;
}

/** The session a request's cookie carries: undefined without a cookie; UI_SESSION_INVALID when it does not verify. */
export function requestSession(app: App, request: FastifyRequest): Session | undefined {
  const value = readCookie(request, sessionCookie);
  if (value === undefined || value === '') return undefined;
  const session = uiSessions(app).verify(value);
  if (!session) throw new BreakwaterError('UI_SESSION_INVALID', 'The dashboard session has expired or is not valid; log in again at /ui.');
  return session;
}
