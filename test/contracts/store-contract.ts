import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';
import type { JobRecord, NewJob } from '../../src/core/ports/job-store.js';
import type { Store } from '../../src/core/ports/store.js';
import { dispatchOutboxContract } from './dispatch-outbox-contract.js';
import { promptStoreContract } from './prompt-store-contract.js';
import { recordStoreContract } from './record-store-contract.js';
import { dispatchOf, input, newJob, record, runningJob as runningJobIn, t0, unique, usage, webhookFor } from './store-fixtures.js';

export { usage };

/**
 * The behaviour every Store adapter must have, as one suite. An adapter's test file calls
 * `storeContract(name, open)`; `open` gives a fresh, empty store. Every time the suite passes
 * is explicit (epoch ms), except the outbox lease, which runs on the store's own clock.
 */
export interface StoreHarness {
  store: Store;
  close(): Promise<void>;
}

const isCode = (code: string) => (error: unknown) => BreakwaterError.isInstance(error) && error.code === code;

export function storeContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(async () => {
      await h.close();
    });

    const runningJob = (overrides: Partial<NewJob> = {}, token = 1) => runningJobIn(store, overrides, token);

    describe('keys', () => {
      it('creates a key, finds it by hash and id, never returns the hash, and lists keys in creation order', async () => {
        const before = Date.now();
        const plain = await store.keys.createKey({
          id: 'key_0001', name: 'plain', hash: 'a'.repeat(64), prefix: 'bw_aaaa', tenant: 'key_0001',
          allowedModels: null, rpm: null, tpm: null, budget: null, tags: {}, piiPolicy: null,
        });
        assert.ok(plain.createdAt >= before && plain.createdAt <= Date.now());
        assert.equal(plain.revokedAt, null);
        assert.equal('hash' in plain, false);
        const limited = await store.keys.createKey({
          id: 'key_0002', name: 'limited', hash: 'b'.repeat(64), prefix: 'bw_bbbb', tenant: 'acme',
          allowedModels: ['fast', 'smart'], rpm: 60, tpm: 10_000, budget: { usd: 12.5, period: 'month' }, tags: { team: 'billing' }, piiPolicy: 'block',
        });
        assert.deepEqual(await store.keys.findKeyByHash('a'.repeat(64)), plain);
        assert.deepEqual(await store.keys.findKeyByHash('b'.repeat(64)), limited);
        assert.deepEqual(await store.keys.findKey('key_0002'), limited);
        assert.equal(await store.keys.findKeyByHash('c'.repeat(64)), undefined);
        assert.equal(await store.keys.findKey('key_missing'), undefined);
        assert.deepEqual(await store.keys.listKeys(), [plain, limited]);
      });

      it('revokes a key once (the first time stays) and answers undefined for an unknown key', async () => {
        await store.keys.createKey({
          id: 'key_r', name: 'r', hash: 'd'.repeat(64), prefix: 'bw_dddd', tenant: 'key_r',
          allowedModels: null, rpm: null, tpm: null, budget: null, tags: {}, piiPolicy: null,
        });
        assert.equal((await store.keys.revokeKey('key_r', t0))?.revokedAt, t0);
        assert.equal((await store.keys.revokeKey('key_r', t0 + 1_000))?.revokedAt, t0);
        assert.equal((await store.keys.findKeyByHash('d'.repeat(64)))?.revokedAt, t0);
        assert.equal(await store.keys.revokeKey('key_missing', t0), undefined);
      });
    });

    describe('ledger', () => {
      const day = 86_400_000;
      const rows = () => [
        usage({ ts: t0, keyId: 'key-a', alias: 'fast', costUsd: 0.1 }),
        usage({ ts: t0 + 1, keyId: 'key-a', alias: 'fast', costUsd: 0.2, cache: 'hit', inputTokens: 7, outputTokens: 3 }),
        usage({ ts: t0 + 2, keyId: 'key-a', alias: 'fast', costUsd: 0, status: 502, errorCode: 'GATEWAY_UPSTREAM_ERROR' }),
        usage({ ts: t0 + 3, keyId: 'key-a', alias: 'smart', costUsd: 1.5, operation: 'embeddings' }),
        usage({ ts: t0 + 4, keyId: null, alias: 'fast', costUsd: 0.000000001 }),
        usage({ ts: t0 + day, keyId: 'key-b', alias: 'fast', costUsd: 0.3, status: 429, cache: 'bypass' }),
        usage({ ts: t0 + 5, keyId: 'key-a', alias: 'auto', costUsd: 0.01, routeTier: 'small', routeReason: 'no hard cues', pii: { EMAIL: 2, PHONE: 1 } }),
        usage({ ts: t0 + 6, keyId: 'key-a', alias: 'auto', costUsd: 0.02, routeTier: 'small', routeReason: 'no hard cues', pii: { EMAIL: 1 }, cache: 'semantic' }),
        usage({ ts: t0 + 7, keyId: 'key-a', alias: 'auto', costUsd: 0.5, routeTier: 'large', routeReason: 'code cues' }),
      ];

      it('aggregates by key, model and UTC day, in nano-dollars without float drift', async () => {
        await store.ledger.appendUsage([]);
        await store.ledger.appendUsage(rows());
        const all = await store.ledger.aggregateUsage({ from: t0, to: t0 + 2 * day });
        const none = { routeTier: null, piiDetections: {} };
        assert.deepEqual(all, [
          { keyId: null, alias: 'fast', day: '2025-03-04', requests: 1, errors: 0, cacheHits: 0, inputTokens: 10, outputTokens: 5, costUsd: 0.000000001, ...none },
          { keyId: 'key-a', alias: 'auto', day: '2025-03-04', routeTier: 'large', requests: 1, errors: 0, cacheHits: 0, inputTokens: 10, outputTokens: 5, costUsd: 0.5, piiDetections: {} },
          // a semantic hit is a cache hit; PII counts add up per type, values are never stored
          { keyId: 'key-a', alias: 'auto', day: '2025-03-04', routeTier: 'small', requests: 2, errors: 0, cacheHits: 1, inputTokens: 20, outputTokens: 10, costUsd: 0.03, piiDetections: { EMAIL: 3, PHONE: 1 } },
          { keyId: 'key-a', alias: 'fast', day: '2025-03-04', requests: 3, errors: 1, cacheHits: 1, inputTokens: 27, outputTokens: 13, costUsd: 0.3, ...none },
          { keyId: 'key-a', alias: 'smart', day: '2025-03-04', requests: 1, errors: 0, cacheHits: 0, inputTokens: 10, outputTokens: 5, costUsd: 1.5, ...none },
          { keyId: 'key-b', alias: 'fast', day: '2025-03-05', requests: 1, errors: 1, cacheHits: 0, inputTokens: 10, outputTokens: 5, costUsd: 0.3, ...none },
        ]);
        const byKey = await store.ledger.aggregateUsage({ from: t0, to: t0 + 2 * day, keyId: 'key-a', alias: 'smart' });
        assert.deepEqual(byKey.map((row) => [row.keyId, row.alias, row.requests]), [['key-a', 'smart', 1]]);
        const firstDay = await store.ledger.aggregateUsage({ from: t0 + 1, to: t0 + day, alias: 'fast' });
        assert.deepEqual(firstDay.map((row) => [row.keyId, row.requests]), [[null, 1], ['key-a', 2]], '`from` inclusive, `to` exclusive');
      });

      it('sums spend since a time for one key, and deletes rows before a time', async () => {
        await store.ledger.appendUsage(rows());
        assert.equal(await store.ledger.spendSince('key-a', t0), 2.33);
        assert.equal(await store.ledger.spendSince('key-a', t0 + 1), 2.23);
        assert.equal(await store.ledger.spendSince('key-b', t0), 0.3);
        assert.equal(await store.ledger.spendSince('key-missing', 0), 0);
        assert.equal(await store.ledger.deleteUsageBefore(t0 + 3), 3);
        assert.equal(await store.ledger.spendSince('key-a', 0), 2.03);
        assert.equal(await store.ledger.deleteUsageBefore(t0 + 3), 0);
      });
    });

    describe('jobs', () => {
      it('creates a queued job with its input and its job-queued event, scoped to its tenant', async () => {
        const job = newJob({ metadata: { customer: 'c-42' }, deadline: t0 + 60_000, priority: 3, webhookUrl: 'https://hooks.example.com/a' });
        const bytes = new Uint8Array([0, 1, 2, 250, 255, 10]);
        const { job: stored, created } = await store.jobs.createJob(job, bytes, dispatchOf(job));
        assert.equal(created, true);
        const expected: JobRecord = {
          id: job.id, tenant: 'tenant-a', keyId: 'key-a', kind: 'pipeline', pipeline: 'invoices', status: 'queued', priority: 3,
          source: 'invoice.pdf', webhookUrl: 'https://hooks.example.com/a', idempotencyKey: null, attempts: 0, maxAttempts: 3, token: 0,
          step: null, result: null, error: null, metadata: { customer: 'c-42' }, createdAt: t0, startedAt: null, finishedAt: null,
          runAt: t0, deadline: t0 + 60_000,
        };
        assert.deepEqual(stored, expected);
        assert.deepEqual(await store.jobs.getJob(job.id), expected);
        assert.deepEqual(await store.jobs.getJob(job.id, 'tenant-a'), expected);
        assert.equal(await store.jobs.getJob(job.id, 'tenant-b'), undefined);
        assert.equal(await store.jobs.getJob('job_missing'), undefined);
        assert.deepEqual(Buffer.from((await store.jobs.getInput(job.id))!), Buffer.from(bytes));
        assert.equal(await store.jobs.getInput('job_missing'), undefined);
        assert.deepEqual(await store.jobs.events(job.id, 0), [{ jobId: job.id, seq: 1, type: 'job-queued', data: { status: 'queued' }, at: t0 }]);
      });

      it('answers a repeated idempotency key with the existing job, and refuses it with another body', async () => {
        const first = newJob({ idempotencyKey: 'idem-1' });
        await store.jobs.createJob(first, input('first'), dispatchOf(first));
        const again = newJob({ idempotencyKey: 'idem-1' });
        const replay = await store.jobs.createJob(again, input('again'), dispatchOf(again));
        assert.equal(replay.created, false);
        assert.equal(replay.job.id, first.id);
        assert.equal(await store.jobs.getJob(again.id), undefined);
        assert.equal(Buffer.from((await store.jobs.getInput(first.id))!).toString(), 'first');
        assert.equal((await store.jobs.events(first.id, 0)).length, 1);
        assert.equal((await store.jobs.findByIdempotencyKey('tenant-a', 'idem-1'))?.id, first.id);
        assert.equal(await store.jobs.findByIdempotencyKey('tenant-b', 'idem-1'), undefined);

        const otherBody = newJob({ idempotencyKey: 'idem-1', requestHash: 'hash-2' });
        await assert.rejects(store.jobs.createJob(otherBody, input(), dispatchOf(otherBody)), isCode('IDEMPOTENCY_KEY_REUSED'));
        assert.equal(await store.jobs.getJob(otherBody.id), undefined);

        const otherTenant = newJob({ idempotencyKey: 'idem-1', tenant: 'tenant-b' });
        assert.equal((await store.jobs.createJob(otherTenant, input(), dispatchOf(otherTenant))).created, true);
      });

      it('creates one job when the same idempotency key arrives several times at once', async () => {
        const jobs = Array.from({ length: 6 }, () => newJob({ idempotencyKey: 'idem-race' }));
        const outcomes = await Promise.all(jobs.map((job) => store.jobs.createJob(job, input(), dispatchOf(job))));
        assert.equal(outcomes.filter((outcome) => outcome.created).length, 1);
        assert.equal(new Set(outcomes.map((outcome) => outcome.job.id)).size, 1);
        assert.equal((await store.jobs.countQueued()).total, 1);
        if (store.capabilities.shared) assert.equal((await store.dispatches.claim(10, 30_000)).length, 1);
      });

      it('lists a tenant’s jobs newest first, in pages, filtered by status and pipeline', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const job = newJob({ createdAt: t0 + Math.floor(i / 2), pipeline: i === 4 ? 'receipts' : 'invoices' });
          await store.jobs.createJob(job, input(), dispatchOf(job));
          ids.push(job.id);
        }
        const other = newJob({ tenant: 'tenant-b' });
        await store.jobs.createJob(other, input(), dispatchOf(other));
        await store.jobs.startJob(ids[1]!, 1, 1, t0 + 10);
        // created_at ties are ordered by id, descending.
        const newestFirst = [ids[4], ids[3], ids[2], ids[1], ids[0]];
        const first = await store.jobs.listJobs('tenant-a', { limit: 2 });
        assert.deepEqual(first.data.map((job) => job.id), newestFirst.slice(0, 2));
        assert.ok(first.nextCursor);
        const second = await store.jobs.listJobs('tenant-a', { limit: 2, cursor: first.nextCursor });
        assert.deepEqual(second.data.map((job) => job.id), newestFirst.slice(2, 4));
        const third = await store.jobs.listJobs('tenant-a', { limit: 2, cursor: second.nextCursor! });
        assert.deepEqual(third.data.map((job) => job.id), newestFirst.slice(4));
        assert.equal(third.nextCursor, null);
        assert.deepEqual((await store.jobs.listJobs('tenant-a', { limit: 10, status: 'running' })).data.map((job) => job.id), [ids[1]]);
        assert.deepEqual((await store.jobs.listJobs('tenant-a', { limit: 10, pipeline: 'receipts' })).data.map((job) => job.id), [ids[4]]);
        assert.deepEqual((await store.jobs.listJobs('tenant-b', { limit: 10 })).data.map((job) => job.id), [other.id]);
        await assert.rejects(store.jobs.listJobs('tenant-a', { limit: 2, cursor: 'not-a-cursor' }), isCode('INVALID_REQUEST'));
      });

      it('counts unfinished jobs (waiting or running) per tenant and in total', async () => {
        for (const tenant of ['tenant-a', 'tenant-a', 'tenant-b']) {
          const job = newJob({ tenant });
          await store.jobs.createJob(job, input(), dispatchOf(job));
        }
        await runningJob({ tenant: 'tenant-b' });
        const cancelled = newJob({ tenant: 'tenant-c' });
        await store.jobs.createJob(cancelled, input(), dispatchOf(cancelled));
        await store.jobs.cancelJob(cancelled.id, 'tenant-c', t0 + 100);
        const counts = await store.jobs.countQueued();
        assert.equal(counts.total, 4);
        assert.deepEqual([...counts.byTenant].sort(), [['tenant-a', 2], ['tenant-b', 2]]);
      });

      it('starts a job under a claim token, refusing older and equal tokens and accepting a newer one', async () => {
        const job = newJob();
        await store.jobs.createJob(job, input(), dispatchOf(job));
        const started = await store.jobs.startJob(job.id, 5, 1, t0 + 100);
        assert.equal(started?.job.status, 'running');
        assert.equal(started?.job.token, 5);
        assert.equal(started?.job.attempts, 1);
        assert.equal(started?.job.startedAt, t0 + 100);
        assert.deepEqual(started?.event, { jobId: job.id, seq: 2, type: 'job-start', data: { attempt: 1 }, at: t0 + 100 });
        if (started?.input) assert.equal(Buffer.from(started.input).toString(), '{"document":"..."}', 'an input handed back with the start is the job’s');
        assert.equal(await store.jobs.startJob(job.id, 3, 1, t0 + 200), undefined, 'an older claim is refused');
        assert.equal(await store.jobs.startJob(job.id, 5, 1, t0 + 200), undefined, 'the same claim does not start twice');
        const taken = await store.jobs.startJob(job.id, 7, 2, t0 + 300);
        assert.equal(taken?.job.token, 7);
        assert.equal(taken?.job.attempts, 2);
        assert.equal(taken?.job.startedAt, t0 + 100, 'startedAt keeps the first start');
        assert.equal(taken?.event.seq, 3);
        assert.equal(await store.jobs.startJob('job_missing', 9, 1, t0), undefined);
      });

      it('records progress steps of the current claim only, with events in order', async () => {
        const job = await runningJob({}, 5);
        assert.equal(await store.jobs.progress(job.id, 4, 'reading document', {}, t0 + 150), undefined);
        const step = await store.jobs.progress(job.id, 5, 'extracting fields', { page: 2, of: 3 }, t0 + 200);
        assert.equal(step?.job.step, 'extracting fields');
        assert.deepEqual(step?.event.data, { step: 'extracting fields', page: 2, of: 3 });
        await store.jobs.progress(job.id, 5, 'validating', {}, t0 + 300);
        const events = await store.jobs.events(job.id, 0);
        assert.deepEqual(events.map((event) => [event.seq, event.type]), [[1, 'job-queued'], [2, 'job-start'], [3, 'job-progress'], [4, 'job-progress']]);
        assert.deepEqual((await store.jobs.events(job.id, 2)).map((event) => event.seq), [3, 4]);
        assert.deepEqual(await store.jobs.events(job.id, 4), []);
      });

      it('numbers concurrent events of one job without gaps or repeats', async () => {
        const job = await runningJob({}, 5);
        await Promise.all(Array.from({ length: 20 }, (_, i) => store.jobs.progress(job.id, 5, `step ${i}`, {}, t0 + 200 + i)));
        assert.deepEqual((await store.jobs.events(job.id, 0)).map((event) => event.seq), Array.from({ length: 22 }, (_, i) => i + 1));
      });

      it('completes a job once, with its record and webhooks in the same change', async () => {
        const job = await runningJob({ webhookUrl: 'https://hooks.example.com/bw' }, 5);
        await store.jobs.progress(job.id, 5, 'validating', {}, t0 + 200);
        const seen: JobRecord[] = [];
        const stored = record(job.id);
        const result = { total: 12.5, vendor: 'ACME', lines: [1, 2] };
        const done = await store.jobs.completeJob(job.id, 5, result, t0 + 1_000, { record: stored, webhooks: webhookFor('job.succeeded', seen) });
        assert.equal(done?.job.status, 'succeeded');
        assert.deepEqual(done?.job.result, result);
        assert.equal(done?.job.step, null);
        assert.equal(done?.job.finishedAt, t0 + 1_000);
        assert.deepEqual(done?.event, { jobId: job.id, seq: 4, type: 'job-end', data: { status: 'succeeded' }, at: t0 + 1_000 });
        assert.equal(seen[0]?.status, 'succeeded', 'webhooks see the job after the change');
        assert.deepEqual(await store.jobs.getJob(job.id), done?.job);
        assert.deepEqual(await store.records.getByJob(job.id), stored);
        assert.deepEqual((await store.records.list('tenant-a', 'invoices', undefined, 10)).data, [stored]);
        const [delivery, ...more] = await store.jobs.deliveriesOf(job.id);
        assert.equal(more.length, 0);
        assert.equal(delivery?.status, 'pending');
        assert.equal(delivery?.eventType, 'job.succeeded');
        assert.equal(delivery?.nextAttemptAt, t0 + 1_000);
        assert.equal(delivery?.tenant, 'tenant-a');
        assert.deepEqual(await store.jobs.getJobWithDeliveries(job.id, 'tenant-a'), { job: done?.job, deliveries: [delivery] });
        assert.equal(await store.jobs.getJobWithDeliveries(job.id, 'tenant-b'), undefined, 'another tenant sees nothing');

        const twice = await store.jobs.completeJob(job.id, 5, { other: true }, t0 + 2_000, { record: record(job.id), webhooks: webhookFor('job.succeeded', seen) });
        assert.equal(twice, undefined, 'completing twice changes nothing');
        assert.equal(await store.jobs.completeJob(job.id, 4, null, t0 + 2_000, { record: record(job.id) }), undefined);
        assert.deepEqual((await store.jobs.getJob(job.id))?.result, result);
        assert.deepEqual(await store.records.getByJob(job.id), stored);
        assert.equal((await store.records.list('tenant-a', 'invoices', undefined, 10)).data.length, 1);
        assert.equal((await store.jobs.deliveriesOf(job.id)).length, 1);
        assert.equal((await store.jobs.events(job.id, 0)).length, 4);
      });

      it('refuses to complete a job whose lease a newer claim took over', async () => {
        const job = await runningJob({}, 1);
        await store.jobs.startJob(job.id, 2, 2, t0 + 500);
        assert.equal(await store.jobs.completeJob(job.id, 1, { stale: true }, t0 + 600, { record: record(job.id) }), undefined);
        assert.equal(await store.records.getByJob(job.id), undefined);
        assert.equal((await store.jobs.completeJob(job.id, 2, { fresh: true }, t0 + 700, {}))?.job.status, 'succeeded');
      });

      it('sends a failed attempt back to the queue with a retry time, and fails the job for good without one', async () => {
        const job = await runningJob({}, 1);
        const seen: JobRecord[] = [];
        const error = { code: 'OUTPUT_INVALID', message: 'total is not a number', details: { raw: 'model said twelve' } };
        const retry = await store.jobs.failJob(job.id, 1, error, t0 + 5_500, t0 + 500, webhookFor('job.failed', seen));
        assert.equal(retry?.job.status, 'queued');
        assert.equal(retry?.job.runAt, t0 + 5_500);
        assert.deepEqual(retry?.job.error, error);
        assert.deepEqual(retry?.event.type, 'job-retry');
        assert.deepEqual(retry?.event.data, { attempt: 1, retry_at: Math.floor((t0 + 5_500) / 1000), error: { code: 'OUTPUT_INVALID', message: 'total is not a number' } });
        assert.equal((await store.jobs.countQueued()).total, 1);
        assert.equal(await store.jobs.failJob(job.id, 1, error, null, t0 + 600), undefined, 'a queued job has no attempt to fail');

        await store.jobs.startJob(job.id, 2, 2, t0 + 6_000);
        assert.equal(await store.jobs.failJob(job.id, 1, error, null, t0 + 6_100), undefined, 'a stale claim cannot fail the job');
        const final = await store.jobs.failJob(job.id, 2, error, null, t0 + 7_000, webhookFor('job.failed', seen));
        assert.equal(final?.job.status, 'failed');
        assert.equal(final?.job.finishedAt, t0 + 7_000);
        assert.deepEqual(final?.event.data, { status: 'failed', error: { code: 'OUTPUT_INVALID', message: 'total is not a number' } });
        assert.deepEqual(seen.map((job) => job.status), ['failed'], 'only the final failure sends a webhook');
        assert.equal((await store.jobs.deliveriesOf(job.id)).length, 1);
        assert.deepEqual((await store.jobs.events(job.id, 0)).map((event) => event.type), ['job-queued', 'job-start', 'job-retry', 'job-start', 'job-fail']);
      });

      it('abandons a queued or running job without a token, and leaves an ended one alone', async () => {
        const queued = newJob();
        await store.jobs.createJob(queued, input(), dispatchOf(queued));
        const seen: JobRecord[] = [];
        const error = { code: 'JOB_LEASE_LOST', message: 'the lease expired 3 times' };
        const abandoned = await store.jobs.abandonJob(queued.id, error, t0 + 900, webhookFor('job.failed', seen));
        assert.equal(abandoned?.job.status, 'failed');
        assert.deepEqual(abandoned?.event.data, { status: 'failed', error });
        assert.equal(seen.length, 1);
        const running = await runningJob({}, 4);
        assert.equal((await store.jobs.abandonJob(running.id, error, t0 + 900))?.job.status, 'failed');
        assert.equal(await store.jobs.abandonJob(queued.id, error, t0 + 1_000), undefined);
        assert.equal(await store.jobs.abandonJob('job_missing', error, t0 + 1_000), undefined);
      });

      it('cancels a queued or running job of the tenant; an ended job comes back unchanged with no event', async () => {
        const queued = newJob();
        await store.jobs.createJob(queued, input(), dispatchOf(queued));
        const seen: JobRecord[] = [];
        assert.equal(await store.jobs.cancelJob(queued.id, 'tenant-b', t0 + 100), undefined, 'another tenant’s job is not found');
        assert.equal(await store.jobs.cancelJob('job_missing', 'tenant-a', t0 + 100), undefined);
        const cancelled = await store.jobs.cancelJob(queued.id, 'tenant-a', t0 + 200, webhookFor('job.cancelled', seen));
        assert.equal(cancelled?.job.status, 'cancelled');
        assert.equal(cancelled?.job.finishedAt, t0 + 200);
        assert.deepEqual(cancelled?.event, { jobId: queued.id, seq: 2, type: 'job-cancel', data: { status: 'cancelled' }, at: t0 + 200 });
        assert.equal(seen[0]?.status, 'cancelled');
        const again = await store.jobs.cancelJob(queued.id, 'tenant-a', t0 + 300, webhookFor('job.cancelled', seen));
        assert.deepEqual(again, { job: cancelled?.job, event: undefined });
        assert.equal(seen.length, 1);
        assert.equal((await store.jobs.events(queued.id, 0)).length, 2);
        assert.equal((await store.jobs.deliveriesOf(queued.id)).length, 1);
        assert.equal(await store.jobs.startJob(queued.id, 1, 1, t0 + 400), undefined, 'a cancelled job does not start');

        const running = await runningJob({}, 3);
        assert.equal((await store.jobs.cancelJob(running.id, 'tenant-a', t0 + 500))?.job.status, 'cancelled');
        assert.equal(await store.jobs.completeJob(running.id, 3, { late: true }, t0 + 600, { record: record(running.id) }), undefined, 'the worker of a cancelled job changes nothing');
        assert.equal(await store.records.getByJob(running.id), undefined);
      });

      it('hands out due webhook deliveries and records attempts: retry later, delivered, failed for good', async () => {
        const jobIds: string[] = [];
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const job = await runningJob({}, 1);
          await store.jobs.completeJob(job.id, 1, {}, t0 + 1_000 + i, { webhooks: webhookFor('job.succeeded', []) });
          jobIds.push(job.id);
          ids.push((await store.jobs.deliveriesOf(job.id))[0]!.id);
        }
        const lease = 30_000;
        assert.deepEqual(await store.jobs.claimDeliveries('claim-0', t0 + 999, lease, 10), []);
        assert.deepEqual((await store.jobs.claimDeliveries('claim-1', t0 + 1_001, lease, 10)).map((delivery) => delivery.id), ids.slice(0, 2));
        assert.deepEqual((await store.jobs.claimDeliveries('claim-2', t0 + 5_000, lease, 10)).map((delivery) => delivery.id), [ids[2]], 'claimed deliveries are not handed out again');

        assert.equal(await store.jobs.recordDeliveryAttempt(ids[0]!, 'claim-1', { delivered: false, status: 503, error: 'upstream busy', nextAttemptAt: t0 + 60_000 }, t0 + 2_000), true);
        assert.equal(await store.jobs.recordDeliveryAttempt(ids[1]!, 'claim-1', { delivered: true, status: 204, error: null, nextAttemptAt: null }, t0 + 2_000), true);
        assert.equal(await store.jobs.recordDeliveryAttempt(ids[2]!, 'claim-2', { delivered: false, status: 410, error: 'gone', nextAttemptAt: null }, t0 + 6_000), true);
        assert.deepEqual(await store.jobs.claimDeliveries('claim-3', t0 + 59_999, lease, 10), []);
        const due = await store.jobs.claimDeliveries('claim-4', t0 + 10 * 60_000, lease, 10);
        assert.deepEqual(due.map((delivery) => delivery.id), [ids[0]], 'delivered and failed deliveries are never due again');
        assert.deepEqual(
          { ...due[0], body: undefined },
          {
            id: ids[0], jobId: jobIds[0], tenant: 'tenant-a', url: 'https://hooks.example.com/bw', eventType: 'job.succeeded', body: undefined,
            status: 'pending', attempts: 1, nextAttemptAt: t0 + 60_000, lastStatus: 503, lastError: 'upstream busy', createdAt: t0 + 1_000, updatedAt: t0 + 2_000,
          },
        );
        assert.deepEqual(JSON.parse(due[0]!.body), { id: jobIds[0], status: 'succeeded' });
        const delivered = (await store.jobs.deliveriesOf(jobIds[1]!))[0];
        assert.deepEqual([delivered?.status, delivered?.attempts, delivered?.nextAttemptAt, delivered?.lastStatus], ['delivered', 1, null, 204]);
        const failed = (await store.jobs.deliveriesOf(jobIds[2]!))[0];
        assert.deepEqual([failed?.status, failed?.attempts, failed?.lastError], ['failed', 1, 'gone']);
      });

      /** `count` jobs completed at t0 + 1000 + i, each with one pending delivery. */
      async function pendingDeliveries(count: number): Promise<Array<{ id: string; jobId: string }>> {
        const made: Array<{ id: string; jobId: string }> = [];
        for (let i = 0; i < count; i++) {
          const job = await runningJob({}, 1);
          await store.jobs.completeJob(job.id, 1, {}, t0 + 1_000 + i, { webhooks: webhookFor('job.succeeded', []) });
          made.push({ id: (await store.jobs.deliveriesOf(job.id))[0]!.id, jobId: job.id });
        }
        return made;
      }

      it('never hands one webhook delivery to two dispatchers claiming at once', async () => {
        const ids = (await pendingDeliveries(40)).map((delivery) => delivery.id);
        const claims = await Promise.all(Array.from({ length: 4 }, (_, i) => store.jobs.claimDeliveries(`claim-${i}`, t0 + 5_000, 30_000, 15)));
        const claimed = claims.flat().map((delivery) => delivery.id);
        assert.equal(new Set(claimed).size, claimed.length, 'no delivery goes to two dispatchers');
        assert.deepEqual([...claimed].sort(), [...ids].sort(), 'and every due delivery goes to one');
      });

      it('hands a delivery whose lease ran out to the next claim, and refuses the stale holder’s update', async () => {
        const [{ id, jobId }] = (await pendingDeliveries(1)) as [{ id: string; jobId: string }];
        assert.equal((await store.jobs.claimDeliveries('claim-a', t0 + 2_000, 10_000, 10)).length, 1);
        assert.deepEqual(await store.jobs.claimDeliveries('claim-b', t0 + 11_999, 10_000, 10), [], 'taken while the lease runs');
        assert.deepEqual((await store.jobs.claimDeliveries('claim-b', t0 + 12_000, 10_000, 10)).map((delivery) => delivery.id), [id], 'free once it ran out');

        const late = { delivered: false, status: 500, error: 'HTTP 500', nextAttemptAt: t0 + 99_000 };
        assert.equal(await store.jobs.recordDeliveryAttempt(id, 'claim-a', late, t0 + 13_000), false, 'the stale holder changes nothing');
        assert.deepEqual((await store.jobs.deliveriesOf(jobId)).map((delivery) => [delivery.status, delivery.attempts]), [['pending', 0]]);
        assert.equal(await store.jobs.recordDeliveryAttempt(id, 'claim-b', { delivered: true, status: 200, error: null, nextAttemptAt: null }, t0 + 13_000), true);
        assert.equal(await store.jobs.recordDeliveryAttempt(id, 'claim-b', late, t0 + 14_000), false, 'one record per claim');
        assert.equal(await store.jobs.recordDeliveryAttempt(id, 'claim-a', late, t0 + 14_000), false);
        const [after] = await store.jobs.deliveriesOf(jobId);
        assert.deepEqual([after?.status, after?.attempts, after?.lastStatus], ['delivered', 1, 200], 'a delivered row never goes back to pending or failed');
        assert.deepEqual(await store.jobs.claimDeliveries('claim-c', t0 + 10 * 60_000, 10_000, 10), []);
      });

      it('frees a delivery for its retry once the attempt is recorded', async () => {
        const [{ id }] = (await pendingDeliveries(1)) as [{ id: string; jobId: string }];
        await store.jobs.claimDeliveries('claim-a', t0 + 2_000, 60_000, 10);
        await store.jobs.recordDeliveryAttempt(id, 'claim-a', { delivered: false, status: 503, error: 'HTTP 503', nextAttemptAt: t0 + 3_000 }, t0 + 2_500);
        const retry = await store.jobs.claimDeliveries('claim-b', t0 + 3_000, 60_000, 10);
        assert.deepEqual(retry.map((delivery) => [delivery.id, delivery.attempts]), [[id, 1]], 'due at its retry time, not held by the recorded claim');
      });

      it('deletes jobs that ended before a time with their events, inputs and sent webhooks, keeping records', async () => {
        const old = await runningJob({}, 1);
        await store.jobs.completeJob(old.id, 1, {}, t0 + 1_000, { record: record(old.id), webhooks: webhookFor('job.succeeded', []) });
        const [delivery] = await store.jobs.deliveriesOf(old.id);
        await store.jobs.claimDeliveries('claim-old', t0 + 1_050, 30_000, 10);
        assert.equal(await store.jobs.recordDeliveryAttempt(delivery!.id, 'claim-old', { delivered: true, status: 200, error: null, nextAttemptAt: null }, t0 + 1_100), true);
        const cancelled = newJob();
        await store.jobs.createJob(cancelled, input(), dispatchOf(cancelled));
        await store.jobs.cancelJob(cancelled.id, 'tenant-a', t0 + 2_000);
        const recent = await runningJob({}, 1);
        await store.jobs.completeJob(recent.id, 1, {}, t0 + 10_000, {});
        const open = await runningJob({}, 1);
        const queued = newJob();
        await store.jobs.createJob(queued, input(), dispatchOf(queued));

        assert.equal(await store.jobs.deleteFinishedBefore(t0 + 5_000), 2);
        for (const id of [old.id, cancelled.id]) {
          assert.equal(await store.jobs.getJob(id), undefined);
          assert.equal(await store.jobs.getInput(id), undefined);
          assert.deepEqual(await store.jobs.events(id, 0), []);
          assert.deepEqual(await store.jobs.deliveriesOf(id), []);
        }
        assert.ok(await store.records.getByJob(old.id), 'records stay');
        for (const id of [recent.id, open.id, queued.id]) assert.ok(await store.jobs.getJob(id));
        assert.equal(await store.jobs.deleteFinishedBefore(t0 + 5_000), 0);
      });
    });

    dispatchOutboxContract(() => store);
    recordStoreContract(() => store);
    promptStoreContract(() => store);
  });
}
