import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamConfig } from '../support/test-app.js';

/**
 * The dashboard's session cookie stands for the token it was opened with and never for more:
 * a key session sees its own tenant and no admin route; a changed cookie, a revoked key and a
 * state-changing call without the CSRF token are refused.
 */
let upstream: OpenAIUpstream;
let app: TestApp;

before(async () => {
  upstream = await OpenAIUpstream.start();
  app = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: 'sk-test' } });
});
after(async () => {
  await app.close();
  await upstream.close();
});

async function login(token: string) {
  const response = await app.server.inject({ method: 'POST', url: '/ui/api/session', payload: { token } });
  assert.equal(response.statusCode, 201, response.body);
  const cookies = response.cookies as Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string; maxAge?: number }>;
  const session = cookies.find((cookie) => cookie.name === 'bw_session')!;
  const csrf = cookies.find((cookie) => cookie.name === 'bw_csrf')!;
  return {
    session,
    csrf,
    body: response.json() as { kind: string; csrf_token: string; key: { tenant: string } | null },
    cookie: `bw_session=${session.value}; bw_csrf=${csrf.value}`,
  };
}

test('login sets an httpOnly SameSite=Strict session cookie; a wrong token gets no session', async () => {
  const opened = await login(adminToken);
  assert.equal(opened.body.kind, 'admin');
  assert.equal(opened.session.httpOnly, true);
  assert.equal(opened.session.sameSite, 'Strict');
  assert.equal(opened.csrf.httpOnly, undefined, 'the CSRF cookie is readable by the page');
  assert.equal(opened.body.csrf_token, opened.csrf.value);
  const wrong = await app.server.inject({ method: 'POST', url: '/ui/api/session', payload: { token: 'bw_not-a-key' } });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().error.code, 'INVALID_API_KEY');
  assert.equal(wrong.headers['set-cookie'], undefined);
});

test('an admin session reaches the admin API; a key session does not, and sees only its own tenant', async () => {
  const admin = await login(adminToken);
  assert.equal((await app.server.inject({ method: 'GET', url: '/v1/admin/keys', headers: { cookie: admin.cookie } })).statusCode, 200);

  const alpha = await app.key({ name: 'alpha', tenant: 'alpha' });
  const beta = await app.key({ name: 'beta', tenant: 'beta' });
  const betaJob = await app.server.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: bearer(beta),
    payload: { kind: 'chat', request: { model: 'gpt-test', messages: [{ role: 'user', content: 'beta only' }] } },
  });
  assert.equal(betaJob.statusCode, 202);
  const session = await login(alpha);
  assert.equal(session.body.kind, 'key');
  assert.equal(session.body.key?.tenant, 'alpha');
  const adminRoute = await app.server.inject({ method: 'GET', url: '/v1/admin/keys', headers: { cookie: session.cookie } });
  assert.equal(adminRoute.statusCode, 401);
  assert.equal(adminRoute.json().error.code, 'ADMIN_TOKEN_INVALID');
  const jobs = await app.server.inject({ method: 'GET', url: '/v1/jobs', headers: { cookie: session.cookie } });
  assert.equal(jobs.statusCode, 200);
  assert.deepEqual(jobs.json().data, [], "beta's job is not in alpha's list");
  const betaRead = await app.server.inject({ method: 'GET', url: `/v1/jobs/${betaJob.json().id}`, headers: { cookie: session.cookie } });
  assert.equal(betaRead.statusCode, 404);
});

test('a state-changing call by cookie needs the CSRF header matching the session; a bearer call needs none', async () => {
  const admin = await login(adminToken);
  const victim = await app.app.keys.create({ name: 'victim' });
  const url = `/v1/admin/keys/${victim.key.id}`;
  const noHeader = await app.server.inject({ method: 'DELETE', url, headers: { cookie: admin.cookie } });
  assert.equal(noHeader.statusCode, 403);
  assert.equal(noHeader.json().error.code, 'CSRF_TOKEN_INVALID');
  const other = await login(adminToken);
  const wrongSession = await app.server.inject({ method: 'DELETE', url, headers: { cookie: admin.cookie, 'x-csrf-token': other.body.csrf_token } });
  assert.equal(wrongSession.statusCode, 403, "another session's token does not fit this session");
  assert.equal((await app.app.keys.find(victim.key.id))?.revokedAt, null, 'nothing was revoked');
  const withHeader = await app.server.inject({ method: 'DELETE', url, headers: { cookie: admin.cookie, 'x-csrf-token': admin.body.csrf_token } });
  assert.equal(withHeader.statusCode, 200);
  assert.notEqual((await app.app.keys.find(victim.key.id))?.revokedAt, null);
  const byBearer = await app.server.inject({ method: 'POST', url: '/v1/admin/keys', headers: { authorization: `Bearer ${adminToken}` }, payload: { name: 'scripted' } });
  assert.equal(byBearer.statusCode, 201);
});

test('a tampered cookie and a revoked key end the session', async () => {
  const secret = await app.key({ name: 'short-lived', tenant: 'gamma' });
  const session = await login(secret);
  const [payload, signature] = session.session.value.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, s: 'admin' })).toString('base64url');
  const tampered = await app.server.inject({ method: 'GET', url: '/v1/admin/keys', headers: { cookie: `bw_session=${forged}.${signature}` } });
  assert.equal(tampered.statusCode, 401);
  assert.equal(tampered.json().error.code, 'UI_SESSION_INVALID');

  assert.equal((await app.server.inject({ method: 'GET', url: '/v1/jobs', headers: { cookie: session.cookie } })).statusCode, 200);
  const id = (await app.app.keys.list()).find((key) => key.name === 'short-lived')!.id;
  await app.app.keys.revoke(id);
  const afterRevoke = await app.server.inject({ method: 'GET', url: '/v1/jobs', headers: { cookie: session.cookie } });
  assert.equal(afterRevoke.statusCode, 401);
  assert.equal(afterRevoke.json().error.code, 'UI_SESSION_INVALID');
  assert.deepEqual((await app.server.inject({ method: 'GET', url: '/ui/api/session', headers: { cookie: session.cookie } })).json(), { authenticated: false });
});

test('the bundle is served with caching headers: hashed assets immutable, the page revalidated', async () => {
  const page = await app.server.inject({ method: 'GET', url: '/ui/jobs' });
  assert.equal(page.statusCode, 200, 'run `npm run build` first: the tests serve dist/ui');
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  const asset = /\/ui\/(assets\/[^"]+\.js)/.exec(page.body)?.[1];
  assert.ok(asset, 'the page links its script');
  const script = await app.server.inject({ method: 'GET', url: `/ui/${asset}` });
  assert.equal(script.statusCode, 200);
  assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal((await app.server.inject({ method: 'GET', url: '/ui/assets/missing.js' })).statusCode, 404);
  assert.equal((await app.server.inject({ method: 'GET', url: '/ui/api/nothing' })).statusCode, 404);
});
