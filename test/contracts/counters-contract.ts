import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Counters, ReserveResult } from '../../src/core/ports/counters.js';

/**
 * The behaviour every Counters adapter must have, as one suite. An adapter's test file calls
 * `countersContract(name, open)`; `open` gives counters that may already hold other tests'
 * names (every case uses fresh random names). The clock is real: adapters on a server's clock
 * cannot be moved, so the expiry cases use windows of about a second (holds and budgets of a
 * few hundred ms) and wait for the expiry to show.
 */
export interface CountersHarness {
  counters: Counters;
  close(): Promise<void>;
}

const minute = 60_000;
/** The bucket width of a window, as the embedded adapter and the Redis script both compute it. */
const bucketOf = (windowMs: number): number => Math.max(1, Math.ceil(windowMs / 600));
const fresh = (label: string): string => `${label}-${randomBytes(6).toString('hex')}`;

function reserved(result: ReserveResult): Extract<ReserveResult, { status: 'reserved' }> {
  assert.equal(result.status, 'reserved', JSON.stringify(result));
  return result as Extract<ReserveResult, { status: 'reserved' }>;
}

function usedOf(result: ReserveResult): number {
  assert.notEqual(result.status, 'missing');
  return (result as { used: number }).used;
}

/** Re-checks a condition every 10 ms until it holds (an expiry on a clock the test cannot move). */
async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `the condition did not hold within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export function countersContract(name: string, open: () => Promise<CountersHarness>): void {
  describe(`Counters contract: ${name}`, () => {
    let h: CountersHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('grants exactly the limit to 200 concurrent takes', async () => {
      const window = fresh('w');
      const results = await Promise.all(Array.from({ length: 200 }, () => h.counters.takeFromWindow(window, 1, 50, minute)));
      assert.equal(results.filter((result) => result.ok).length, 50);
      for (const refused of results.filter((result) => !result.ok)) assert.ok(refused.retryAfterMs > 0);
      assert.equal((await h.counters.takeFromWindow(window, 1, 50, minute)).ok, false);
    });

    it('counts amounts, not calls, and refuses an amount over the limit on its own', async () => {
      const window = fresh('w');
      assert.equal((await h.counters.takeFromWindow(window, 60, 100, minute)).ok, true);
      assert.equal((await h.counters.takeFromWindow(window, 41, 100, minute)).ok, false);
      assert.equal((await h.counters.takeFromWindow(window, 40, 100, minute)).ok, true);
      const alone = await h.counters.takeFromWindow(fresh('w'), 101, 100, minute);
      assert.equal(alone.ok, false);
      assert.ok(alone.retryAfterMs > 0 && alone.retryAfterMs <= minute + bucketOf(minute), String(alone.retryAfterMs));
    });

    it('says a refusal may retry when the oldest take expires: after the window, at most one bucket late', async () => {
      const window = fresh('w');
      const before = Date.now();
      assert.equal((await h.counters.takeFromWindow(window, 10, 10, minute)).ok, true);
      const refused = await h.counters.takeFromWindow(window, 1, 10, minute);
      const elapsed = Date.now() - before;
      assert.equal(refused.ok, false);
      // The take happened at most `elapsed` ago, and its bucket started no later than it.
      assert.ok(refused.retryAfterMs > minute - elapsed, `${refused.retryAfterMs} <= ${minute} - ${elapsed}`);
      assert.ok(refused.retryAfterMs <= minute + bucketOf(minute), String(refused.retryAfterMs));
    });

    it('waits only for as many takes to expire as the refused amount needs', async () => {
      const windowMs = 1_200;
      const window = fresh('w');
      assert.equal((await h.counters.takeFromWindow(window, 6, 10, windowMs)).ok, true);
      const afterFirst = Date.now();
      await sleep(100);
      const second = Date.now();
      assert.equal((await h.counters.takeFromWindow(window, 4, 10, windowMs)).ok, true);
      const firstExpiresBy = windowMs + bucketOf(windowMs) - (Date.now() - afterFirst);
      const needsFirst = await h.counters.takeFromWindow(window, 5, 10, windowMs);
      const needsBoth = await h.counters.takeFromWindow(window, 7, 10, windowMs);
      const elapsed = Date.now() - second;
      assert.equal(needsFirst.ok, false);
      assert.equal(needsBoth.ok, false);
      assert.ok(needsFirst.retryAfterMs <= firstExpiresBy, `first take: ${needsFirst.retryAfterMs} > ${firstExpiresBy}`);
      assert.ok(needsBoth.retryAfterMs > windowMs - elapsed, `second take: ${needsBoth.retryAfterMs}`);
      assert.ok(needsBoth.retryAfterMs <= windowMs + bucketOf(windowMs), `second take: ${needsBoth.retryAfterMs}`);
    });

    it('frees capacity with a negative correction and consumes it with a positive one', async () => {
      const freed = fresh('w');
      assert.equal((await h.counters.takeFromWindow(freed, 100, 100, minute)).ok, true);
      await h.counters.adjustWindow(freed, -30, minute);
      assert.equal((await h.counters.takeFromWindow(freed, 30, 100, minute)).ok, true, 'a true-up frees capacity');
      assert.equal((await h.counters.takeFromWindow(freed, 1, 100, minute)).ok, false);

      const consumed = fresh('w');
      assert.equal((await h.counters.takeFromWindow(consumed, 50, 100, minute)).ok, true);
      await h.counters.adjustWindow(consumed, 45, minute);
      await h.counters.adjustWindow(consumed, 0, minute);
      assert.equal((await h.counters.takeFromWindow(consumed, 6, 100, minute)).ok, false, 'actual usage above the estimate consumes capacity');
      assert.equal((await h.counters.takeFromWindow(consumed, 5, 100, minute)).ok, true);

      const unseen = fresh('w');
      await h.counters.adjustWindow(unseen, 20, minute);
      assert.equal((await h.counters.takeFromWindow(unseen, 81, 100, minute)).ok, false, 'a correction opens a window of its own');
    });

    it('keeps fractional amounts exact enough to fill a limit in decimal steps', async () => {
      const window = fresh('w');
      const results = [];
      for (let i = 0; i < 11; i++) results.push((await h.counters.takeFromWindow(window, 0.25, 2.5, minute)).ok);
      assert.deepEqual(results, [...Array(10).fill(true), false]);
    });

    it('never forgets a take before the window has passed, and forgets it once it has', async () => {
      const windowMs = 1_200;
      const window = fresh('w');
      const before = Date.now();
      assert.equal((await h.counters.takeFromWindow(window, 3, 3, windowMs)).ok, true);
      const afterTake = Date.now();
      await sleep(windowMs - 300);
      const beforeCheck = Date.now();
      // The take happened after `before`, so less than the window has passed since it.
      assert.ok(beforeCheck - before < windowMs - 50, 'the test itself was too slow to check early expiry');
      const stillCounted = await h.counters.takeFromWindow(window, 1, 3, windowMs);
      assert.equal(stillCounted.ok, false);
      // The take happened before `afterTake` and the check after `beforeCheck`.
      const latest = windowMs + bucketOf(windowMs) - (beforeCheck - afterTake);
      assert.ok(stillCounted.retryAfterMs <= latest, `${stillCounted.retryAfterMs} > ${latest}`);
      await sleep(stillCounted.retryAfterMs + 30);
      assert.equal((await h.counters.takeFromWindow(window, 3, 3, windowMs)).ok, true, 'the whole limit is free again');
    });

    it('reserves within a limit, settles to the actual amount, and seeds only once', async () => {
      const budget = fresh('b');
      await h.counters.seed(budget, 4, minute);
      await h.counters.seed(budget, 100, minute);
      const first = await h.counters.reserve(budget, 5, 10, minute);
      assert.equal(first.status, 'reserved');
      assert.equal(reserved(first).used, 4);
      assert.deepEqual(await h.counters.reserve(budget, 2, 10, minute), { status: 'refused', used: 9 });
      assert.equal(await h.counters.settle(budget, reserved(first).reservation, 1), true);
      assert.equal(reserved(await h.counters.reserve(budget, 5, 10, minute)).used, 5);
      assert.deepEqual(await h.counters.reserve(budget, 0, 10, minute), { status: 'reserved', used: 10, reservation: '' }, 'a limit is inclusive');
      assert.deepEqual(await h.counters.reserve(budget, 1, 10, minute), { status: 'refused', used: 10 });
    });

    it('says a budget is missing instead of counting it as zero, for reserve and settle alike (a lost Redis must not reset budgets)', async () => {
      const budget = fresh('b');
      assert.deepEqual(await h.counters.reserve(budget, 1, 10, minute), { status: 'missing' });
      assert.deepEqual(await h.counters.reserve(budget, 0, 10, minute), { status: 'missing' });
      assert.equal(await h.counters.settle(budget, '', 3), false);
      assert.deepEqual(await h.counters.reserve(budget, 0, 10, minute), { status: 'missing' }, 'a refused settle creates nothing');
      await h.counters.seed(budget, 6, minute);
      assert.deepEqual(await h.counters.reserve(budget, 0, 10, minute), { status: 'reserved', used: 6, reservation: '' });
      assert.equal(await h.counters.settle(budget, '', 3), true);
      assert.deepEqual(await h.counters.reserve(budget, 2, 10, minute), { status: 'refused', used: 9 });
    });

    it('fits ten reservations of 0.1 into a limit of 1', async () => {
      const budget = fresh('b');
      await h.counters.seed(budget, 0, minute);
      const results = [];
      for (let i = 0; i < 11; i++) results.push(await h.counters.reserve(budget, 0.1, 1, minute));
      assert.deepEqual(
        results.map((result) => result.status),
        [...Array(10).fill('reserved'), 'refused'],
      );
      assert.ok(Math.abs(usedOf(results[10]!) - 1) < 1e-9, String(usedOf(results[10]!)));
    });

    it('grants exactly the limit to 200 concurrent reservations, each seeing a distinct spend', async () => {
      const budget = fresh('b');
      await h.counters.seed(budget, 0, minute);
      const results = await Promise.all(Array.from({ length: 200 }, () => h.counters.reserve(budget, 1, 50, minute)));
      const granted = results.filter((result) => result.status === 'reserved');
      assert.equal(granted.length, 50);
      assert.deepEqual(
        granted.map(usedOf).sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, i) => i),
      );
      assert.equal(new Set(granted.map((result) => reserved(result).reservation)).size, 50, 'each hold has its own name');
      for (const refused of results.filter((result) => result.status !== 'reserved')) assert.deepEqual(refused, { status: 'refused', used: 50 });
    });

    it('forgets a budget after its TTL: it is missing again, to be seeded from the ledger', async () => {
      const budget = fresh('b');
      await h.counters.seed(budget, 8, 300);
      assert.equal(usedOf(await h.counters.reserve(budget, 1, 10, minute)), 8);
      await until(async () => (await h.counters.reserve(budget, 0, 10, minute)).status === 'missing');
    });

    it('gives a hold back once its lifetime has passed, never before (a node that crashed mid-call never settles)', async () => {
      const budget = fresh('b');
      const holdMs = 300;
      await h.counters.seed(budget, 1, minute);
      const before = Date.now();
      assert.equal((await h.counters.reserve(budget, 8, 10, holdMs)).status, 'reserved');
      assert.deepEqual(await h.counters.reserve(budget, 8, 10, minute), { status: 'refused', used: 9 });
      await until(async () => (await h.counters.reserve(budget, 8, 10, minute)).status === 'reserved');
      // The hold's clock may be the server's, a millisecond apart from ours.
      assert.ok(Date.now() - before >= holdMs - 2, `given back after ${Date.now() - before} ms`);
    });

    it('keeps an extended hold past its first lifetime, and settles a hold that expired as its actual amount only', async () => {
      const kept = fresh('b');
      await h.counters.seed(kept, 0, minute);
      const hold = reserved(await h.counters.reserve(kept, 8, 10, 200)).reservation;
      assert.equal(await h.counters.extendReservation(kept, hold, minute), true);
      await sleep(300);
      assert.deepEqual(await h.counters.reserve(kept, 8, 10, minute), { status: 'refused', used: 8 }, 'the extended hold still counts');
      assert.equal(await h.counters.settle(kept, hold, 3), true);
      assert.equal(await h.counters.extendReservation(kept, hold, minute), false, 'a settled hold is gone');
      assert.deepEqual(await h.counters.reserve(kept, 0, 10, minute), { status: 'reserved', used: 3, reservation: '' });

      const late = fresh('b');
      await h.counters.seed(late, 0, minute);
      const expiring = reserved(await h.counters.reserve(late, 5, 10, 150)).reservation;
      await until(async () => usedOf(await h.counters.reserve(late, 0, 10, minute)) === 0);
      assert.equal(await h.counters.settle(late, expiring, 2), true);
      assert.deepEqual(await h.counters.reserve(late, 0, 10, minute), { status: 'reserved', used: 2, reservation: '' });
    });

    it('counts the live holds of a budget re-seeded after it was lost', async () => {
      const budget = fresh('b');
      await h.counters.seed(budget, 0, 200);
      const hold = reserved(await h.counters.reserve(budget, 4, 10, minute)).reservation;
      await until(async () => (await h.counters.reserve(budget, 0, 10, minute)).status === 'missing');
      await h.counters.seed(budget, 1, minute);
      assert.deepEqual(await h.counters.reserve(budget, 0, 10, minute), { status: 'reserved', used: 5, reservation: '' }, 'the call in flight still holds 4');
      assert.equal(await h.counters.settle(budget, hold, 4.5), true);
      assert.deepEqual(await h.counters.reserve(budget, 0, 10, minute), { status: 'reserved', used: 5.5, reservation: '' });
    });
  });
}
