import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { usage } from '../../../../test/contracts/store-fixtures.js';
import { SqliteStore } from './sqlite-store.js';

const folder = mkdtempSync(join(tmpdir(), 'bw-read-thread-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test("a month of usage is aggregated off the event loop: the loop keeps turning while it is read, and the figures are the store's", async () => {
  const store = await SqliteStore.open(join(folder, 'ledger.db'));
  try {
    const day = 86_400_000;
    const start = Date.parse('2026-11-01T00:00:00Z');
    for (let batch = 0; batch < 60; batch++) {
      await store.ledger.appendUsage(
        Array.from({ length: 1_000 }, (_, index) => usage({ ts: start + ((batch * 1_000 + index) % 30) * day + index, keyId: `key-${index % 20}`, costUsd: 0.001 })),
      );
    }
    // Turns of the loop while the read is pending: a read on the loop allows none.
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const rows = await store.ledger.aggregateUsage({ from: start, to: start + 30 * day });
    counting = false;
    assert.equal(
      rows.reduce((sum, row) => sum + row.requests, 0),
      60_000,
    );
    assert.equal(Math.round(rows.reduce((sum, row) => sum + row.costUsd, 0) * 1_000), 60_000);
    assert.equal(new Set(rows.map((row) => row.day)).size, 30, 'thirty days');
    assert.ok(turns >= 3, `the loop turned ${turns} times while 60,000 rows were aggregated`);
  } finally {
    await store.close();
  }
});

test('an in-memory store reads on its own connection (no file for another to open)', async () => {
  const store = await SqliteStore.open(':memory:');
  try {
    await store.ledger.appendUsage([usage({ ts: 1_000 }), usage({ ts: 2_000 })]);
    assert.deepEqual(
      (await store.ledger.latestLatencies({ from: 0, to: 10_000, limit: 5 })).map((row) => row.ts),
      [2_000, 1_000],
    );
  } finally {
    await store.close();
  }
});
