import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Claim, EnqueueRequest, JobQueue } from '../../src/core/ports/queue.js';

/**
 * The behaviour every JobQueue adapter must have, as one suite. An adapter's test file calls
 * `queueContract(name, open)`; `open` gives a fresh, empty queue and a clock the suite can
 * move (an adapter with an injectable clock advances it; one on a real broker waits).
 */
export interface QueueHarness {
  queue: JobQueue;
  /** Moves the queue's notion of now forward. */
  advance(ms: number): Promise<void>;
  now(): number;
  close(): Promise<void>;
}

/** What an adapter cannot do by design, so the suite asserts the weaker guarantee it gives. */
export interface QueueContractOptions {
  /**
   * `cancel(id)` reaches only items this process holds (a broker cannot take a message out of
   * the middle of a queue): cancelling a waiting item elsewhere may answer false, but the item
   * must still never be handed out here.
   */
  cancelIsLocal?: boolean;
}

let counter = 0;
const item = (overrides: Partial<EnqueueRequest> = {}): EnqueueRequest => ({
  id: `job_contract_${process.pid}_${++counter}`,
  tenant: 'tenant-a',
  maxAttempts: 3,
  ...overrides,
});

export function queueContract(name: string, open: () => Promise<QueueHarness>, options: QueueContractOptions = {}): void {
  describe(`JobQueue contract: ${name}`, () => {
    let h: QueueHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('delivers an enqueued item once, with attempt 1 and a fencing token, and forgets it when completed', async () => {
      const a = item();
      await h.queue.enqueue([a]);
      const [claim, ...rest] = await h.queue.claim(10, 1_000);
      assert.equal(rest.length, 0);
      assert.equal(claim!.id, a.id);
      assert.equal(claim!.tenant, 'tenant-a');
      assert.equal(claim!.attempt, 1);
      assert.ok(claim!.token > 0);
      assert.ok(claim!.leaseUntil > h.now());
      assert.deepEqual(await h.queue.claim(10, 30_000), [], 'a leased item is not handed out twice');
      assert.equal(await h.queue.complete(claim!), true);
      await h.advance(1_001);
      await h.queue.recover();
      assert.deepEqual(await h.queue.claim(10, 30_000), [], 'a completed item never comes back, even past its lease');
      assert.deepEqual(await h.queue.depth(), { ready: 0, delayed: 0, leased: 0, dead: 0 });
    });

    it('hands out higher priority first, then oldest first', async () => {
      const low = item({ priority: 0, runAt: h.now() - 3 });
      const high = item({ priority: 5, runAt: h.now() - 1 });
      const lowLater = item({ priority: 0, runAt: h.now() - 2 });
      await h.queue.enqueue([low, high, lowLater]);
      const claims = await h.queue.claim(3, 30_000);
      assert.deepEqual(
        claims.map((claim) => claim.id),
        [high.id, low.id, lowLater.id],
      );
    });

    it('holds a delayed item until its time', async () => {
      const delayed = item({ runAt: h.now() + 1_500 });
      await h.queue.enqueue([delayed]);
      assert.deepEqual(await h.queue.claim(1, 30_000), []);
      assert.equal((await h.queue.depth()).delayed, 1);
      await h.advance(1_501);
      assert.equal((await h.queue.claim(1, 30_000))[0]?.id, delayed.id);
    });

    it('treats enqueueing a waiting id again as a no-op', async () => {
      const a = item();
      await h.queue.enqueue([a]);
      await h.queue.enqueue([a]);
      assert.equal((await h.queue.claim(10, 30_000)).length, 1);
    });

    it('never gives one item to two concurrent claimers', async () => {
      const items = Array.from({ length: 200 }, () => item());
      await h.queue.enqueue(items);
      const batches = await Promise.all(Array.from({ length: 8 }, () => h.queue.claim(40, 30_000)));
      const ids = batches.flat().map((claim) => claim.id);
      assert.equal(ids.length, 200, 'every item claimed');
      assert.equal(new Set(ids).size, 200, 'no item claimed twice');
    });

    it('gives an expired lease to the next claimer with a larger token, and fences the old holder', async () => {
      const a = item();
      await h.queue.enqueue([a]);
      const [first] = await h.queue.claim(1, 1_000);
      await h.advance(1_001);
      assert.deepEqual(await h.queue.recover(), []);
      const [second] = await h.queue.claim(1, 1_000);
      assert.equal(second?.id, a.id);
      assert.equal(second!.attempt, 2, 'an expired lease counts as an attempt');
      assert.ok(second!.token > first!.token, 'the fencing token grows');
      assert.equal(await h.queue.complete(first!), false, 'the old holder cannot complete');
      assert.equal(await h.queue.heartbeat(first!, 1_000), undefined, 'nor extend');
      assert.deepEqual(await h.queue.fail(first!, { retryable: true }), { outcome: 'fenced' }, 'nor fail');
      assert.equal(await h.queue.complete(second!), true);
    });

    it('keeps a heartbeating lease alive past its first expiry', async () => {
      await h.queue.enqueue([item()]);
      const [claim] = await h.queue.claim(1, 1_000);
      await h.advance(800);
      const extended = await h.queue.heartbeat(claim!, 1_000);
      assert.ok(extended !== undefined && extended > claim!.leaseUntil);
      await h.advance(800);
      await h.queue.recover();
      assert.deepEqual(await h.queue.claim(1, 1_000), [], 'still leased to the first claimer');
      assert.equal(await h.queue.complete(claim!), true);
    });

    it('retries a retryable failure after a backoff, counting attempts', async () => {
      const a = item({ maxAttempts: 3 });
      await h.queue.enqueue([a]);
      const [claim] = await h.queue.claim(1, 30_000);
      const failed = await h.queue.fail(claim!, { retryable: true });
      assert.equal(failed.outcome, 'retry');
      assert.ok(failed.outcome === 'retry' && failed.retryAt > h.now(), 'not immediately');
      assert.deepEqual(await h.queue.claim(1, 30_000), [], 'waits out the backoff');
      await h.advance(failed.outcome === 'retry' ? failed.retryAt - h.now() + 1 : 0);
      const [again] = await h.queue.claim(1, 30_000);
      assert.equal(again?.attempt, 2);
    });

    it('honours an explicit retry delay', async () => {
      await h.queue.enqueue([item()]);
      const [claim] = await h.queue.claim(1, 30_000);
      const failed = await h.queue.fail(claim!, { retryable: true, delayMs: 7_000 });
      assert.ok(failed.outcome === 'retry' && Math.abs(failed.retryAt - (h.now() + 7_000)) < 50);
    });

    it('dead-letters after the last attempt, and at once for a non-retryable failure', async () => {
      const a = item({ maxAttempts: 2 });
      const b = item({ maxAttempts: 5 });
      await h.queue.enqueue([a, b]);
      let retryAt = h.now();
      for (let attempt = 1; attempt <= 2; attempt++) {
        await h.advance(Math.max(0, retryAt - h.now() + 1));
        const claims = await h.queue.claim(2, 30_000);
        const claimA = claims.find((claim) => claim.id === a.id)!;
        const outcome = await h.queue.fail(claimA, { retryable: true, delayMs: 1 });
        if (outcome.outcome === 'retry') retryAt = outcome.retryAt;
        assert.equal(outcome.outcome, attempt === 2 ? 'dead' : 'retry');
        const claimB = claims.find((claim) => claim.id === b.id);
        if (claimB) assert.deepEqual(await h.queue.fail(claimB, { retryable: false }), { outcome: 'dead' });
      }
      const dead = await h.queue.deadLetters(10);
      assert.deepEqual(
        dead.map((letter) => [letter.id, letter.reason]).sort(),
        [
          [a.id, 'attempts'],
          [b.id, 'failed'],
        ].sort(),
      );
      await h.advance(Math.max(0, retryAt - h.now() + 1));
      assert.deepEqual(await h.queue.claim(10, 30_000), []);
      assert.equal((await h.queue.depth()).dead, 2);
    });

    it('dead-letters an item whose lease expired on its last attempt (a worker that keeps crashing)', async () => {
      const a = item({ maxAttempts: 1 });
      await h.queue.enqueue([a]);
      await h.queue.claim(1, 1_000);
      await h.advance(1_001);
      const dead = await h.queue.recover();
      assert.deepEqual(
        dead.map((letter) => [letter.id, letter.reason, letter.attempts]),
        [[a.id, 'attempts', 1]],
      );
    });

    it('dead-letters a waiting item once its deadline passes', async () => {
      const a = item({ runAt: h.now() + 2_000, deadline: h.now() + 1_000 });
      await h.queue.enqueue([a]);
      await h.advance(2_001);
      assert.deepEqual(await h.queue.claim(1, 30_000), [], 'never handed out past its deadline');
      const dead = await h.queue.recover();
      assert.deepEqual(
        dead.map((letter) => [letter.id, letter.reason]),
        [[a.id, 'deadline']],
      );
    });

    it('cancels a waiting item, and fences a claimed one', async () => {
      const waiting = item({ runAt: h.now() + 1_000 });
      const claimed = item();
      await h.queue.enqueue([waiting, claimed]);
      const [claim] = await h.queue.claim(1, 30_000);
      assert.equal(claim?.id, claimed.id);
      const cancelledWaiting = await h.queue.cancel(waiting.id);
      if (!options.cancelIsLocal) assert.equal(cancelledWaiting, true);
      assert.equal(await h.queue.cancel(claimed.id), true);
      assert.equal(await h.queue.complete(claim!), false, 'the holder of a cancelled item is fenced');
      await h.advance(2_000);
      assert.deepEqual(await h.queue.claim(10, 30_000), []);
      assert.equal(await h.queue.cancel(waiting.id), false, 'already gone');
    });

    it('takes a released item back without counting the attempt', async () => {
      await h.queue.enqueue([item()]);
      const [claim] = await h.queue.claim(1, 30_000);
      assert.equal(await h.queue.release(claim!), true);
      const [again] = await h.queue.claim(1, 30_000);
      assert.equal(again?.attempt, 1);
      assert.ok(again!.token > claim!.token);
    });

    it('reports its depth', async () => {
      await h.queue.enqueue([item(), item(), item({ runAt: h.now() + 60_000 })]);
      await h.queue.claim(1, 30_000);
      assert.deepEqual(await h.queue.depth(), { ready: 1, delayed: 1, leased: 1, dead: 0 });
    });

    it('wakes listeners when items are enqueued', async () => {
      let woken = 0;
      const stop = h.queue.onReady(() => woken++);
      await h.queue.enqueue([item()]);
      stop();
      await h.queue.enqueue([item()]);
      assert.equal(woken, 1);
    });
  });
}

export type { Claim };
