import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseCache } from '../../src/core/ports/response-cache.js';

/**
 * The behaviour every ResponseCache adapter must have, as one suite. `open` gives a cache
 * with room for at least a few hundred entries; every case uses fresh random keys. Expiry is
 * on the real clock (an adapter on a server's clock cannot be moved), with TTLs of ~100 ms.
 */
export interface ResponseCacheHarness {
  cache: ResponseCache;
  close(): Promise<void>;
}

const minute = 60_000;
const fresh = (): string => `k-${randomBytes(8).toString('hex')}`;

export function responseCacheContract(name: string, open: () => Promise<ResponseCacheHarness>): void {
  describe(`ResponseCache contract: ${name}`, () => {
    let h: ResponseCacheHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('misses a key never set, and returns what was set', async () => {
      const key = fresh();
      assert.equal(await h.cache.get(key), undefined);
      await h.cache.set(key, '{"id":"chatcmpl-1"}', minute);
      assert.equal(await h.cache.get(key), '{"id":"chatcmpl-1"}');
      assert.equal(await h.cache.get(fresh()), undefined, 'keys do not bleed into each other');
    });

    it('keeps values byte for byte: empty, unicode, large', async () => {
      const values = ['', 'naïve café — 東京 🚢', 'x'.repeat(512 * 1024), '{"a":"\\u0000 \\n"}'];
      const keys = values.map(() => fresh());
      await Promise.all(values.map((value, i) => h.cache.set(keys[i]!, value, minute)));
      assert.deepEqual(await Promise.all(keys.map((key) => h.cache.get(key))), values);
    });

    it('replaces a value on overwrite, TTL included', async () => {
      const key = fresh();
      await h.cache.set(key, 'first', 100);
      await h.cache.set(key, 'second', minute);
      assert.equal(await h.cache.get(key), 'second');
      await sleep(200);
      assert.equal(await h.cache.get(key), 'second', 'the longer TTL of the overwrite holds');
    });

    it('deletes a key, and deleting a missing key is fine', async () => {
      const key = fresh();
      await h.cache.set(key, 'value', minute);
      await h.cache.delete(key);
      assert.equal(await h.cache.get(key), undefined);
      await h.cache.delete(key);
      await h.cache.delete(fresh());
    });

    it('expires an entry after its TTL', async () => {
      const short = fresh();
      const long = fresh();
      await h.cache.set(short, 'short-lived', 100);
      await h.cache.set(long, 'long-lived', minute);
      assert.equal(await h.cache.get(short), 'short-lived');
      await sleep(200);
      assert.equal(await h.cache.get(short), undefined);
      assert.equal(await h.cache.get(long), 'long-lived');
    });

    it('stores nothing for a TTL that has already run out', async () => {
      const key = fresh();
      await h.cache.set(key, 'old', minute);
      await h.cache.set(key, 'stale', 0);
      assert.equal(await h.cache.get(key), undefined);
    });
  });
}
