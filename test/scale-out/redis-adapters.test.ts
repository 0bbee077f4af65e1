import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { JobEventBus } from '../../src/core/ports/job-events.js';
import { LuaScript } from '../../src/adapters/counters/redis/lua-script.js';
import { RedisCounters } from '../../src/adapters/counters/redis/redis-counters.js';
import { RedisResponseCache } from '../../src/adapters/cache/redis/redis-response-cache.js';
import { RedisEventBus } from '../../src/adapters/events/redis/redis-event-bus.js';
import { countersContract } from '../contracts/counters-contract.js';
import { responseCacheContract } from '../contracts/response-cache-contract.js';
import { jobEventBusContract } from '../contracts/job-event-bus-contract.js';

const url = process.env.BREAKWATER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key and channel of this run starts with it, so `after` removes exactly this run's keys. */
const runPrefix = `bw_test_${randomBytes(4).toString('hex')}:`;
let harnesses = 0;
const freshPrefix = (): string => `${runPrefix}${++harnesses}:`;

// One client shared by the counters and cache harnesses, as API nodes share theirs.
const redis = new Redis(url);
const busErrors: Error[] = [];

after(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 1_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
  assert.deepEqual(busErrors, [], 'the event buses reported no errors');
});

countersContract('Redis', async () => ({ counters: new RedisCounters({ redis, prefix: freshPrefix() }), close: async () => {} }));

responseCacheContract('Redis', async () => ({ cache: new RedisResponseCache({ redis, prefix: freshPrefix() }), close: async () => {} }));

jobEventBusContract('Redis pub/sub', async () => {
  const prefix = freshPrefix();
  const buses: RedisEventBus[] = [];
  return {
    async node() {
      const bus = await RedisEventBus.open({ url, prefix, onError: (error) => busErrors.push(error) });
      buses.push(bus);
      return bus;
    },
    shared: true,
    settled: (bus: JobEventBus) => (bus as RedisEventBus).subscriptionsSettled(),
    async close() {
      await Promise.all(buses.map((bus) => bus.close()));
    },
  };
});

describe('Redis counters across API nodes', () => {
  test('grant exactly the limit to 200 concurrent takes split across two connections', async () => {
    const [first, second] = [new Redis(url), new Redis(url)];
    try {
      const prefix = freshPrefix();
      const nodes = [new RedisCounters({ redis: first, prefix }), new RedisCounters({ redis: second, prefix })];
      const takes = await Promise.all(Array.from({ length: 200 }, (_, i) => nodes[i % 2]!.takeFromWindow('shared-window', 1, 50, 60_000)));
      assert.equal(takes.filter((take) => take.ok).length, 50);
      const reserves = await Promise.all(Array.from({ length: 200 }, (_, i) => nodes[i % 2]!.reserve('shared-budget', 0.5, 25, 60_000)));
      assert.equal(reserves.filter((reserve) => reserve.ok).length, 50);
      assert.deepEqual(await Promise.all(nodes.map((node) => node.reserve('shared-budget', 0, 25, 60_000))), [
        { ok: true, used: 25 },
        { ok: true, used: 25 },
      ]);
    } finally {
      await Promise.all([first.quit(), second.quit()]);
    }
  });

  test('send a script in full when the server does not know it yet', async () => {
    // A script no server has seen stands in for one forgotten after a restart (SCRIPT FLUSH
    // would also flush scripts of whoever else shares this Redis).
    const script = new LuaScript(`-- ${runPrefix}\nreturn { KEYS[1], ARGV[1] }`);
    assert.deepEqual(await script.run(redis, [`${runPrefix}k`], ['a']), [`${runPrefix}k`, 'a']);
    assert.deepEqual(await script.run(redis, [`${runPrefix}k`], ['b']), [`${runPrefix}k`, 'b']);
  });

  test('let a window expire with its keys a window plus one bucket after the last take', async () => {
    const prefix = freshPrefix();
    const counters = new RedisCounters({ redis, prefix });
    await counters.takeFromWindow('w', 1, 10, 60_000);
    const keys = await redis.keys(`${prefix}*`);
    assert.equal(keys.length, 2);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      assert.ok(ttl > 60_000 && ttl <= 60_100, `${key}: ${ttl}`);
    }
  });
});

describe('Redis event bus', () => {
  test('re-subscribes and publishes again after its connections were dropped', async () => {
    const prefix = freshPrefix();
    const name = `${runPrefix}bus`;
    // Publishing while the publisher reconnects may fail into onError: expected here.
    const bus = await RedisEventBus.open({ url, prefix, name, onError: () => {} });
    try {
      const received: number[] = [];
      bus.subscribe('job_1', (event) => received.push(event.seq));
      await bus.subscriptionsSettled();
      const ids = (await redis.client('LIST')) as string;
      const ours = ids.split('\n').filter((line) => line.includes(` name=${name}:`)).map((line) => /\bid=(\d+)/.exec(line)![1]!);
      assert.equal(ours.length, 2);
      for (const id of ours) await redis.client('KILL', 'ID', id);

      const channel = `${prefix}job:job_1`;
      const deadline = Date.now() + 5_000;
      let seq = 0;
      // The channel has a subscriber again only once the subscriber reconnected and re-subscribed.
      while (received.length === 0) {
        assert.ok(Date.now() < deadline, 'no event arrived within 5 s of the reconnect');
        const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
        if (subscribers === 1) bus.publish({ jobId: 'job_1', seq: ++seq, type: 'job-progress', data: {}, at: Date.now() });
        await sleep(20);
      }
      assert.ok(received.every((value) => value >= 1 && value <= seq));
    } finally {
      await bus.close();
    }
  });
});
