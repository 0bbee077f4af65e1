import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';
import type { JobRecord, NewJob } from '../../src/core/ports/job-store.js';
import type { Store } from '../../src/core/ports/store.js';
import { dispatchOf, input, newJob, record, runningJob as runningJobIn, t0, webhookFor } from './store-fixtures.js';

const isCode = (code: string) => (error: unknown) => BreakwaterError.isInstance(error) && error.code === code;

/**
 * The jobs domain of the store contract (`store.jobs`): the job lifecycle, fenced by claim
 * tokens, and the transitions that commit rows of other domains with them (a record, webhook
 * deliveries, the dispatch) — read back here through those domains' ports. `current` gives the
 * store of the running test (fresh for each).
 */
export function jobStoreContract(current: () => Store): void {
  describe('jobs', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });
    const runningJob = (overrides: Partial<NewJob> = {}, token = 1) => runningJobIn(store, overrides, token);

    it('creates a queued job with its input and its job-queued event, scoped to its tenant', async () => {
      const job = newJob({ metadata: { customer: 'c-42' }, deadline: t0 + 60_000, priority: 3, webhookUrl: 'https://hooks.example.com/a' });
      const bytes = new Uint8Array([0, 1, 2, 250, 255, 10]);
      const { job: stored, created } = await store.jobs.createJob(job, [bytes], dispatchOf(job));
      assert.equal(created, true);
      const expected: JobRecord = {
        id: job.id,
        tenant: 'tenant-a',
        keyId: 'key-a',
        kind: 'pipeline',
        pipeline: 'invoices',
        status: 'queued',
        priority: 3,
        source: 'invoice.pdf',
        webhookUrl: 'https://hooks.example.com/a',
        idempotencyKey: null,
        attempts: 0,
        maxAttempts: 3,
        token: 0,
        step: null,
        result: null,
        error: null,
        metadata: { customer: 'c-42' },
        createdAt: t0,
        startedAt: null,
        finishedAt: null,
        runAt: t0,
        deadline: t0 + 60_000,
      };
      assert.deepEqual(stored, expected);
      assert.deepEqual(await store.jobs.getJob(job.id), expected);
      assert.deepEqual(await store.jobs.getJob(job.id, 'tenant-a'), expected);
      assert.equal(await store.jobs.getJob(job.id, 'tenant-b'), undefined);
      assert.equal(await store.jobs.getJob('job_missing'), undefined);
      assert.deepEqual(Buffer.concat((await store.jobs.getInput(job.id))!), Buffer.from(bytes));
      assert.equal(await store.jobs.getInput('job_missing'), undefined);
      assert.deepEqual(await store.jobs.events(job.id, 0), [{ jobId: job.id, seq: 1, type: 'job-queued', data: { status: 'queued' }, at: t0 }]);
    });

    it('reads back an input given in chunks (megabytes of input) as the same bytes, whole or after a replay', async () => {
      const job = newJob({ idempotencyKey: 'idem-chunks' });
      const chunks = chunkedInput(5);
      assert.equal((await store.jobs.createJob(job, chunks, dispatchOf(job))).created, true);
      assert.ok(Buffer.concat((await store.jobs.getInput(job.id))!).equals(Buffer.concat(chunks)));
      const started = await store.jobs.startJob(job.id, 1, 1, t0 + 100);
      assert.ok(started);
      const read = started.input ? [started.input] : await store.jobs.getInput(job.id);
      assert.ok(Buffer.concat(read!).equals(Buffer.concat(chunks)));

      const replay = newJob({ idempotencyKey: 'idem-chunks' });
      const outcome = await store.jobs.createJob(replay, chunkedInput(4, 'b'), dispatchOf(replay));
      assert.equal(outcome.created, false);
      assert.equal(outcome.job.id, job.id);
      assert.equal(await store.jobs.getInput(replay.id), undefined, "the replay's chunks are not kept");
      assert.ok(Buffer.concat((await store.jobs.getInput(job.id))!).equals(Buffer.concat(chunks)));
    });

    it('answers a repeated idempotency key with the existing job, and refuses it with another body', async () => {
      const first = newJob({ idempotencyKey: 'idem-1' });
      await store.jobs.createJob(first, input('first'), dispatchOf(first));
      const again = newJob({ idempotencyKey: 'idem-1' });
      const replay = await store.jobs.createJob(again, input('again'), dispatchOf(again));
      assert.equal(replay.created, false);
      assert.equal(replay.job.id, first.id);
      assert.equal(await store.jobs.getJob(again.id), undefined);
      assert.equal(Buffer.concat((await store.jobs.getInput(first.id))!).toString(), 'first');
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
      assert.deepEqual(
        first.data.map((job) => job.id),
        newestFirst.slice(0, 2),
      );
      assert.ok(first.nextCursor);
      const second = await store.jobs.listJobs('tenant-a', { limit: 2, cursor: first.nextCursor });
      assert.deepEqual(
        second.data.map((job) => job.id),
        newestFirst.slice(2, 4),
      );
      const third = await store.jobs.listJobs('tenant-a', { limit: 2, cursor: second.nextCursor! });
      assert.deepEqual(
        third.data.map((job) => job.id),
        newestFirst.slice(4),
      );
      assert.equal(third.nextCursor, null);
      assert.deepEqual(
        (await store.jobs.listJobs('tenant-a', { limit: 10, status: 'running' })).data.map((job) => job.id),
        [ids[1]],
      );
      assert.deepEqual(
        (await store.jobs.listJobs('tenant-a', { limit: 10, pipeline: 'receipts' })).data.map((job) => job.id),
        [ids[4]],
      );
      assert.deepEqual(
        (await store.jobs.listJobs('tenant-b', { limit: 10 })).data.map((job) => job.id),
        [other.id],
      );
      await assert.rejects(store.jobs.listJobs('tenant-a', { limit: 2, cursor: 'not-a-cursor' }), isCode('INVALID_REQUEST'));
      // No tenant (the admin's view): every tenant's jobs, in the same order and pages.
      const everyone: string[] = [];
      let previous: { createdAt: number; id: string } | undefined;
      for (let cursor: string | undefined, pages = 0; pages === 0 || cursor; pages++) {
        const page = await store.jobs.listJobs(undefined, { limit: 3, ...(cursor ? { cursor } : {}) });
        for (const job of page.data) {
          if (previous) assert.ok(job.createdAt < previous.createdAt || (job.createdAt === previous.createdAt && job.id < previous.id), 'newest first');
          previous = job;
          everyone.push(job.id);
        }
        cursor = page.nextCursor ?? undefined;
      }
      for (const id of [...ids, other.id]) assert.ok(everyone.includes(id), `${id} in the admin's list`);
      assert.equal(new Set(everyone).size, everyone.length, 'no job on two pages');
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
      assert.deepEqual([...counts.byTenant].sort(), [
        ['tenant-a', 2],
        ['tenant-b', 2],
      ]);
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
      assert.deepEqual(
        events.map((event) => [event.seq, event.type]),
        [
          [1, 'job-queued'],
          [2, 'job-start'],
          [3, 'job-progress'],
          [4, 'job-progress'],
        ],
      );
      assert.deepEqual(
        (await store.jobs.events(job.id, 2)).map((event) => event.seq),
        [3, 4],
      );
      assert.deepEqual(await store.jobs.events(job.id, 4), []);
    });

    it('numbers concurrent events of one job without gaps or repeats', async () => {
      const job = await runningJob({}, 5);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.jobs.progress(job.id, 5, `step ${i}`, {}, t0 + 200 + i)));
      assert.deepEqual(
        (await store.jobs.events(job.id, 0)).map((event) => event.seq),
        Array.from({ length: 22 }, (_, i) => i + 1),
      );
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
      const [delivery, ...more] = await store.deliveries.ofJob(job.id);
      assert.equal(more.length, 0);
      assert.equal(delivery?.status, 'pending');
      assert.equal(delivery?.eventType, 'job.succeeded');
      assert.equal(delivery?.nextAttemptAt, t0 + 1_000);
      assert.equal(delivery?.tenant, 'tenant-a');
      assert.deepEqual(await store.jobs.getJobWithDeliveries(job.id, 'tenant-a'), { job: done?.job, deliveries: [delivery] });
      assert.equal(await store.jobs.getJobWithDeliveries(job.id, 'tenant-b'), undefined, 'another tenant sees nothing');
      assert.deepEqual(await store.jobs.getJobWithDeliveries(job.id), { job: done?.job, deliveries: [delivery] }, 'no tenant: the admin sees it');

      const twice = await store.jobs.completeJob(job.id, 5, { other: true }, t0 + 2_000, { record: record(job.id), webhooks: webhookFor('job.succeeded', seen) });
      assert.equal(twice, undefined, 'completing twice changes nothing');
      assert.equal(await store.jobs.completeJob(job.id, 4, null, t0 + 2_000, { record: record(job.id) }), undefined);
      assert.deepEqual((await store.jobs.getJob(job.id))?.result, result);
      assert.deepEqual(await store.records.getByJob(job.id), stored);
      assert.equal((await store.records.list('tenant-a', 'invoices', undefined, 10)).data.length, 1);
      assert.equal((await store.deliveries.ofJob(job.id)).length, 1);
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
      assert.deepEqual(
        seen.map((job) => job.status),
        ['failed'],
        'only the final failure sends a webhook',
      );
      assert.equal((await store.deliveries.ofJob(job.id)).length, 1);
      assert.deepEqual(
        (await store.jobs.events(job.id, 0)).map((event) => event.type),
        ['job-queued', 'job-start', 'job-retry', 'job-start', 'job-fail'],
      );
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
      assert.equal((await store.deliveries.ofJob(queued.id)).length, 1);
      assert.equal(await store.jobs.startJob(queued.id, 1, 1, t0 + 400), undefined, 'a cancelled job does not start');

      const running = await runningJob({}, 3);
      assert.equal((await store.jobs.cancelJob(running.id, 'tenant-a', t0 + 500))?.job.status, 'cancelled');
      assert.equal(
        await store.jobs.completeJob(running.id, 3, { late: true }, t0 + 600, { record: record(running.id) }),
        undefined,
        'the worker of a cancelled job changes nothing',
      );
      assert.equal(await store.records.getByJob(running.id), undefined);
    });

    it('deletes jobs that ended before a time with their events, inputs and sent webhooks, keeping records', async () => {
      const old = await runningJob({}, 1);
      await store.jobs.completeJob(old.id, 1, {}, t0 + 1_000, { record: record(old.id), webhooks: webhookFor('job.succeeded', []) });
      const [delivery] = await store.deliveries.ofJob(old.id);
      await store.deliveries.claim('claim-old', t0 + 1_050, 30_000, 10);
      assert.equal(await store.deliveries.recordAttempt(delivery!.id, 'claim-old', { delivered: true, status: 200, error: null, nextAttemptAt: null }, t0 + 1_100), true);
      const cancelled = newJob();
      // A chunked input goes with its job too.
      await store.jobs.createJob(cancelled, chunkedInput(3), dispatchOf(cancelled));
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
        assert.deepEqual(await store.deliveries.ofJob(id), []);
      }
      assert.ok(await store.records.getByJob(old.id), 'records stay');
      for (const id of [recent.id, open.id, queued.id]) assert.ok(await store.jobs.getJob(id));
      assert.equal(await store.jobs.deleteFinishedBefore(t0 + 5_000), 0);
    });
  });
}

/** An input of `count` chunks of 300 KB each, as `encodeJobInput` makes for megabytes of input. */
function chunkedInput(count: number, letter = 'a'): Uint8Array[] {
  return Array.from({ length: count }, (_, index) => Buffer.from(`${index}`.padEnd(300_000, letter)));
}
