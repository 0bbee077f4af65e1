import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobEventBus } from '../../src/core/ports/job-events.js';
import type { JobEvent } from '../../src/core/ports/job-store.js';

/**
 * The behaviour every JobEventBus adapter must have, as one suite. A bus may deliver
 * asynchronously, so the suite waits for deliveries; `settled` says when subscriptions made so
 * far are live (a bus on a server subscribes in the background).
 */
export interface JobEventBusHarness {
  /** Opens a bus as one more node would; `close` closes every bus opened here. */
  node(): Promise<JobEventBus>;
  /** Whether separate nodes see each other's events (the bus spans processes). */
  shared: boolean;
  /** Resolves once subscriptions and unsubscriptions made so far on `bus` are in effect. */
  settled(bus: JobEventBus): Promise<void>;
  close(): Promise<void>;
}

const deliveryTimeoutMs = 2_000;
const fresh = (): string => `job_${randomBytes(6).toString('hex')}`;

function event(jobId: string, seq: number, type: JobEvent['type'] = 'job-progress'): JobEvent {
  return { jobId, seq, type, data: { step: `step ${seq}`, nested: { ratio: seq / 3, tags: ['a', 'ü'] } }, at: 1_700_000_000_000 + seq };
}

/** Records what a listener receives, and waits until it has received `count` events. */
function recorder(bus: JobEventBus, jobId: string): { events: JobEvent[]; unsubscribe: () => void; received(count: number): Promise<void> } {
  const events: JobEvent[] = [];
  const unsubscribe = bus.subscribe(jobId, (received) => events.push(received));
  return {
    events,
    unsubscribe,
    async received(count) {
      const deadline = Date.now() + deliveryTimeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) assert.fail(`expected ${count} events for ${jobId}, got ${events.length}`);
        await sleep(5);
      }
    },
  };
}

export function jobEventBusContract(name: string, open: () => Promise<JobEventBusHarness>): void {
  describe(`JobEventBus contract: ${name}`, () => {
    let h: JobEventBusHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('delivers to a subscriber only its own job’s events, in order and intact', async () => {
      const bus = await h.node();
      const [a, b] = [fresh(), fresh()];
      const followA = recorder(bus, a);
      const followB = recorder(bus, b);
      await h.settled(bus);
      const published: JobEvent[] = [];
      for (let seq = 1; seq <= 20; seq++) published.push(event(seq % 2 === 0 ? a : b, seq));
      bus.publish(event(fresh(), 1));
      for (const sent of published) bus.publish(sent);
      // Both followers finish with an end event, so nothing later can still be on its way.
      bus.publish(event(a, 21, 'job-end'));
      bus.publish(event(b, 22, 'job-end'));
      await Promise.all([followA.received(11), followB.received(11)]);
      assert.deepEqual(followA.events, [...published.filter((sent) => sent.jobId === a), event(a, 21, 'job-end')]);
      assert.deepEqual(followB.events, [...published.filter((sent) => sent.jobId === b), event(b, 22, 'job-end')]);
    });

    it('delivers to every listener of a job, and stops delivering to one that unsubscribed', async () => {
      const bus = await h.node();
      const job = fresh();
      const leaving = recorder(bus, job);
      const staying = recorder(bus, job);
      await h.settled(bus);
      bus.publish(event(job, 1));
      await Promise.all([leaving.received(1), staying.received(1)]);
      leaving.unsubscribe();
      leaving.unsubscribe();
      await h.settled(bus);
      bus.publish(event(job, 2));
      bus.publish(event(job, 3));
      await staying.received(3);
      assert.deepEqual(
        leaving.events.map((received) => received.seq),
        [1],
      );
      assert.deepEqual(
        staying.events.map((received) => received.seq),
        [1, 2, 3],
      );
    });

    it('delivers nothing after the last listener of a job unsubscribed, and again after a new subscribe', async () => {
      const bus = await h.node();
      const [job, marker] = [fresh(), fresh()];
      const first = recorder(bus, job);
      const markers = recorder(bus, marker);
      first.unsubscribe();
      await h.settled(bus);
      bus.publish(event(job, 1));
      bus.publish(event(marker, 1));
      await markers.received(1);
      const second = recorder(bus, job);
      await h.settled(bus);
      bus.publish(event(job, 2));
      bus.publish(event(marker, 2));
      await Promise.all([second.received(1), markers.received(2)]);
      assert.deepEqual(first.events, []);
      assert.deepEqual(
        second.events.map((received) => received.seq),
        [2],
      );
    });

    it('carries an event published on one node to a follower on another', async (t) => {
      if (!h.shared) {
        t.skip('this bus does not span processes: each node has its own listeners');
        return;
      }
      const [publisher, follower] = [await h.node(), await h.node()];
      const job = fresh();
      const onFollower = recorder(follower, job);
      const onPublisher = recorder(publisher, job);
      await Promise.all([h.settled(follower), h.settled(publisher)]);
      for (let seq = 1; seq <= 5; seq++) publisher.publish(event(job, seq));
      await Promise.all([onFollower.received(5), onPublisher.received(5)]);
      assert.deepEqual(
        onFollower.events,
        [1, 2, 3, 4, 5].map((seq) => event(job, seq)),
      );
      onFollower.unsubscribe();
      await h.settled(follower);
      publisher.publish(event(job, 6));
      await onPublisher.received(6);
      await sleep(50);
      assert.equal(onFollower.events.length, 5, 'an unsubscribed follower on another node hears nothing more');
    });
  });
}
