import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usage } from '../../../../test/contracts/store-contract.js';
import Database from 'better-sqlite3';
import { SqliteStore } from './sqlite-store.js';

test('a large ledger flush lets other work run between its slices and still writes every row once', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-ledger-'));
  const store = await SqliteStore.open(join(folder, 'store.db'));
  t.after(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const rows = Array.from({ length: 100 }, () => usage({ keyId: 'key-a', costUsd: 0.001 }));
  const requestsOf = async () => (await store.ledger.aggregateUsage({ from: 0, to: Number.MAX_SAFE_INTEGER })).reduce((sum, group) => sum + group.requests, 0);

  // Counted on a connection of the test's own, synchronously, at the moment the other work runs
  // (the store's own reads go through its read thread, and would answer after the flush).
  const reader = new Database(join(folder, 'store.db'), { readonly: true });
  t.after(() => reader.close());
  const committed = () => reader.prepare('SELECT count(*) FROM usage').pluck().get() as number;

  const flushed = store.ledger.appendUsage(rows);
  // A request arriving during the flush: it must get the event loop before the last row is in.
  const seenMidway = await new Promise<number>((resolve) => setImmediate(() => resolve(committed())));
  await flushed;

  assert.ok(seenMidway > 0 && seenMidway < rows.length, `other work ran with ${seenMidway} of ${rows.length} rows written`);
  assert.equal(await requestsOf(), rows.length);
  assert.equal(await store.ledger.spendSince('key-a', 0), 0.1);
});
