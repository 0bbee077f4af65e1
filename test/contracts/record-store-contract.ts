import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredRecord } from '../../src/core/ports/record-store.js';
import type { Store } from '../../src/core/ports/store.js';
import { record, runningJob, t0 } from './store-fixtures.js';

/**
 * The records domain of the store contract (`store.records`). Records are written by the job
 * port's completeJob (its own slice checks that they commit with the job); these cases read
 * them. `current` gives the store of the running test (fresh for each).
 */
export function recordStoreContract(current: () => Store): void {
  describe('records', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it('pages records of a tenant’s pipeline newest first', async () => {
      const stored: StoredRecord[] = [];
      for (let i = 0; i < 3; i++) {
        const job = await runningJob(store, {}, 1);
        const item = record(job.id, { createdAt: t0 + i });
        await store.jobs.completeJob(job.id, 1, {}, t0 + i, { record: item });
        stored.push(item);
      }
      const other = await runningJob(store, { tenant: 'tenant-b' }, 1);
      await store.jobs.completeJob(other.id, 1, {}, t0, { record: record(other.id, { tenant: 'tenant-b' }) });
      const first = await store.records.list('tenant-a', 'invoices', undefined, 2);
      assert.deepEqual(first.data, [stored[2], stored[1]]);
      const second = await store.records.list('tenant-a', 'invoices', first.nextCursor!, 2);
      assert.deepEqual(second, { data: [stored[0]], nextCursor: null });
      assert.deepEqual((await store.records.list('tenant-a', 'receipts', undefined, 2)).data, []);
      assert.deepEqual(
        (await store.records.list('tenant-b', 'invoices', undefined, 2)).data.map((item) => item.jobId),
        [other.id],
      );
    });

    it('finds the record a job wrote, and none for a job without one', async () => {
      const job = await runningJob(store, {}, 1);
      const item = record(job.id);
      await store.jobs.completeJob(job.id, 1, {}, t0 + 1_000, { record: item });
      assert.deepEqual(await store.records.getByJob(job.id), item);
      const bare = await runningJob(store, {}, 1);
      await store.jobs.completeJob(bare.id, 1, {}, t0 + 1_000, {});
      assert.equal(await store.records.getByJob(bare.id), undefined);
      assert.equal(await store.records.getByJob('job_missing'), undefined);
    });
  });
}
