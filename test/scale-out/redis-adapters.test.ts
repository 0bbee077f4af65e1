import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
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
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, upstreamConfig } from '../support/test-app.js';

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
      await nodes[0]!.seed('shared-budget', 0, 60_000);
      const reserves = await Promise.all(Array.from({ length: 200 }, (_, i) => nodes[i % 2]!.reserve('shared-budget', 0.5, 25, 60_000)));
      assert.equal(reserves.filter((reserve) => reserve.status === 'reserved').length, 50);
      assert.deepEqual(await Promise.all(nodes.map((node) => node.reserve('shared-budget', 0, 25, 60_000))), [
        { status: 'reserved', used: 25, reservation: '' },
        { status: 'reserved', used: 25, reservation: '' },
      ]);
    } finally {
      await Promise.all([first.quit(), second.quit()]);
    }
  });

  test('say a budget whose keys Redis lost is missing (not zero), and keep its holds no longer than they live', async () => {
    const prefix = freshPrefix();
    const counters = new RedisCounters({ redis, prefix });
    await counters.seed('b', 7, 60_000);
    const held = await counters.reserve('b', 2, 10, 5_000);
    assert.equal(held.status, 'reserved');
    const keys = (await redis.keys(`${prefix}*`)).sort();
    assert.deepEqual(keys, [`${prefix}budget:{b}`, `${prefix}budget:{b}:holds`]);
    const [spendTtl, holdsTtl] = await Promise.all(keys.map((key) => redis.pttl(key)));
    assert.ok(spendTtl! > 59_000 && spendTtl! <= 60_000, `budget TTL ${spendTtl}`);
    assert.ok(holdsTtl! > 4_000 && holdsTtl! <= 5_000, `holds TTL ${holdsTtl}`);
    await redis.del(...keys); // what a Redis restart without persistence, or an eviction, leaves
    assert.deepEqual(await counters.reserve('b', 1, 10, 60_000), { status: 'missing' });
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
      const ours = ids
        .split('\n')
        .filter((line) => line.includes(` name=${name}:`))
        .map((line) => /\bid=(\d+)/.exec(line)![1]!);
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

/** A port nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Redis exact cache while Redis is unreachable', () => {
  test('a refused connection is a miss and a skipped write at once, counted each time and logged once per interval', async () => {
    const client = RedisResponseCache.connect(`redis://127.0.0.1:${await closedPort()}`);
    const failures: string[] = [];
    const logged: Array<{ operation: string; unlogged: number }> = [];
    const cache = new RedisResponseCache({
      redis: client,
      prefix: freshPrefix(),
      onFailure: (operation) => failures.push(operation),
      onError: (_error, operation, unlogged) => logged.push({ operation, unlogged }),
      logIntervalMs: 60_000,
    });
    try {
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        assert.equal(await cache.get(`k${i}`), undefined);
        await cache.set(`k${i}`, 'answer', 60_000);
      }
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1_000, `40 operations took ${Math.round(elapsed)} ms: they must fail fast, not wait for a reconnect`);
      assert.equal(failures.filter((operation) => operation === 'get').length, 20);
      assert.equal(failures.filter((operation) => operation === 'set').length, 20);
      assert.equal(logged.length, 1, `one log line for the burst, not one per call: ${JSON.stringify(logged)}`);
    } finally {
      client.disconnect();
    }
  });

  test('a Redis that accepts connections but never answers costs a lookup at most the command timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const client = RedisResponseCache.connect(`redis://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    const failures: string[] = [];
    const cache = new RedisResponseCache({ redis: client, prefix: freshPrefix(), onFailure: (operation) => failures.push(operation), onError: () => {} });
    try {
      const started = performance.now();
      assert.equal(await cache.get('k'), undefined);
      await cache.set('k', 'answer', 60_000);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 2_500, `took ${Math.round(elapsed)} ms`);
      assert.deepEqual(failures, ['get', 'set']);
    } finally {
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test('cacheable chat calls succeed while the cache Redis refuses connections (they used to fail)', async () => {
    const upstream = await OpenAIUpstream.start();
    const app = await startTestApp(upstreamConfig(upstream.url, { cache: { driver: 'redis', url: { env: 'CACHE_URL' }, prefix: freshPrefix() } }), {
      env: { UPSTREAM_KEY: 'sk-x', CACHE_URL: `redis://127.0.0.1:${await closedPort()}` },
    });
    try {
      const key = await app.key();
      for (let i = 0; i < 3; i++) {
        const response = await app.server.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: bearer(key),
          payload: { model: 'gpt-test', messages: [{ role: 'user', content: 'same question' }] },
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.json().choices[0].message.content, 'echo: same question');
        assert.equal(response.headers['x-breakwater-cache'], 'miss');
      }
      assert.equal(upstream.chatRequests().length, 3, 'every call went upstream: nothing was cached');
      // The write is a deferred step the answer does not wait for: give it its turns of the loop.
      let metrics = '';
      for (let turns = 0; turns < 1_000 && !/operation="set"\} 3/.test(metrics); turns++) {
        await new Promise((resolve) => setImmediate(resolve));
        metrics = await app.app.metrics.registry.metrics();
      }
      assert.match(metrics, /breakwater_cache_errors_total\{operation="get"\} 3/);
      assert.match(metrics, /breakwater_cache_errors_total\{operation="set"\} 3/);
      assert.equal(app.logs().split('Redis cache unavailable').length - 1, 1, 'logged once, not per call');
    } finally {
      await app.close();
      await upstream.close();
    }
  });
});
