import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NewJob } from '../../src/core/ports/job-store.js';
import type { Store } from '../../src/core/ports/store.js';
import { runningJob as runningJobIn, t0, webhookFor } from './store-fixtures.js';

/**
 * The webhook deliveries domain of the store contract (`store.deliveries`): claims under a
 * lease, attempts recorded by the claim that holds them. Deliveries are written by the job
 * port's transitions (its slice checks they commit with the change). `current` gives the
 * store of the running test (fresh for each).
 */
export function webhookDeliveryStoreContract(current: () => Store): void {
  describe('webhook deliveries', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });
    const runningJob = (overrides: Partial<NewJob> = {}, token = 1) => runningJobIn(store, overrides, token);

    it('hands out due webhook deliveries and records attempts: retry later, delivered, failed for good', async () => {
      const jobIds: string[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const job = await runningJob({}, 1);
        await store.jobs.completeJob(job.id, 1, {}, t0 + 1_000 + i, { webhooks: webhookFor('job.succeeded', []) });
        jobIds.push(job.id);
        ids.push((await store.deliveries.ofJob(job.id))[0]!.id);
      }
      const lease = 30_000;
      assert.deepEqual(await store.deliveries.claim('claim-0', t0 + 999, lease, 10), []);
      assert.deepEqual(
        (await store.deliveries.claim('claim-1', t0 + 1_001, lease, 10)).map((delivery) => delivery.id),
        ids.slice(0, 2),
      );
      assert.deepEqual(
        (await store.deliveries.claim('claim-2', t0 + 5_000, lease, 10)).map((delivery) => delivery.id),
        [ids[2]],
        'claimed deliveries are not handed out again',
      );

      assert.equal(
        await store.deliveries.recordAttempt(ids[0]!, 'claim-1', { delivered: false, status: 503, error: 'upstream busy', nextAttemptAt: t0 + 60_000 }, t0 + 2_000),
        true,
      );
      assert.equal(await store.deliveries.recordAttempt(ids[1]!, 'claim-1', { delivered: true, status: 204, error: null, nextAttemptAt: null }, t0 + 2_000), true);
      assert.equal(await store.deliveries.recordAttempt(ids[2]!, 'claim-2', { delivered: false, status: 410, error: 'gone', nextAttemptAt: null }, t0 + 6_000), true);
      assert.deepEqual(await store.deliveries.claim('claim-3', t0 + 59_999, lease, 10), []);
      const due = await store.deliveries.claim('claim-4', t0 + 10 * 60_000, lease, 10);
      assert.deepEqual(
        due.map((delivery) => delivery.id),
        [ids[0]],
        'delivered and failed deliveries are never due again',
      );
      assert.deepEqual(
        { ...due[0], body: undefined },
        {
          id: ids[0],
          jobId: jobIds[0],
          tenant: 'tenant-a',
          url: 'https://hooks.example.com/bw',
          eventType: 'job.succeeded',
          body: undefined,
          status: 'pending',
          attempts: 1,
          nextAttemptAt: t0 + 60_000,
          lastStatus: 503,
          lastError: 'upstream busy',
          createdAt: t0 + 1_000,
          updatedAt: t0 + 2_000,
        },
      );
      assert.deepEqual(JSON.parse(due[0]!.body), { id: jobIds[0], status: 'succeeded' });
      const delivered = (await store.deliveries.ofJob(jobIds[1]!))[0];
      assert.deepEqual([delivered?.status, delivered?.attempts, delivered?.nextAttemptAt, delivered?.lastStatus], ['delivered', 1, null, 204]);
      const failed = (await store.deliveries.ofJob(jobIds[2]!))[0];
      assert.deepEqual([failed?.status, failed?.attempts, failed?.lastError], ['failed', 1, 'gone']);
    });

    /** `count` jobs completed at t0 + 1000 + i, each with one pending delivery. */
    async function pendingDeliveries(count: number): Promise<Array<{ id: string; jobId: string }>> {
      const made: Array<{ id: string; jobId: string }> = [];
      for (let i = 0; i < count; i++) {
        const job = await runningJob({}, 1);
        await store.jobs.completeJob(job.id, 1, {}, t0 + 1_000 + i, { webhooks: webhookFor('job.succeeded', []) });
        made.push({ id: (await store.deliveries.ofJob(job.id))[0]!.id, jobId: job.id });
      }
      return made;
    }

    it('never hands one webhook delivery to two dispatchers claiming at once', async () => {
      const ids = (await pendingDeliveries(40)).map((delivery) => delivery.id);
      const claims = await Promise.all(Array.from({ length: 4 }, (_, i) => store.deliveries.claim(`claim-${i}`, t0 + 5_000, 30_000, 15)));
      const claimed = claims.flat().map((delivery) => delivery.id);
      assert.equal(new Set(claimed).size, claimed.length, 'no delivery goes to two dispatchers');
      assert.deepEqual([...claimed].sort(), [...ids].sort(), 'and every due delivery goes to one');
    });

    it('hands a delivery whose lease ran out to the next claim, and refuses the stale holder’s update', async () => {
      const [{ id, jobId }] = (await pendingDeliveries(1)) as [{ id: string; jobId: string }];
      assert.equal((await store.deliveries.claim('claim-a', t0 + 2_000, 10_000, 10)).length, 1);
      assert.deepEqual(await store.deliveries.claim('claim-b', t0 + 11_999, 10_000, 10), [], 'taken while the lease runs');
      assert.deepEqual(
        (await store.deliveries.claim('claim-b', t0 + 12_000, 10_000, 10)).map((delivery) => delivery.id),
        [id],
        'free once it ran out',
      );

      const late = { delivered: false, status: 500, error: 'HTTP 500', nextAttemptAt: t0 + 99_000 };
      assert.equal(await store.deliveries.recordAttempt(id, 'claim-a', late, t0 + 13_000), false, 'the stale holder changes nothing');
      assert.deepEqual(
        (await store.deliveries.ofJob(jobId)).map((delivery) => [delivery.status, delivery.attempts]),
        [['pending', 0]],
      );
      assert.equal(await store.deliveries.recordAttempt(id, 'claim-b', { delivered: true, status: 200, error: null, nextAttemptAt: null }, t0 + 13_000), true);
      assert.equal(await store.deliveries.recordAttempt(id, 'claim-b', late, t0 + 14_000), false, 'one record per claim');
      assert.equal(await store.deliveries.recordAttempt(id, 'claim-a', late, t0 + 14_000), false);
      const [after] = await store.deliveries.ofJob(jobId);
      assert.deepEqual([after?.status, after?.attempts, after?.lastStatus], ['delivered', 1, 200], 'a delivered row never goes back to pending or failed');
      assert.deepEqual(await store.deliveries.claim('claim-c', t0 + 10 * 60_000, 10_000, 10), []);
    });

    it('frees a delivery for its retry once the attempt is recorded', async () => {
      const [{ id }] = (await pendingDeliveries(1)) as [{ id: string; jobId: string }];
      await store.deliveries.claim('claim-a', t0 + 2_000, 60_000, 10);
      await store.deliveries.recordAttempt(id, 'claim-a', { delivered: false, status: 503, error: 'HTTP 503', nextAttemptAt: t0 + 3_000 }, t0 + 2_500);
      const retry = await store.deliveries.claim('claim-b', t0 + 3_000, 60_000, 10);
      assert.deepEqual(
        retry.map((delivery) => [delivery.id, delivery.attempts]),
        [[id, 1]],
        'due at its retry time, not held by the recorded claim',
      );
    });
  });
}
