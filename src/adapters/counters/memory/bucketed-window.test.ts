import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BucketedWindow } from './bucketed-window.js';

describe('BucketedWindow', () => {
  it('never forgets a take before the window has passed, and forgets it within one bucket after', () => {
    const windowMs = 60_000;
    const window = BucketedWindow.forWindow(windowMs);
    assert.equal(window.bucketMs, 100);
    const takenAt = 1_000_050; // halfway through a bucket
    window.add(takenAt, 5);
    window.expire(takenAt - 1); // now = takenAt + windowMs - 1
    assert.equal(window.total, 5, 'still counted 1 ms before a full window has passed');
    window.expire(takenAt); // now = takenAt + windowMs
    assert.equal(window.total, 5, 'still counted when exactly a window has passed but its bucket has not ended');
    window.expire(takenAt + 50); // now = the end of its bucket + windowMs
    assert.equal(window.total, 0, 'gone once its whole bucket is a window old');
  });

  it('keeps one slot per bucket however many takes land in it, and wraps its ring', () => {
    const window = new BucketedWindow(10);
    for (let t = 0; t < 100_000; t++) {
      window.add(t, 1);
      window.expire(t - 1_000);
    }
    // 1,000 ms of 10 ms buckets: about 100 live buckets, total the takes of the last second.
    assert.ok(window.total >= 1_000 && window.total <= 1_010, String(window.total));
    assert.ok((window as unknown as { starts: Float64Array }).starts.length <= 256, 'the ring stays sized to the window, not the request count');
  });

  it('says when enough of the window expires to fit a refused amount', () => {
    const window = new BucketedWindow(100);
    window.add(0, 3);
    window.add(250, 4);
    assert.equal(window.expiryCovering(2, 1_000, 300), 1_100, 'the first bucket (0–100) expires at 1,100');
    assert.equal(window.expiryCovering(5, 1_000, 300), 1_300, 'needs the second bucket (200–300) too');
    assert.equal(window.expiryCovering(9, 1_000, 500), 1_500, 'more than all of it: a full window from now');
  });
});
