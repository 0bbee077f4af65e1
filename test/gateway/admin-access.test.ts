import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawRequest } from '../support/raw-http.js';
import { adminToken, listenOnSocket, mockModelConfig, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Regression: `POST /v1/%61dmin/keys` with no token minted a key in any tenant, because the
 * admin check read the raw URL prefix while the router decoded the path. Authorization now
 * belongs to the matched route. This matrix sends every admin route, under every spelling a
 * router might normalise, over a real socket (so the request line reaches Fastify untouched),
 * with no token and with a tenant's key, and checks nothing happened.
 */

/** Spellings of one path that a router, a proxy or a URL parser may treat as the same route. */
function spellings(path: string, port: number): string[] {
  const [, first, ...rest] = path.split('/'); // '', 'v1', 'admin', 'keys', …
  const tail = rest.join('/');
  const escapeFirstLetter = (segment: string) => `%${segment.charCodeAt(0).toString(16)}${segment.slice(1)}`;
  const escapeUpper = (segment: string) => `%${segment.charCodeAt(0).toString(16).toUpperCase()}${segment.slice(1)}`;
  const admin = rest[0]!;
  const afterAdmin = rest.slice(1).join('/');
  return [
    path,
    `/${first}/${escapeFirstLetter(admin)}/${afterAdmin}`,
    `/${first}/${escapeUpper(admin)}/${afterAdmin}`,
    `/${escapeFirstLetter(first!)}/${tail}`,
    `/${first}/${admin}/${afterAdmin.split('/').map(escapeFirstLetter).join('/')}`,
    `/${first}/${admin
      .split('')
      .map((letter) => `%${letter.charCodeAt(0).toString(16)}`)
      .join('')}/${afterAdmin}`,
    `/${first}/${admin}%2F${afterAdmin}`,
    `/${first}%2F${admin}/${afterAdmin}`,
    `//${first}/${tail}`,
    `/${first}//${tail}`,
    `/${first}/${admin}//${afterAdmin}`,
    `/${first}/./${tail}`,
    `/${first}/x/../${tail}`,
    `/${first}/%2e/${tail}`,
    `/${first}/x/%2e%2e/${tail}`,
    `/${first!.toUpperCase()}/${tail.toUpperCase()}`,
    `/${first}/${admin[0]!.toUpperCase()}${admin.slice(1)}/${afterAdmin}`,
    `${path}/`,
    `${path};`,
    `${path};x=1`,
    `/${first}/${admin};x=1/${afterAdmin}`,
    `${path}?`,
    `${path}?x=1`,
    `${path}?tenant=victim#frag`,
    `${path}#`,
    `http://127.0.0.1:${port}${path}`,
    `http://evil.example${path}`,
    `http://127.0.0.1:${port}/${first}/${escapeFirstLetter(admin)}/${afterAdmin}`,
    `HTTP://127.0.0.1:${port}${path}`,
  ];
}

describe('admin routes: authorization on the matched route, under every spelling', () => {
  let test: TestApp;
  let port: number;
  let tenantKey: string;
  let victimKeyId: string;

  before(async () => {
    test = await startTestApp(mockModelConfig);
    port = await listenOnSocket(test);
    tenantKey = await test.key({ name: 'tenant-a', tenant: 'tenant-a' });
    victimKeyId = (await test.app.keys.create({ name: 'victim', tenant: 'victim' })).key.id;
  });

  after(() => test.close());

  it('declares admin access on every /v1/admin route the server has', () => {
    const adminRoutes = test.server.routeAccessTable.filter((route) => route.url.startsWith('/v1/admin'));
    assert.ok(adminRoutes.length >= 4, `admin routes found: ${JSON.stringify(adminRoutes)}`);
    for (const route of adminRoutes) assert.equal(route.access, 'admin', `${route.method} ${route.url}`);
  });

  it('the admin token works on the plain spelling (the control: the matrix below can fail)', async () => {
    const created = await rawRequest(port, 'POST', '/v1/admin/keys', { authorization: `Bearer ${adminToken}` }, JSON.stringify({ name: 'control', tenant: 'control' }));
    assert.equal(created.status, 201, created.body);
    const absolute = await rawRequest(port, 'GET', `http://127.0.0.1:${port}/v1/admin/keys`, { authorization: `Bearer ${adminToken}` });
    assert.equal(absolute.status, 200, 'an absolute-form target reaches the same route, so spelling alone must never grant access');
  });

  for (const caller of ['no token', 'a tenant key'] as const) {
    it(`refuses every admin route under every spelling with ${caller}, and changes nothing`, async () => {
      const headers: Record<string, string> = caller === 'no token' ? {} : { authorization: `Bearer ${tenantKey}` };
      const keysBefore = (await test.app.keys.list()).map((key) => `${key.id}:${key.revokedAt}`).sort();
      const adminRoutes = test.server.routeAccessTable.filter((route) => route.access === 'admin');
      let sent = 0;
      for (const route of adminRoutes) {
        const path = route.url.replace(':id', victimKeyId);
        for (const target of spellings(path, port)) {
          const body = route.method === 'POST' ? JSON.stringify({ name: 'minted', tenant: 'victim' }) : undefined;
          const response = await rawRequest(port, route.method, target, headers, body);
          sent++;
          assert.ok(response.status >= 400 && response.status < 500, `${route.method} ${target} with ${caller} answered ${response.status}: ${response.body}`);
          const envelope = JSON.parse(response.body) as { error?: { code?: unknown; message?: unknown } };
          assert.equal(typeof envelope.error?.code, 'string', `${route.method} ${target}: not the error envelope: ${response.body}`);
          assert.doesNotMatch(response.body, /"key":"bw_/, `${route.method} ${target} leaked a secret`);
        }
      }
      assert.ok(sent >= 100, `matrix size ${sent}`);
      const keysAfter = (await test.app.keys.list()).map((key) => `${key.id}:${key.revokedAt}`).sort();
      assert.deepEqual(keysAfter, keysBefore, 'no key was created or revoked');
    });
  }

  it('admin-or-key routes give a tenant key only its own tenant', async () => {
    const other = await rawRequest(port, 'DELETE', '/v1/cache/semantic?tenant=victim', { authorization: `Bearer ${tenantKey}` });
    assert.equal(other.status, 400);
    assert.equal(JSON.parse(other.body).error.param, 'tenant');
    const usage = await rawRequest(port, 'GET', `/v1/usage?key_id=${victimKeyId}`, { authorization: `Bearer ${tenantKey}` });
    assert.equal(usage.status, 200);
    for (const row of JSON.parse(usage.body).data as Array<{ key_id: string }>) assert.notEqual(row.key_id, victimKeyId);
  });
});

describe('admin routes with the admin API disabled', () => {
  it('answers ADMIN_API_DISABLED under every spelling and mints nothing', async () => {
    const test = await startTestApp({}, { env: { BREAKWATER_ADMIN_TOKEN: '' } });
    try {
      const port = await listenOnSocket(test);
      for (const target of spellings('/v1/admin/keys', port)) {
        const response = await rawRequest(port, 'POST', target, {}, JSON.stringify({ name: 'minted', tenant: 'victim' }));
        assert.ok([403, 404, 400].includes(response.status), `${target} answered ${response.status}: ${response.body}`);
      }
      assert.deepEqual(await test.app.keys.list(), []);
    } finally {
      await test.close();
    }
  });
});

describe('every route declares who may call it', () => {
  it('a route registered without config.access stops the server from starting', async () => {
    const test = await startTestApp({});
    try {
      const Fastify = (await import('fastify')).default;
      const { routeAccess } = await import('../../src/http/route-access.js');
      const server = Fastify();
      routeAccess(test.app, server);
      await assert.rejects(async () => {
        server.get('/v1/undeclared', async () => ({}));
        await server.ready();
      }, /declares no access/);
      await server.close();
    } finally {
      await test.close();
    }
  });
});
