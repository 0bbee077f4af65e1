import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { queueContract } from '../contracts/queue-contract.js';
import type { Claim } from '../../src/core/ports/queue.js';
import { RabbitQueue, type RabbitQueueOptions } from '../../src/adapters/queue/rabbitmq/rabbitmq-queue.js';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';

const url = process.env.BREAKWATER_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';
const runId = randomBytes(4).toString('hex');
let prefixes = 0;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Timers fire a little late; the broker hops a little late too. */
const slackMs = 20;

/** Every prefix a test used, so `after` deletes all their queues and exchanges. */
const topologies: Array<ReturnType<RabbitQueue['topology']>> = [];
const errors: unknown[] = [];

async function openQueue(overrides: Partial<RabbitQueueOptions> = {}): Promise<RabbitQueue> {
  const queue = await RabbitQueue.open({
    url,
    name: `breakwater.test.${runId}.${++prefixes}`,
    prefetch: 500,
    backoffBaseMs: 200,
    backoffMaxMs: 2_000,
    longestDelayMs: 60_000,
    onError: (error) => errors.push(error),
    ...overrides,
  });
  topologies.push(queue.topology());
  return queue;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(25);
  }
}

/**
 * Deletes the queues of every closed test at once: each quorum queue holds broker file
 * handles (about 300 fit under a default ulimit of 1024), and a broker out of them stops
 * accepting connections.
 */
async function deleteTopologies(): Promise<void> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  for (const { queues, exchanges } of topologies.splice(0)) {
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
  }
  await connection.close();
}
after(deleteTopologies);

queueContract(
  'RabbitMQ',
  async () => {
    const queue = await openQueue();
    return {
      queue,
      now: () => Date.now(),
      // The broker's clock cannot be moved: wait it out.
      advance: (ms) => sleep(ms + slackMs),
      async close() {
        await queue.close();
        await deleteTopologies();
      },
    };
  },
  { cancelIsLocal: true },
);

describe('RabbitQueue on a real broker', () => {
  const item = (id: string, maxAttempts = 3) => ({ id: `job_${runId}_${id}`, tenant: 'tenant-a', maxAttempts });

  test('enqueue resolves after the broker confirmed, and the item survives a consumer restart', async () => {
    const name = `breakwater.test.${runId}.restart`;
    const first = await openQueue({ name });
    await first.enqueue([item('restart-1'), item('restart-2')]);
    // Buffered by the first consumer, never claimed: closing hands them back uncounted.
    await until(async () => (await first.depth()).ready === 2);
    await first.close();
    const second = await openQueue({ name });
    try {
      const claims = await second.claim(10, 5_000);
      assert.deepEqual(claims.map((claim) => [claim.id, claim.attempt]).sort(), [
        [item('restart-1').id, 1],
        [item('restart-2').id, 1],
      ]);
      for (const claim of claims) assert.equal(await second.complete(claim), true);
    } finally {
      await second.close();
      await deleteTopologies();
    }
  });

  test('an enqueue no queue can take fails and is reported (it used to be confirmed and silently dropped), and goes through once the queues are declared again', async () => {
    // An item of priority 0 goes to the normal band, the queue named after the prefix itself.
    const bandQueue = `breakwater.test.${runId}.unroutable`;
    const queue = await openQueue({ name: bandQueue });
    const connection = await amqp.connect(url);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(bandQueue);
      const reportedBefore = errors.length;
      await assert.rejects(queue.enqueue([item('unroutable')]), (error: unknown) => {
        assert.ok(BreakwaterError.isInstance(error) && error.retryable, String(error));
        return true;
      });
      const reported = errors.slice(reportedBefore).map(String);
      assert.ok(
        reported.some((text) => text.includes(`routing key ${bandQueue}`) && text.includes('no queue is bound')),
        reported.join('\n'),
      );

      // Each return makes the queue declare its topology again; the broker may refuse that
      // while the deleted quorum queue is still going away, so the caller's retries get through.
      await until(() =>
        queue.enqueue([item('unroutable')]).then(
          () => true,
          () => false,
        ),
      );
      assert.equal((await channel.checkQueue(bandQueue)).queue, bandQueue);
      const [claim] = await queue.claim(1, 5_000);
      assert.equal(claim?.id, item('unroutable').id, 'the retried enqueue reached the queue');
      await queue.complete(claim!);
    } finally {
      await connection.close();
      await queue.close();
      await deleteTopologies();
    }
  });

  test('a consumer whose connection is force-closed loses its claims to another node, which gets larger tokens', async () => {
    const name = `breakwater.test.${runId}.crash`;
    const connectionName = `breakwater-test-${runId}-dying`;
    const dying = await openQueue({ name, connectionName });
    let survivor: RabbitQueue | undefined;
    try {
      await dying.enqueue([item('crash-1'), item('crash-2')]);
      const old = await dying.claim(10, 30_000);
      assert.equal(old.length, 2);
      survivor = await openQueue({ name });
      assert.deepEqual(await survivor.claim(10, 30_000), [], 'leased elsewhere');
      await forceClose(connectionName);
      const taken = new Map<string, Claim>();
      await until(async () => {
        for (const claim of await survivor!.claim(10, 30_000)) taken.set(claim.id, claim);
        return taken.size === 2;
      });
      for (const claim of old) {
        const again = taken.get(claim.id)!;
        assert.ok(again.token > claim.token, 'the fencing token grows across nodes');
        assert.equal(again.attempt, claim.attempt + 1, 'a lost connection counts the attempt');
        assert.equal(await dying.complete(claim), false, 'the old claim is fenced');
        assert.equal(await dying.heartbeat(claim, 1_000), undefined, 'nor extended');
        assert.deepEqual(await dying.fail(claim, { retryable: true }), { outcome: 'fenced' });
        assert.equal(await survivor.complete(again), true);
      }
      // The dropped node reconnects by itself; until then enqueue rejects with a retryable error.
      await until(async () => {
        try {
          await dying.enqueue([item('crash-after')]);
          return true;
        } catch (error) {
          assert.ok(BreakwaterError.isInstance(error) && error.retryable, 'a retryable error while reconnecting');
          return false;
        }
      });
      assert.ok(errors.length > 0, 'the lost connection was reported, not thrown');
    } finally {
      await dying.close();
      await survivor?.close();
      await deleteTopologies();
    }
  });

  test('a delayed retry arrives after its delay (through the delay queues) and not before', async () => {
    const queue = await openQueue();
    try {
      await queue.enqueue([item('delayed-retry')]);
      const [claim] = await queue.claim(1, 30_000);
      const failed = await queue.fail(claim!, { retryable: true, delayMs: 1_200 });
      assert.equal(failed.outcome, 'retry');
      const retryAt = failed.outcome === 'retry' ? failed.retryAt : 0;
      assert.ok((await queue.depth()).delayed === 1, 'parked in a delay queue');
      let again: Awaited<ReturnType<RabbitQueue['claim']>> = [];
      while (again.length === 0) {
        again = await queue.claim(1, 30_000);
        if (again.length === 0) {
          assert.ok(Date.now() < retryAt + 1_000, 'arrives soon after its time');
          await sleep(10);
        }
      }
      const claimedAt = Date.now();
      assert.ok(claimedAt >= retryAt, `not before its time (${claimedAt - retryAt} ms)`);
      assert.equal(again[0]!.attempt, 2);
      assert.ok(again[0]!.token > claim!.token);
    } finally {
      await queue.close();
      await deleteTopologies();
    }
  });

  test('a poison message dead-letters after maxAttempts redeliveries', async () => {
    const queue = await openQueue();
    try {
      const poison = item('poison', 3);
      await queue.enqueue([poison]);
      const tokens: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [claim] = await queue.claim(1, 300);
        assert.equal(claim?.attempt, attempt);
        tokens.push(claim!.token);
        // The worker "crashes": no heartbeat, the lease runs out and the delivery goes back.
        await sleep(300 + slackMs);
        if (attempt < 3) assert.deepEqual(await queue.recover(), []);
      }
      assert.deepEqual(
        tokens,
        [...tokens].sort((a, b) => a - b),
      );
      const dead = await queue.recover();
      assert.deepEqual(
        dead.map((letter) => [letter.id, letter.reason, letter.attempts]),
        [[poison.id, 'attempts', 3]],
      );
      assert.deepEqual(await queue.claim(1, 300), []);
      assert.deepEqual(
        (await queue.deadLetters(10)).map((letter) => [letter.id, letter.reason]),
        [[poison.id, 'attempts']],
      );
      assert.equal((await queue.depth()).dead, 1);
    } finally {
      await queue.close();
      await deleteTopologies();
    }
  });
});

/** Closes one node's connection from the broker side, as a network partition would. */
async function forceClose(connectionName: string): Promise<void> {
  const run = promisify(execFile);
  const { stdout } = await run('rabbitmqctl', ['list_connections', '-q', 'pid', 'client_properties']);
  const line = stdout.split('\n').find((row) => row.includes(connectionName));
  assert.ok(line, `the broker lists connection ${connectionName}`);
  await run('rabbitmqctl', ['close_connection', line.split('\t')[0]!, 'test: force-closed']);
}
