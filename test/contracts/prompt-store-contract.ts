import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/core/ports/store.js';
import { t0 } from './store-fixtures.js';

/** The prompts domain of the store contract (`store.prompts`). `current` gives the store of the running test (fresh for each). */
export function promptStoreContract(current: () => Store): void {
  describe('prompts', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it('registers prompt versions: created, then exists for the same text, conflict for another', async () => {
      assert.equal(await store.prompts.register('invoices', 1, 'sha-a', 'Extract {{fields}}', t0), 'created');
      assert.equal(await store.prompts.register('invoices', 1, 'sha-a', 'Extract {{fields}}', t0 + 1), 'exists');
      assert.equal(await store.prompts.register('invoices', 1, 'sha-b', 'Other text', t0 + 2), 'conflict');
      assert.equal(await store.prompts.register('invoices', 2, 'sha-b', 'Other text', t0 + 3), 'created');
      assert.equal(await store.prompts.register('receipts', 1, 'sha-b', 'Other text', t0 + 4), 'created');
    });

    it('registers a version once when nodes starting at once register it together', async () => {
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => store.prompts.register('invoices', 7, 'sha-a', 'Extract {{fields}}', t0 + i)));
      assert.deepEqual([...outcomes].sort(), ['created', 'exists', 'exists', 'exists', 'exists', 'exists']);
    });
  });
}
