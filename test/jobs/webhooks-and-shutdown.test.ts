import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/core/webhooks/signature.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { submitJob, untilJobEnds } from '../support/jobs.js';

const secret = 'whsec-test-0123456789abcdef';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1:0 whose answers are scripted per request. */
async function receiver(answer: (index: number) => number) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const index = received.push({ headers: request.headers, body }) - 1;
    response.writeHead(answer(index)).end();
    waiters.splice(0).forEach((wake) => wake());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** Resolves once `count` deliveries have arrived. */
    async until(count: number) {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('job webhooks: signed, retried, logged, SSRF-checked', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(
      {
        providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
        models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
        jobs: { pollMs: 50, recoverMs: 100 },
        webhooks: { secrets: [{ env: 'WEBHOOK_SECRET' }], allow: ['127.0.0.1'], retryBaseMs: 20, pollMs: 20 },
      },
      { env: { WEBHOOK_SECRET: secret } },
    );
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('delivers a signed job.succeeded webhook, retries a 500, and logs every attempt on the job', async () => {
    const hooks = await receiver((index) => (index === 0 ? 500 : 204));
    try {
      const job = (
        await submitJob(test, key, { kind: 'chat', request: { model: 'gpt-test', messages: [{ role: 'user', content: 'notify me' }] }, webhook: { url: hooks.url } })
      ).json();
      await untilJobEnds(test, key, job.id);
      await hooks.until(2);
      const [first, second] = hooks.received;
      assert.equal(first!.body, second!.body, 'a retry resends the same body');
      assert.equal(first!.headers['breakwater-webhook-id'], second!.headers['breakwater-webhook-id'], 'and the same delivery id, for deduplication');
      const payload = JSON.parse(second!.body);
      assert.equal(payload.type, 'job.succeeded');
      assert.equal(payload.data.id, job.id);
      assert.equal(payload.data.status, 'succeeded', 'the body shows the job after the change');
      assert.deepEqual(verifySignature({ body: second!.body, header: second!.headers['breakwater-signature'] as string, secrets: [secret] }), { ok: true });
      assert.equal(verifySignature({ body: second!.body.replace('succeeded', 'failed'), header: second!.headers['breakwater-signature'] as string, secrets: [secret] }).ok, false);
      // The attempt is recorded just after the receiver answered: wait for the log to say delivered.
      let deliveries: Array<{ status: string; attempts: number; last_status: number }> = [];
      for (let tries = 0; tries < 100; tries++) {
        deliveries = (await test.server.inject({ method: 'GET', url: `/v1/jobs/${job.id}`, headers: bearer(key) })).json().webhook_deliveries;
        if (deliveries[0]?.status === 'delivered') break;
        await test.app.store.deliveries.ofJob(job.id); // yields to the dispatcher's commit
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(deliveries.length, 1);
      assert.equal(deliveries[0]!.status, 'delivered');
      assert.equal(deliveries[0]!.attempts, 2);
      assert.equal(deliveries[0]!.last_status, 204);
    } finally {
      await hooks.close();
    }
  });

  it('refuses webhook targets on private or loopback addresses unless allowed', async () => {
    for (const url of ['http://10.0.0.8/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/x', 'file:///etc/passwd']) {
      const response = await submitJob(test, key, { kind: 'chat', request: { model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] }, webhook: { url } });
      assert.equal(response.statusCode, 400, url);
      assert.equal(response.json().error.code, 'WEBHOOK_TARGET_FORBIDDEN', url);
      assert.equal(response.json().error.param, 'webhook.url');
    }
  });
});

describe('graceful shutdown', () => {
  it('gives running jobs back to the queue without counting the attempt, and a restart finishes them', async () => {
    const upstream = await OpenAIUpstream.start();
    const arrived: Array<() => void> = [];
    let hold = true;
    upstream.script = async (_request, response) => {
      if (!hold) return false;
      arrived.splice(0).forEach((wake) => wake());
      await once(response, 'close'); // hangs until the worker gives up the call
      return true;
    };
    const config = {
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
      jobs: { pollMs: 50, recoverMs: 100, shutdownGraceMs: 0 },
    };
    const first = await startTestApp(config);
    const key = await first.key();
    const reached = new Promise<void>((resolve) => arrived.push(resolve));
    const job = (await submitJob(first, key, { kind: 'chat', request: { model: 'gpt-test', messages: [{ role: 'user', content: 'slow' }] } })).json();
    await reached;
    await first.app.worker!.stop(0);
    const released = await first.app.store.jobs.getJob(job.id);
    assert.equal(released?.status, 'running', 'the store still says running: the next claim takes it over');
    assert.deepEqual(await first.app.queue.depth(), { ready: 1, delayed: 0, leased: 0, dead: 0 }, 'the queue item is ready again at once');
    hold = false;
    first.app.worker!.start();
    const { job: done } = await untilJobEnds(first, key, job.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.attempts, 1, 'a released claim does not count as an attempt');
    await first.close();
    await upstream.close();
  });
});
