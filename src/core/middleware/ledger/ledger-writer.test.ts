import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { usage } from '../../../../test/contracts/store-contract.js';
import { SqliteStore } from '../../../adapters/store/sqlite/sqlite-store.js';
import type { LedgerStore, UsageRow } from '../../ports/store.js';
import { LedgerWriter } from './ledger-writer.js';

/**
 * A real SQLite ledger whose writes fail while `failing` says so (as when the disk is full or
 * the database is unreachable); `written` resolves once the file holds `expected` rows.
 */
async function flakyLedger(t: { after(fn: () => Promise<void>): void }, failing: (call: number) => boolean) {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-ledger-writer-'));
  const path = join(folder, 'store.db');
  const store = await SqliteStore.open(path);
  // A second connection reads what reached the file, as an operator's query would.
  const reader = new Database(path, { readonly: true });
  t.after(async () => {
    reader.close();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });
  let calls = 0;
  let failures = 0;
  let waiter: { expected: number; resolve: () => void } | undefined;
  const requestIds = async (): Promise<string[]> => reader.prepare('SELECT request_id FROM usage ORDER BY rowid').pluck().all() as string[];
  const ledger: LedgerStore = {
    appendUsage: async (rows: readonly UsageRow[]) => {
      if (failing(++calls)) {
        failures++;
        throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
      }
      await store.ledger.appendUsage(rows);
      if (waiter && (await requestIds()).length >= waiter.expected) waiter.resolve();
    },
    aggregateUsage: (query) => store.ledger.aggregateUsage(query),
    spendSince: (keyId, since) => store.ledger.spendSince(keyId, since),
    deleteUsageBefore: (ts) => store.ledger.deleteUsageBefore(ts),
    windowStats: (from, to) => store.ledger.windowStats(from, to),
    listRequests: (query) => store.ledger.listRequests(query),
    latestLatencies: (query) => store.ledger.latestLatencies(query),
  };
  return {
    ledger,
    requestIds,
    failures: () => failures,
    written: (expected: number) => new Promise<void>((resolve) => (waiter = { expected, resolve })),
  };
}

test('a ledger flush that fails keeps its rows and retries until the store takes them (rows used to be dropped)', { timeout: 10_000 }, async (t) => {
  const flaky = await flakyLedger(t, (call) => call <= 3);
  const errors: unknown[] = [];
  const drops: number[] = [];
  const writer = new LedgerWriter({
    ledger: flaky.ledger,
    flushIntervalMs: 5,
    maxBufferedRows: 10_000,
    onError: (error) => errors.push(error),
    onDrop: (rows) => drops.push(rows),
  });
  const rows = Array.from({ length: 1_200 }, () => usage({}));
  const written = flaky.written(rows.length);
  // The writer's timers are unref'd (they must not hold a process open); the test holds it.
  const keepAlive = setInterval(() => {}, 1_000);
  for (const row of rows) writer.add(row);
  await written.finally(() => clearInterval(keepAlive));

  assert.deepEqual(
    await flaky.requestIds(),
    rows.map((row) => row.requestId),
    'every row once, in order',
  );
  assert.equal(flaky.failures(), 3);
  assert.equal(errors.length, 3, 'each failed write is reported');
  assert.deepEqual(drops, []);
  assert.equal(writer.pending, 0);
});

test('rows beyond ledger.maxBufferedRows are dropped oldest first, counted, and reported once per burst', { timeout: 10_000 }, async (t) => {
  let down = true;
  const flaky = await flakyLedger(t, () => down);
  const drops: Array<[number, boolean]> = [];
  // A long interval: the retry timer stays out of the way, flush() drives every write.
  const writer = new LedgerWriter({ ledger: flaky.ledger, flushIntervalMs: 60_000, maxBufferedRows: 100, onError: () => {}, onDrop: (rows, first) => drops.push([rows, first]) });
  const rows = Array.from({ length: 250 }, () => usage({}));
  for (const row of rows.slice(0, 50)) writer.add(row);
  await writer.flush();
  for (const row of rows.slice(50)) writer.add(row);
  await writer.flush();

  assert.equal(writer.pending, 100, 'the buffer holds at most maxBufferedRows');
  assert.equal(
    drops.reduce((sum, [count]) => sum + count, 0),
    150,
    'every dropped row is counted',
  );
  assert.deepEqual(drops.filter(([, first]) => first).length, 1, 'one report for the burst');

  down = false;
  await writer.flush();
  assert.deepEqual(
    await flaky.requestIds(),
    rows.slice(150).map((row) => row.requestId),
    'the newest rows are kept',
  );

  down = true;
  for (const row of Array.from({ length: 101 }, () => usage({}))) writer.add(row);
  assert.deepEqual(drops.filter(([, first]) => first).length, 2, 'a new burst after a successful write is reported again');
});

test('flush on shutdown writes the rows held for a retry without waiting for the backoff', { timeout: 10_000 }, async (t) => {
  const flaky = await flakyLedger(t, (call) => call === 1);
  const writer = new LedgerWriter({ ledger: flaky.ledger, flushIntervalMs: 60_000, maxBufferedRows: 1_000, onError: () => {}, onDrop: () => {} });
  const rows = Array.from({ length: 20 }, () => usage({}));
  for (const row of rows) writer.add(row);
  await writer.flush();
  assert.equal(writer.pending, 20, 'kept after the failed write');
  await writer.flush();
  assert.deepEqual(
    await flaky.requestIds(),
    rows.map((row) => row.requestId),
  );
  assert.equal(writer.pending, 0);
});

test('a flush that fails after SQLite committed part of it retries only the rest: no usage row (or its cost) counted twice', { timeout: 10_000 }, async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-ledger-partial-'));
  const path = join(folder, 'store.db');
  const store = await SqliteStore.open(path);
  // A second connection plays the operator: a trigger makes the store refuse one row, as a
  // full disk would refuse a slice midway through a flush.
  const operator = new Database(path);
  t.after(async () => {
    operator.close();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });
  operator.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON usage WHEN NEW.request_id = 'poison' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
  const errors: unknown[] = [];
  const writer = new LedgerWriter({ ledger: store.ledger, flushIntervalMs: 60_000, maxBufferedRows: 10_000, onError: (error) => errors.push(error), onDrop: () => {} });
  const rows = Array.from({ length: 100 }, (_, index) => usage({ requestId: index === 70 ? 'poison' : `request-${index}` }));
  for (const row of rows) writer.add(row);
  await writer.flush();
  assert.equal(errors.length, 1, 'the failed slice is reported');
  const committed = operator.prepare('SELECT count(*) FROM usage').pluck().get() as number;
  assert.ok(committed > 0 && committed < 100, `a prefix was committed (${committed} rows)`);
  operator.exec('DROP TRIGGER refuse_poison');
  await writer.flush();
  const ids = operator.prepare('SELECT request_id FROM usage ORDER BY rowid').pluck().all() as string[];
  assert.deepEqual(
    ids,
    rows.map((row) => row.requestId),
    'every row exactly once, in order',
  );
  assert.equal(writer.pending, 0);
});
