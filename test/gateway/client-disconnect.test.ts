import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, upstreamConfig, type TestApp } from '../support/test-app.js';

describe('a client that disconnects mid-stream', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let url: string;
  let upstreamClosed: Promise<unknown>;

  before(async () => {
    upstream = await OpenAIUpstream.start((_request, response) => {
      // A slow generation: one chunk now, the rest never (until the gateway hangs up).
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'thinking ' }, finish_reason: null }] })}\n\n`,
      );
      upstreamClosed = once(response, 'close');
      return true;
    });
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: 'sk-x' } });
    url = await test.server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('stops the upstream generation and records the request as client-closed', async () => {
    const key = await test.key();
    const controller = new AbortController();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'go' }] }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /thinking/);
    controller.abort();
    await upstreamClosed; // resolves only if Breakwater closes its upstream request
    await test.app.ledgerWriter.flush();
    const deadline = Date.now() + 2_000;
    let rows;
    do {
      await test.app.ledgerWriter.flush();
      rows = await test.app.store.ledger.aggregateUsage({ from: 0, to: Date.now() + 1 });
    } while (rows.length === 0 && Date.now() < deadline);
    assert.equal(rows[0]?.errors, 1, 'the ledger row carries status 499');
  });
});
