import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteObservation } from '../../src/core/ports/feedback-store.js';
import type { Store } from '../../src/core/ports/store.js';

export interface FeedbackStoreHarness {
  store: Store;
  close(): Promise<void>;
}

const t0 = 1_750_000_000_000;

function observation(overrides: Partial<RouteObservation> = {}): RouteObservation {
  return {
    requestId: 'req-1',
    tenant: 'acme',
    keyId: 'key_a',
    alias: 'auto',
    tier: 'small',
    probability: 0.125,
    vector: { named: { 'risk: health': 1, 'instruction words': 0.61 }, ngrams: [3, 17, 16_000] },
    ts: t0,
    ...overrides,
  };
}

/**
 * The behaviour every FeedbackStore adapter must have (the store's `feedback` domain); `open`
 * gives a fresh, empty store.
 */
export function feedbackStoreContract(name: string, open: () => Promise<FeedbackStoreHarness>): void {
  describe(`FeedbackStore contract: ${name}`, () => {
    let h: FeedbackStoreHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('finds a recorded call only within its tenant, with its vector intact', async () => {
      const feedback = h.store.feedback;
      await feedback.recordRoutes([observation(), observation({ tenant: 'globex', requestId: 'req-2', keyId: 'key_g', tier: 'large', probability: null })]);
      assert.deepEqual(await feedback.findRoute('acme', 'req-1'), observation());
      assert.equal(await feedback.findRoute('globex', 'req-1'), undefined, "another tenant's request id is not found");
      assert.equal(await feedback.findRoute('acme', 'req-2'), undefined);
      assert.equal((await feedback.findRoute('globex', 'req-2'))?.probability, null);
      await feedback.recordRoutes([]);
    });

    it('keeps the first record of a request id per tenant, while another tenant may reuse the id', async () => {
      const feedback = h.store.feedback;
      await feedback.recordRoutes([observation()]);
      await feedback.recordRoutes([observation({ tier: 'large', ts: t0 + 5 }), observation({ tenant: 'globex', tier: 'large' })]);
      assert.equal((await feedback.findRoute('acme', 'req-1'))?.tier, 'small');
      assert.equal((await feedback.findRoute('globex', 'req-1'))?.tier, 'large');
    });

    it('lists rated calls oldest rating first, a later rating replacing the earlier one, filtered by tenant and time', async () => {
      const feedback = h.store.feedback;
      await feedback.recordRoutes([observation(), observation({ requestId: 'req-2' }), observation({ requestId: 'req-3' }), observation({ tenant: 'globex', requestId: 'req-9' })]);
      await feedback.rate({ requestId: 'req-2', tenant: 'acme', keyId: 'key_a', rating: 'good', shouldHaveBeen: null, note: null, ts: t0 + 10 });
      await feedback.rate({ requestId: 'req-1', tenant: 'acme', keyId: 'key_a', rating: 'good', shouldHaveBeen: null, note: null, ts: t0 + 20 });
      await feedback.rate({ requestId: 'req-1', tenant: 'acme', keyId: 'key_b', rating: 'bad', shouldHaveBeen: 'large', note: 'missed the dosage question', ts: t0 + 30 });
      await feedback.rate({ requestId: 'req-9', tenant: 'globex', keyId: 'key_g', rating: 'bad', shouldHaveBeen: null, note: null, ts: t0 + 40 });
      const all = await feedback.listRated({ limit: 10 });
      assert.deepEqual(
        all.map((row) => `${row.feedback.tenant}/${row.feedback.requestId}:${row.feedback.rating}`),
        ['acme/req-2:good', 'acme/req-1:bad', 'globex/req-9:bad'],
      );
      assert.deepEqual(all[1]!.feedback, {
        requestId: 'req-1',
        tenant: 'acme',
        keyId: 'key_b',
        rating: 'bad',
        shouldHaveBeen: 'large',
        note: 'missed the dosage question',
        ts: t0 + 30,
      });
      assert.deepEqual(all[1]!.observation, observation());
      assert.deepEqual(
        (await feedback.listRated({ tenant: 'globex', limit: 10 })).map((row) => row.feedback.requestId),
        ['req-9'],
      );
      assert.deepEqual(
        (await feedback.listRated({ since: t0 + 25, limit: 10 })).map((row) => row.feedback.requestId),
        ['req-1', 'req-9'],
      );
      assert.equal((await feedback.listRated({ limit: 1 })).length, 1);
    });

    it('forgets calls recorded before a time, with their ratings', async () => {
      const feedback = h.store.feedback;
      await feedback.recordRoutes([observation(), observation({ requestId: 'req-new', ts: t0 + 1_000 })]);
      await feedback.rate({ requestId: 'req-1', tenant: 'acme', keyId: 'key_a', rating: 'good', shouldHaveBeen: null, note: null, ts: t0 + 2_000 });
      assert.equal(await feedback.deleteBefore(t0 + 500), 1);
      assert.equal(await feedback.findRoute('acme', 'req-1'), undefined);
      assert.ok(await feedback.findRoute('acme', 'req-new'));
      assert.deepEqual(await feedback.listRated({ limit: 10 }), []);
    });
  });
}
