import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { PostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { TargetPolicy } from '../../src/adapters/webhooks/ssrf-guard.js';
import { WebhookSender } from '../../src/adapters/webhooks/webhook-sender.js';
import { webhookEntry } from '../../src/core/jobs/job-webhooks.js';
import { WebhookDispatcher } from '../../src/core/jobs/webhook-dispatcher.js';
import type { NewJob } from '../../src/core/ports/job-store.js';

const connectionString = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bw_test_webhooks_${randomBytes(4).toString('hex')}`;
const admin = new pg.Pool({ connectionString, max: 1 });

after(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

/** A receiver on port 0 that counts each delivery id and answers 204 after a few ms, as real receivers take a while. */
async function startReceiver(expected: number) {
  const received = new Map<string, number>();
  const events = new EventTarget();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['breakwater-webhook-id']);
      received.set(id, (received.get(id) ?? 0) + 1);
      setTimeout(() => response.writeHead(204).end(), 5 + Math.floor(Math.random() * 20));
      if (received.size === expected) events.dispatchEvent(new Event('all'));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const all = new Promise<void>((resolve) => events.addEventListener('all', () => resolve(), { once: true }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, all, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Webhook dispatchers on two worker nodes sharing one PostgreSQL', () => {
  test('each delivery reaches the receiver exactly once (two dispatchers used to send every delivery twice)', async () => {
    await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
    const url = new URL(connectionString);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const nodes = [await PostgresStore.open({ connectionString: url.toString(), poolSize: 4 }), await PostgresStore.open({ connectionString: url.toString(), poolSize: 4 })];
    const count = 150;
    const receiver = await startReceiver(count);
    const senders = nodes.map(() => new WebhookSender({ policy: new TargetPolicy({ allow: ['127.0.0.1'] }), secrets: ['whsec_test'], timeoutMs: 5_000 }));
    const errors: unknown[] = [];
    const dispatchers = nodes.map(
      (node, index) =>
        new WebhookDispatcher({
          deliveries: node.deliveries,
          transport: senders[index]!,
          retryDelayMs: () => 100,
          maxAttempts: 3,
          pollMs: 10,
          concurrency: 16,
          leaseMs: 30_000,
          onError: (error) => errors.push(error),
        }),
    );
    try {
      const now = Date.now();
      for (let i = 0; i < count; i++) {
        const job: NewJob = {
          id: `job_${schema}_${i}`,
          tenant: 'tenant-a',
          keyId: 'key-a',
          kind: 'chat',
          pipeline: null,
          priority: 0,
          source: null,
          webhookUrl: receiver.url,
          idempotencyKey: null,
          requestHash: 'hash',
          maxAttempts: 1,
          metadata: {},
          createdAt: now,
          runAt: now,
          deadline: null,
        };
        await nodes[0]!.jobs.createJob(job, [new Uint8Array()], { id: job.id, tenant: job.tenant, maxAttempts: 1 });
        await nodes[0]!.jobs.startJob(job.id, 1, 1, now);
        await nodes[0]!.jobs.completeJob(job.id, 1, {}, now, { webhooks: () => [webhookEntry(receiver.url, 'job.succeeded', { id: job.id }, now)] });
      }
      for (const dispatcher of dispatchers) dispatcher.start();
      await receiver.all;
      // stop() waits for the ticks in flight: every send has been answered and recorded after it.
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));

      const twice = [...receiver.received].filter(([, times]) => times !== 1);
      assert.deepEqual(twice, [], 'no delivery was received twice');
      assert.equal(receiver.received.size, count);
      const rows = await admin.query<{ status: string; attempts: number; n: string }>(
        `SELECT status, attempts, count(*) AS n FROM ${pg.escapeIdentifier(schema)}.webhook_deliveries GROUP BY status, attempts`,
      );
      assert.deepEqual(
        rows.rows.map((row) => [row.status, row.attempts, Number(row.n)]),
        [['delivered', 1, count]],
      );
      assert.deepEqual(errors, []);
    } finally {
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
      await Promise.all(senders.map((sender) => sender.close()));
      await receiver.close();
      await Promise.all(nodes.map((node) => node.close()));
    }
  });
});
