import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpUpstream } from './http-upstream.js';
import { jsonRequestBody } from './json-request-body.js';

async function bytesOf(value: unknown): Promise<{ bytes: Buffer; length?: number; chunks: number }> {
  const body = await jsonRequestBody(value);
  if (typeof body === 'string') return { bytes: Buffer.from(body), chunks: 1 };
  const chunks: Buffer[] = [];
  for await (const chunk of body.chunks()) chunks.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(chunks), length: body.length, chunks: chunks.length };
}

const pair = '😀';
const cases: Record<string, unknown> = {
  'a small chat body': { model: 'm', messages: [{ role: 'user', content: 'hi "there" \\ \n' }], temperature: 0.2 },
  'a 2 MB run of one letter': { model: 'm', messages: [{ role: 'user', content: 'a'.repeat(2_000_000) }] },
  'a 1 MB run of characters JSON escapes': { model: 'm', messages: [{ role: 'user', content: '\u0000"\\\n'.repeat(250_000) }] },
  'surrogate pairs across every slice boundary': { messages: [{ role: 'user', content: `x${pair.repeat(400_000)}` }] },
  'lone surrogates': { input: '\ud800a\udc00'.repeat(300_000) },
  'accented text (two bytes each in UTF-8)': { input: ['é'.repeat(700_000), 'ok'] },
  '60,000 short messages': { model: 'm', messages: Array.from({ length: 60_000 }, (_, index) => ({ role: index % 2 ? 'assistant' : 'user', content: `message ${index}` })) },
  'members JSON.stringify leaves out': { input: 'b'.repeat(600_000), skipped: undefined, list: [undefined, 1] },
};

describe('jsonRequestBody', () => {
  for (const [name, value] of Object.entries(cases)) {
    it(`sends exactly JSON.stringify's bytes, with their length: ${name}`, async () => {
      const expected = Buffer.from(JSON.stringify(value));
      const { bytes, length } = await bytesOf(value);
      assert.ok(bytes.equals(expected), 'the bytes differ from JSON.stringify');
      if (length !== undefined) assert.equal(length, expected.length);
    });
  }

  it('sends a body of megabytes as pieces of at most ~¼ MB, each made in a turn of its own', async () => {
    const { chunks, bytes } = await bytesOf(cases['a 2 MB run of one letter']);
    assert.ok(chunks >= 8, `${chunks} pieces for ${bytes.length} bytes`);
  });

  it('an upstream receives the large body whole, with its content-length', async () => {
    const received: Array<{ length: string | undefined; body: string }> = [];
    const server = createServer(async (request: IncomingMessage, response) => {
      const parts: Buffer[] = [];
      for await (const part of request) parts.push(part as Buffer);
      received.push({ length: request.headers['content-length'], body: Buffer.concat(parts).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const upstream = new HttpUpstream({
      provider: 'test',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
      connections: 1,
      secrets: { secrets: [], hosts: [] },
      streamIdleTimeoutMs: 10_000,
    });
    try {
      const value = cases['surrogate pairs across every slice boundary'];
      const response = await upstream.post('/chat/completions', {}, value, AbortSignal.timeout(10_000));
      assert.deepEqual(await upstream.json(response, AbortSignal.timeout(10_000)), { ok: true });
      assert.equal(received.length, 1);
      assert.equal(received[0]!.length, String(Buffer.byteLength(JSON.stringify(value))));
      assert.deepEqual(JSON.parse(received[0]!.body), value);
    } finally {
      await upstream.close();
      server.close();
    }
  });
});
