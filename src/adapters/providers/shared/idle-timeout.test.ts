import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { stat } from 'node:fs';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import { withIdleTimeout } from './idle-timeout.js';

const idleMs = 100;

/** A source that yields its chunks, each after the pause given, then stays silent until stopped. */
function source(pauses: number[], stallAtEnd: boolean, stopped: { by?: string } = {}): AsyncIterable<string> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (const [index, pause] of pauses.entries()) {
          await delay(pause);
          yield `chunk ${index}`;
        }
        if (stallAtEnd) await new Promise(() => {});
      } finally {
        stopped.by ??= 'return';
      }
    },
  };
}

async function drain(stream: AsyncIterable<string>, perChunk: () => Promise<void> = async () => {}): Promise<{ chunks: string[]; error?: unknown }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      await perChunk();
    }
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

describe('withIdleTimeout', () => {
  it('fails a source silent for idleMs after its first chunk with GATEWAY_UPSTREAM_TIMEOUT and releases it once', async () => {
    const idled: BreakwaterError[] = [];
    const started = performance.now();
    const { chunks, error } = await drain(withIdleTimeout(source([0, 10], true), { idleMs, provider: 'p', onIdle: (reason) => idled.push(reason) }));
    const waited = performance.now() - started;
    assert.deepEqual(chunks, ['chunk 0', 'chunk 1']);
    assert.ok(BreakwaterError.isInstance(error));
    assert.equal(error.code, 'GATEWAY_UPSTREAM_TIMEOUT');
    assert.deepEqual(error.details, { provider: 'p', streamIdleTimeoutMs: idleMs });
    assert.equal(idled.length, 1);
    assert.equal(idled[0], error);
    assert.ok(waited >= idleMs + 10 && waited < idleMs + 1_000, `failed after ${Math.round(waited)} ms`);
  });

  it('leaves the wait for the first chunk to the deployment timeout', async () => {
    const { chunks, error } = await drain(withIdleTimeout(source([idleMs * 3, 10], false), { idleMs, provider: 'p', onIdle: () => assert.fail('idle') }));
    assert.equal(error, undefined);
    assert.deepEqual(chunks, ['chunk 0', 'chunk 1']);
  });

  it('does not count the time the consumer takes', async () => {
    const { chunks, error } = await drain(withIdleTimeout(source([0, 0, 0], false), { idleMs, provider: 'p', onIdle: () => assert.fail('idle') }), () => delay(idleMs * 2));
    assert.equal(error, undefined);
    assert.equal(chunks.length, 3);
  });

  it('does not call a source silent whose bytes arrived while the event loop was blocked (regression: timers run before queued I/O)', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const [upstream] = await accepted;
    try {
      upstream.write('first');
      const chunks: string[] = [];
      for await (const chunk of withIdleTimeout<Buffer>(client, { idleMs: 20, provider: 'p', onIdle: () => assert.fail('called silent') })) {
        chunks.push(String(chunk));
        if (chunks.length === 2) break;
        // In an I/O callback (another request's work): the bytes arrive while the loop is
        // blocked past idleMs, and the next loop turn runs the overdue timer before reading them.
        stat('.', () => {
          upstream.write('second');
          const until = performance.now() + 80;
          while (performance.now() < until);
        });
      }
      assert.deepEqual(chunks, ['first', 'second']);
    } finally {
      client.destroy();
      upstream.destroy();
      server.close();
    }
  });

  it('closes the source when the consumer stops early', async () => {
    const stopped: { by?: string } = {};
    for await (const chunk of withIdleTimeout(source([0, 0, 0], false, stopped), { idleMs, provider: 'p', onIdle: () => assert.fail('idle') })) {
      if (chunk === 'chunk 1') break;
    }
    assert.equal(stopped.by, 'return');
  });
});
