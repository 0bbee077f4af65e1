import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../errors/breakwater-error.js';
import type { WebhookDelivery, WebhookDeliveryStore } from '../ports/webhook-delivery-store.js';
import type { WebhookTransport } from '../ports/webhook-transport.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

const delivery: WebhookDelivery = {
  id: 'whd_1',
  jobId: 'job_1',
  tenant: 'acme',
  url: 'https://hooks.example/breakwater',
  eventType: 'job.succeeded',
  body: '{}',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: 0,
  lastStatus: null,
  lastError: null,
  createdAt: 0,
  updatedAt: 0,
};

/** A store whose database is down for the first `failures` records; the delivery is claimable until one is recorded. */
function storeDownFor(failures: number, error: unknown) {
  const calls = { claims: 0, records: 0, recorded: [] as string[] };
  const deliveries = {
    async claim() {
      calls.claims++;
      return calls.recorded.length === 0 ? [delivery] : [];
    },
    async recordAttempt(id: string) {
      if (++calls.records <= failures) throw error;
      calls.recorded.push(id);
      return true;
    },
  } as unknown as WebhookDeliveryStore;
  return { deliveries, calls };
}

function countingTransport() {
  const sent: string[] = [];
  const transport: WebhookTransport = {
    checkTarget() {},
    async deliver({ deliveryId }) {
      sent.push(deliveryId);
      return { ok: true, status: 204, error: null, durationMs: 1, retry: false };
    },
  };
  return { transport, sent };
}

const unavailable = new BreakwaterError('DEPENDENCY_UNAVAILABLE', 'PostgreSQL (the store) does not answer; retry shortly.');

test('a webhook sent while the store cannot record it is recorded once the store is back, not sent again', async () => {
  const { deliveries, calls } = storeDownFor(3, unavailable);
  const { transport, sent } = countingTransport();
  const errors: unknown[] = [];
  const dispatcher = new WebhookDispatcher({
    deliveries,
    transport,
    retryDelayMs: () => 1_000,
    maxAttempts: 3,
    pollMs: 60_000,
    concurrency: 4,
    leaseMs: 30_000,
    onError: (error) => errors.push(error),
  });
  await dispatcher.tick();
  await dispatcher.tick();
  assert.deepEqual(sent, ['whd_1'], 'sent once');
  assert.deepEqual(calls.recorded, ['whd_1'], 'and recorded once the store answered');
  assert.equal(calls.records, 4);
  assert.deepEqual(errors, []);
});

test('a record that fails for another reason is not retried: the error is reported', async () => {
  const broken = new Error('column "attempts" does not exist');
  const { deliveries, calls } = storeDownFor(1, broken);
  const { transport } = countingTransport();
  const errors: unknown[] = [];
  const dispatcher = new WebhookDispatcher({
    deliveries,
    transport,
    retryDelayMs: () => 1_000,
    maxAttempts: 3,
    pollMs: 60_000,
    concurrency: 4,
    leaseMs: 30_000,
    onError: (error) => errors.push(error),
  });
  await dispatcher.tick();
  assert.equal(calls.records, 1);
  assert.deepEqual(errors, [broken]);
});

test('retrying a record stops before the lease runs out, so no other dispatcher can hold the delivery meanwhile', async () => {
  const { deliveries, calls } = storeDownFor(Number.POSITIVE_INFINITY, unavailable);
  const { transport } = countingTransport();
  const errors: unknown[] = [];
  let now = 0;
  const dispatcher = new WebhookDispatcher({
    deliveries,
    transport,
    retryDelayMs: () => 1_000,
    maxAttempts: 3,
    pollMs: 60_000,
    concurrency: 4,
    leaseMs: 2_500,
    onError: (error) => errors.push(error),
    now: () => (now += 100),
  });
  await dispatcher.tick();
  assert.ok(calls.records >= 1 && calls.records <= 3, `${calls.records} record attempts within a 2.5 s lease`);
  assert.deepEqual(errors, [unavailable]);
});
