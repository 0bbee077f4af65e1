import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyStore, NewVirtualKey, VirtualKey } from '../ports/store.js';
import { hashSecret, KeyService } from './key-service.js';

/** A key store that counts lookups and can be told to fail the next one. */
class CountingKeyStore implements KeyStore {
  readonly keys = new Map<string, VirtualKey>();
  lookups = 0;
  failNext = false;

  async createKey(key: NewVirtualKey): Promise<VirtualKey> {
    const stored: VirtualKey = { ...key, createdAt: Date.now(), revokedAt: null };
    this.keys.set(key.hash, stored);
    return stored;
  }
  async findKeyByHash(hash: string): Promise<VirtualKey | undefined> {
    this.lookups++;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store unreachable');
    }
    return this.keys.get(hash);
  }
  async findKey(): Promise<VirtualKey | undefined> {
    return undefined;
  }
  async listKeys(): Promise<VirtualKey[]> {
    return [...this.keys.values()];
  }
  async revokeKey(): Promise<VirtualKey | undefined> {
    return undefined;
  }
}

test('a burst of requests with one cold key costs one store lookup', async () => {
  const store = new CountingKeyStore();
  const service = new KeyService(store);
  const { secret, key } = await service.create({ name: 'burst' });
  assert.equal(store.keys.get(hashSecret(secret))?.id, key.id);

  const found = await Promise.all(Array.from({ length: 100 }, () => service.authenticate(secret)));
  assert.ok(found.every((each) => each.id === key.id));
  assert.equal(store.lookups, 1);
});

test('a failed lookup is not cached: the next request asks the store again', async () => {
  const store = new CountingKeyStore();
  const service = new KeyService(store);
  const { secret, key } = await service.create({ name: 'flaky' });
  store.failNext = true;
  await assert.rejects(service.authenticate(secret), /store unreachable/);
  assert.equal((await service.authenticate(secret)).id, key.id);
  assert.equal(store.lookups, 2);
});
