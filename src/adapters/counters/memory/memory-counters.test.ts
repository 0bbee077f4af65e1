import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounters } from './memory-counters.js';

describe('MemoryCounters', () => {
  it('takes from a sliding window up to the limit and says when the oldest take expires', async () => {
    const counters = new MemoryCounters();
    assert.equal((await counters.takeFromWindow('w', 60, 100, 60_000)).ok, true);
    assert.equal((await counters.takeFromWindow('w', 40, 100, 60_000)).ok, true);
    const refused = await counters.takeFromWindow('w', 1, 100, 60_000);
    assert.equal(refused.ok, false);
    // The oldest take expires with its 100 ms bucket: a minute after it was taken, at most one bucket later.
    assert.ok(refused.retryAfterMs > 59_000 && refused.retryAfterMs <= 60_100, String(refused.retryAfterMs));
    await counters.adjustWindow('w', -30, 60_000);
    assert.equal((await counters.takeFromWindow('w', 30, 100, 60_000)).ok, true, 'a true-up frees capacity');
  });
});
