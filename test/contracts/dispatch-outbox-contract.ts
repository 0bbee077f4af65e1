import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnqueueRequest } from '../../src/core/ports/queue.js';
import type { Store } from '../../src/core/ports/store.js';
import { dispatchOf, input, newJob, t0 } from './store-fixtures.js';

/**
 * The dispatch outbox domain of the store contract (`store.dispatches`): a shared store relays
 * new jobs to the broker through it; an embedded one commits the queue with the job and has
 * none. `current` gives the store of the running test (fresh for each).
 */
export function dispatchOutboxContract(current: () => Store): void {
  describe('dispatch outbox', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });
    it('has none in a store whose queue commits with the job (embedded)', async (context) => {
      if (store.capabilities.shared) return context.skip('this store relays dispatches through its outbox');
      const job = newJob();
      await store.jobs.createJob(job, input(), dispatchOf(job));
      assert.deepEqual(await store.dispatches.claim(10, 30_000), []);
      await store.dispatches.markDispatched([job.id]);
    });

    it('leaves one claimable dispatch per created job, leased to one relay until marked sent', async (context) => {
      if (!store.capabilities.shared) return context.skip('the embedded queue commits with the job: no outbox');
      const job = newJob({ deadline: t0 + 60_000 });
      const dispatch: EnqueueRequest = { id: job.id, tenant: job.tenant, priority: 2, runAt: t0 + 10, deadline: t0 + 60_000, maxAttempts: 3 };
      await store.jobs.createJob(job, input(), dispatch);
      const bare = newJob({ createdAt: t0 + 1 });
      await store.jobs.createJob(bare, input(), { id: bare.id, tenant: bare.tenant, maxAttempts: 2 });
      assert.deepEqual(await store.dispatches.claim(0, 30_000), []);
      assert.deepEqual(await store.dispatches.claim(10, 300), [dispatch, { id: bare.id, tenant: bare.tenant, maxAttempts: 2 }]);
      assert.deepEqual(await store.dispatches.claim(10, 300), [], 'a leased dispatch is not claimed again');
      await store.dispatches.markDispatched([bare.id]);
      await sleep(400);
      assert.deepEqual(await store.dispatches.claim(10, 30_000), [dispatch], 'an expired lease frees the dispatch');
      await store.dispatches.markDispatched([job.id]);
      await store.dispatches.markDispatched([]);
      await sleep(50);
      assert.deepEqual(await store.dispatches.claim(10, 1), [], 'a sent dispatch is never claimed again');
    });

    it('drops the unsent dispatch of a job retention deleted', async (context) => {
      if (!store.capabilities.shared) return context.skip('the embedded queue commits with the job: no outbox');
      const ended = newJob();
      await store.jobs.createJob(ended, input(), dispatchOf(ended));
      await store.jobs.cancelJob(ended.id, ended.tenant, t0 + 100);
      const open = newJob({ createdAt: t0 + 1 });
      await store.jobs.createJob(open, input(), dispatchOf(open));
      assert.equal(await store.jobs.deleteFinishedBefore(t0 + 5_000), 1);
      assert.deepEqual(
        (await store.dispatches.claim(10, 30_000)).map((dispatch) => dispatch.id),
        [open.id],
      );
    });

    it('splits unsent dispatches between concurrent relays', async (context) => {
      if (!store.capabilities.shared) return context.skip('the embedded queue commits with the job: no outbox');
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const job = newJob({ createdAt: t0 + i });
        await store.jobs.createJob(job, input(), dispatchOf(job));
        ids.push(job.id);
      }
      assert.deepEqual(
        (await store.dispatches.claim(3, 30_000)).map((dispatch) => dispatch.id),
        ids.slice(0, 3),
        'oldest first',
      );
      const claims = await Promise.all(Array.from({ length: 4 }, () => store.dispatches.claim(15, 30_000)));
      const claimed = claims.flat().map((dispatch) => dispatch.id);
      assert.equal(new Set(claimed).size, claimed.length, 'no dispatch goes to two relays');
      assert.deepEqual([...claimed].sort(), ids.slice(3).sort());
    });
  });
}
