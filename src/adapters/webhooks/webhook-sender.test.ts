import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { verifySignature } from '../../core/webhooks/signature.js';
import { TargetPolicy } from './ssrf-guard.js';
import { WebhookSender } from './webhook-sender.js';

const secret = 'whsec_test_do_not_leak';
const body = JSON.stringify({ id: 'whd_1', type: 'job.succeeded', created_at: 1_767_225_600, data: { id: 'job_1' } });

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('WebhookSender', () => {
  const received: Received[] = [];
  let server: Server;
  let base: string;
  let sender: WebhookSender;

  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (request.url === '/hang') return; // never answers
        if (request.url === '/redirect') return response.writeHead(302, { location: '/ok' }).end();
        if (request.url === '/big') return response.writeHead(200).end(Buffer.alloc(1024 * 1024, 'x'));
        const status = Number(/^\/status\/(\d+)$/.exec(request.url ?? '')?.[1] ?? 200);
        response.writeHead(status, { 'content-type': 'text/plain' }).end('thanks');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sender = new WebhookSender({ policy: new TargetPolicy({ allow: ['127.0.0.1'] }), secrets: [secret], timeoutMs: 500, userAgent: 'Breakwater/test' });
  });

  after(async () => {
    await sender.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const deliver = (path: string, deliveryId = 'whd_1') => sender.deliver({ url: `${base}${path}`, body, deliveryId });
  const lastFor = (path: string) => received.filter((entry) => entry.path === path).at(-1);

  it('posts signed JSON and reports a 2xx as delivered', async () => {
    const outcome = await deliver('/ok', 'whd_ok');
    assert.deepEqual({ ...outcome, durationMs: 0 }, { ok: true, status: 200, error: null, durationMs: 0, retry: false });
    const request = lastFor('/ok')!;
    assert.equal(request.method, 'POST');
    assert.equal(request.body, body);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['user-agent'], 'Breakwater/test');
    assert.equal(request.headers['breakwater-webhook-id'], 'whd_ok');
    assert.match(String(request.headers['breakwater-webhook-timestamp']), /^\d{10}$/);
    const header = request.headers['breakwater-signature'] as string;
    assert.deepEqual(verifySignature({ body: request.body, header, secrets: [secret] }), { ok: true });
  });

  it('asks for a retry after a 500', async () => {
    const outcome = await deliver('/status/500');
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, 500);
    assert.equal(outcome.error, 'HTTP 500');
    assert.equal(outcome.retry, true);
  });

  it('stops after 410 Gone', async () => {
    const outcome = await deliver('/status/410');
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, 410);
    assert.equal(outcome.retry, false);
  });

  it('gives up on a server that never answers within the timeout', async () => {
    const outcome = await deliver('/hang');
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, null);
    assert.equal(outcome.error, 'timed out after 500 ms');
    assert.equal(outcome.retry, true);
    assert.ok(outcome.durationMs >= 450 && outcome.durationMs < 2500, `took ${outcome.durationMs} ms`);
  });

  it('does not follow a redirect', async () => {
    const before = received.filter((entry) => entry.path === '/ok').length;
    const outcome = await deliver('/redirect');
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, 302);
    assert.match(outcome.error ?? '', /redirects are not followed/);
    assert.equal(received.filter((entry) => entry.path === '/ok').length, before);
  });

  it('reads and discards a large answer without failing the delivery', async () => {
    const outcome = await deliver('/big');
    assert.equal(outcome.ok, true);
    assert.equal(outcome.status, 200);
  });

  it('turns a refused connection into an outcome, without the secret in it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const outcome = await sender.deliver({ url: `http://127.0.0.1:${port}/hook?token=abc`, body, deliveryId: 'whd_refused' });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.status, null);
    assert.equal(outcome.retry, true);
    assert.match(outcome.error ?? '', /ECONNREFUSED/);
    assert.ok(!outcome.error!.includes(secret) && !outcome.error!.includes('token=abc'));
    assert.ok(!outcome.error!.includes('127.0.0.1'), `no address in last_error: ${outcome.error}`);
  });

  it('keeps the resolved private address out of last_error and hands it to the operator log instead (a refused delivery used to show it to the tenant)', async () => {
    const failures: Array<{ deliveryId: string; host: string; reason: string }> = [];
    const guarded = new WebhookSender({ policy: new TargetPolicy({ allow: [] }), secrets: [secret], onFailure: (failure) => failures.push(failure) });
    try {
      const port = new URL(base).port;
      const outcome = await guarded.deliver({ url: `http://localhost:${port}/ok?token=abc`, body, deliveryId: 'whd_private' });
      assert.equal(outcome.retry, false);
      assert.equal(
        outcome.error,
        'The webhook URL points to or resolves to a loopback, private, link-local or reserved address; use a public https URL (or have an operator add the host to webhooks.allow).',
      );
      assert.equal(failures.length, 1);
      assert.equal(failures[0]!.deliveryId, 'whd_private');
      assert.equal(failures[0]!.host, `localhost:${port}`);
      assert.match(failures[0]!.reason, /localhost resolved to (127\.0\.0\.1|::1)/);
      assert.ok(!failures[0]!.reason.includes('token=abc'));
    } finally {
      await guarded.close();
    }
  });

  it('refuses a forbidden target for good, without connecting', async () => {
    const guarded = new WebhookSender({ policy: new TargetPolicy({ allow: [] }), secrets: [secret] });
    const count = received.length;
    try {
      for (const url of [`${base}/ok`, `http://localhost:${new URL(base).port}/ok`, 'ftp://example.com/']) {
        const outcome = await guarded.deliver({ url, body, deliveryId: 'whd_forbidden' });
        assert.equal(outcome.ok, false, url);
        assert.equal(outcome.status, null, url);
        assert.equal(outcome.retry, false, url);
        assert.match(outcome.error ?? '', /webhooks\.allow|http or https/, url);
      }
    } finally {
      await guarded.close();
    }
    assert.equal(received.length, count);
  });

  it('checks a target at submission, as the WebhookTransport port asks', () => {
    assert.doesNotThrow(() => sender.checkTarget(`${base}/ok`));
    assert.throws(
      () => sender.checkTarget('http://169.254.169.254/latest/meta-data/'),
      (error) => BreakwaterError.isInstance(error) && error.code === 'WEBHOOK_TARGET_FORBIDDEN' && error.param === 'webhook.url',
    );
  });

  it('needs at least one signing secret', () => {
    assert.throws(
      () => new WebhookSender({ policy: new TargetPolicy({ allow: [] }), secrets: [] }),
      (error) => BreakwaterError.isInstance(error) && error.code === 'CONFIG_INVALID',
    );
  });
});
