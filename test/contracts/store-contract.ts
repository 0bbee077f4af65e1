import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/core/ports/store.js';
import { dispatchOutboxContract } from './dispatch-outbox-contract.js';
import { jobStoreContract } from './job-store-contract.js';
import { promptStoreContract } from './prompt-store-contract.js';
import { recordStoreContract } from './record-store-contract.js';
import { webhookDeliveryStoreContract } from './webhook-delivery-store-contract.js';
import { t0, usage } from './store-fixtures.js';

export { usage };

/**
 * The behaviour every Store adapter must have, as one suite: keys and the ledger here, and a
 * slice per job-side domain port (jobs, records, webhook deliveries, dispatch outbox, prompts)
 * in its own file. An adapter's test file calls `storeContract(name, open)`; `open` gives a
 * fresh, empty store. Every time the suite passes is explicit (epoch ms), except the outbox
 * lease, which runs on the store's own clock.
 */
export interface StoreHarness {
  store: Store;
  close(): Promise<void>;
}

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

    describe('keys', () => {
      it('creates a key, finds it by hash and id, never returns the hash, and lists keys in creation order', async () => {
        const before = Date.now();
        const plain = await store.keys.createKey({
          id: 'key_0001',
          name: 'plain',
          hash: 'a'.repeat(64),
          prefix: 'bw_aaaa',
          tenant: 'key_0001',
          allowedModels: null,
          rpm: null,
          tpm: null,
          budget: null,
          tags: {},
          piiPolicy: null,
        });
        assert.ok(plain.createdAt >= before && plain.createdAt <= Date.now());
        assert.equal(plain.revokedAt, null);
        assert.equal('hash' in plain, false);
        const limited = await store.keys.createKey({
          id: 'key_0002',
          name: 'limited',
          hash: 'b'.repeat(64),
          prefix: 'bw_bbbb',
          tenant: 'acme',
          allowedModels: ['fast', 'smart'],
          rpm: 60,
          tpm: 10_000,
          budget: { usd: 12.5, period: 'month' },
          tags: { team: 'billing' },
          piiPolicy: 'block',
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
          id: 'key_r',
          name: 'r',
          hash: 'd'.repeat(64),
          prefix: 'bw_dddd',
          tenant: 'key_r',
          allowedModels: null,
          rpm: null,
          tpm: null,
          budget: null,
          tags: {},
          piiPolicy: null,
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
          {
            keyId: 'key-a',
            alias: 'auto',
            day: '2025-03-04',
            routeTier: 'large',
            requests: 1,
            errors: 0,
            cacheHits: 0,
            inputTokens: 10,
            outputTokens: 5,
            costUsd: 0.5,
            piiDetections: {},
          },
          // a semantic hit is a cache hit; PII counts add up per type, values are never stored
          {
            keyId: 'key-a',
            alias: 'auto',
            day: '2025-03-04',
            routeTier: 'small',
            requests: 2,
            errors: 0,
            cacheHits: 1,
            inputTokens: 20,
            outputTokens: 10,
            costUsd: 0.03,
            piiDetections: { EMAIL: 3, PHONE: 1 },
          },
          { keyId: 'key-a', alias: 'fast', day: '2025-03-04', requests: 3, errors: 1, cacheHits: 1, inputTokens: 27, outputTokens: 13, costUsd: 0.3, ...none },
          { keyId: 'key-a', alias: 'smart', day: '2025-03-04', requests: 1, errors: 0, cacheHits: 0, inputTokens: 10, outputTokens: 5, costUsd: 1.5, ...none },
          { keyId: 'key-b', alias: 'fast', day: '2025-03-05', requests: 1, errors: 1, cacheHits: 0, inputTokens: 10, outputTokens: 5, costUsd: 0.3, ...none },
        ]);
        const byKey = await store.ledger.aggregateUsage({ from: t0, to: t0 + 2 * day, keyId: 'key-a', alias: 'smart' });
        assert.deepEqual(
          byKey.map((row) => [row.keyId, row.alias, row.requests]),
          [['key-a', 'smart', 1]],
        );
        const firstDay = await store.ledger.aggregateUsage({ from: t0 + 1, to: t0 + day, alias: 'fast' });
        assert.deepEqual(
          firstDay.map((row) => [row.keyId, row.requests]),
          [
            [null, 1],
            ['key-a', 2],
          ],
          '`from` inclusive, `to` exclusive',
        );
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

      it('gives the time and latency of the newest calls of a key, newest first, at most limit', async () => {
        await store.ledger.appendUsage(rows().map((row, index) => ({ ...row, latencyMs: 10 + index })));
        assert.deepEqual(await store.ledger.latestLatencies({ from: t0, to: t0 + 2 * day, keyId: 'key-a', limit: 3 }), [
          { ts: t0 + 7, latencyMs: 18 },
          { ts: t0 + 6, latencyMs: 17 },
          { ts: t0 + 5, latencyMs: 16 },
        ]);
        assert.equal((await store.ledger.latestLatencies({ from: t0, to: t0 + 2 * day, limit: 100 })).length, 9);
        assert.deepEqual(await store.ledger.latestLatencies({ from: t0 + day, to: t0 + 2 * day, limit: 100 }), [{ ts: t0 + day, latencyMs: 15 }]);
      });
    });

    // One slice per domain port, each run on this adapter's fresh store.
    jobStoreContract(() => store);
    recordStoreContract(() => store);
    webhookDeliveryStoreContract(() => store);
    dispatchOutboxContract(() => store);
    promptStoreContract(() => store);
  });
}
