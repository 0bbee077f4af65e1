import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/*
 * Issue 12, finding 7: "Upstream streams have no idle timeout once the first chunk arrived:
 * a stalled upstream holds a concurrency slot and a budget reservation forever."
 */
const idleMs = 300;

/** An Anthropic Messages API upstream whose streams send one text delta, then fall silent. */
async function stallingAnthropic(onStall: (closed: Promise<unknown>) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const event = (type: string, body: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        event('message_start', {
          message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, usage: { input_tokens: 5, output_tokens: 1 } },
        }) +
          event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
          event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'thinking ' } }),
      );
      onStall(once(response, 'close'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('an upstream stream that stalls after its first chunk', () => {
  let openai: OpenAIUpstream;
  let anthropic: { server: Server; url: string };
  let test: TestApp;
  let url: string;
  let key: string;
  let closed: Promise<unknown> | undefined;

  before(async () => {
    openai = await OpenAIUpstream.start((request, response) => {
      if (!request.body.stream) return false;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'thinking ' }, finish_reason: null }] })}\n\n`,
      );
      closed = once(response, 'close');
      return true;
    });
    anthropic = await stallingAnthropic((connectionClosed) => (closed = connectionClosed));
    test = await startTestApp(
      {
        // One request at a time: a stream that never ends would lock everyone else out.
        server: { maxConcurrentRequests: 1 },
        providers: {
          compatible: { type: 'openai-compatible', baseUrl: openai.url, apiKey: { env: 'UPSTREAM_KEY' }, streamIdleTimeoutMs: idleMs },
          claude: { type: 'anthropic', baseUrl: anthropic.url, apiKey: { env: 'UPSTREAM_KEY' }, streamIdleTimeoutMs: idleMs },
        },
        models: {
          'gpt-test': { deployments: [{ provider: 'compatible', model: 'gpt-4o-mini', retries: 0 }] },
          'claude-test': { deployments: [{ provider: 'claude', model: 'claude-test', retries: 0 }] },
        },
      },
      { env: { UPSTREAM_KEY: 'sk-upstream-key-0123456789' } },
    );
    url = await test.server.listen({ port: 0, host: '127.0.0.1' });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await openai.close();
    anthropic.server.closeAllConnections();
    await new Promise((resolve) => anthropic.server.close(resolve));
  });

  for (const model of ['gpt-test', 'claude-test']) {
    it(`${model}: ends the client's stream with a GATEWAY_UPSTREAM_TIMEOUT error event, closes the upstream connection and frees the slot`, { timeout: 15_000 }, async () => {
      closed = undefined;
      const started = performance.now();
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'go' }] }),
      });
      assert.equal(response.status, 200);
      const body = await response.text();
      const waited = performance.now() - started;
      assert.match(body, /thinking/);
      const events = body
        .split('\n\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length));
      assert.notEqual(events.at(-1), '[DONE]');
      const last = JSON.parse(events.at(-1)!) as { error: { code: string; type: string; message: string } };
      assert.equal(last.error.code, 'GATEWAY_UPSTREAM_TIMEOUT');
      assert.equal(last.error.type, 'api_error');
      assert.ok(waited < idleMs + 3_000, `the error came after ${Math.round(waited)} ms`);
      assert.ok(closed, 'the upstream saw the request');
      await closed; // resolves only once Breakwater closed its upstream connection

      // The only concurrency slot is free again: before the fix this answered 503 SERVER_OVERLOADED.
      const next = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'next' }] }),
      });
      assert.equal(next.status, 200, await next.clone().text());
      assert.equal(((await next.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content, 'echo: next');
    });
  }
});
