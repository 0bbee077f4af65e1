import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { RedisEventBus } from '../../src/adapters/events/redis/redis-event-bus.js';
import { services } from '../support/scale-out.js';

/*
 * Regression: while Redis was down, every job event a worker published logged an error line
 * (847 in 7 s from one worker in the fault suite). The bus reaches the real Redis through a
 * TCP relay on port 0 here, so the test can cut it off without stopping Redis for everyone.
 */
test('a Redis outage reports one failed publish, not one per job event, and again after the next reconnect', async () => {
  const target = new URL(services.redis);
  const sockets = new Set<Socket>();
  let accepting = true;
  const relay = createServer((client) => {
    if (!accepting) return client.destroy();
    const upstream = createConnection(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  const errors: Error[] = [];
  const bus = await RedisEventBus.open({
    url: `redis://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    prefix: `bw_outage_${process.pid}:`,
    onError: (error) => errors.push(error),
  });
  const publisherErrors = () => errors.filter((error) => /Publishing job events/.test(error.message));
  const publisher = (bus as unknown as { publisher: import('ioredis').Redis }).publisher;
  /** Cuts the relay off and resolves once the publisher noticed. */
  const outage = async () => {
    accepting = false;
    const closed = once(publisher, 'close');
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  try {
    const event = (seq: number) => ({ jobId: 'job_outage', seq, type: 'job-progress' as const, data: {}, at: Date.now() });
    await outage();
    const before = errors.length;
    for (let seq = 1; seq <= 200; seq++) bus.publish(event(seq));
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(errors.length - before <= 3, `${errors.length - before} errors reported for 200 events dropped during the outage`);
    assert.equal(publisherErrors().length, 1, 'one report says publishing fails');

    accepting = true;
    // The next outage is reported again once the publisher was connected in between.
    if (publisher.status !== 'ready') await once(publisher, 'ready');
    await outage();
    for (let seq = 201; seq <= 210; seq++) bus.publish(event(seq));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(publisherErrors().length, 2);
  } finally {
    accepting = true;
    await bus.close();
    relay.close();
    for (const socket of sockets) socket.destroy();
  }
});
