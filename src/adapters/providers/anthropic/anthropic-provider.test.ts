import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import type { ChatCompletionChunk, ChatRequest } from '../../../wire/chat.js';
import { AnthropicProvider } from './anthropic-provider.js';

const apiKey = 'sk-ant-test-secret-4f9a';
const call = { signal: new AbortController().signal, model: 'claude-test' };
/** Short, so a stalled stream fails fast; every scripted stream is sent whole, well within it. */
const idleMs = 300;

/** What the scripted server sends next: a JSON body, or SSE events (optionally cut off). */
interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  events?: Array<[string, Record<string, unknown>] | string>;
  cut?: boolean;
  /** Send the events, then nothing more, keeping the connection open; resolves when the connection closes. */
  stall?: (closed: Promise<void>) => void;
}

let reply: Reply = {};
let received: { url: string | undefined; headers: IncomingHttpHeaders; body: Record<string, unknown> } | undefined;
let server: Server;
let provider: AnthropicProvider;

function sse(events: NonNullable<Reply['events']>): string {
  return events.map((event) => (typeof event === 'string' ? event : `event: ${event[0]}\ndata: ${JSON.stringify({ type: event[0], ...event[1] })}\n\n`)).join('');
}

const start = (usage: Record<string, number> = { input_tokens: 12, output_tokens: 1 }): [string, Record<string, unknown>] => [
  'message_start',
  { message: { id: 'msg_s1', type: 'message', role: 'assistant', model: 'claude-test-1', content: [], stop_reason: null, usage } },
];
const textBlock = (index: number, ...parts: string[]): Array<[string, Record<string, unknown>]> => [
  ['content_block_start', { index, content_block: { type: 'text', text: '' } }],
  ...parts.map((text): [string, Record<string, unknown>] => ['content_block_delta', { index, delta: { type: 'text_delta', text } }]),
  ['content_block_stop', { index }],
];
const toolBlock = (index: number, id: string, name: string, ...parts: string[]): Array<[string, Record<string, unknown>]> => [
  ['content_block_start', { index, content_block: { type: 'tool_use', id, name, input: {} } }],
  ...parts.map((partial_json): [string, Record<string, unknown>] => ['content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }]),
  ['content_block_stop', { index }],
];
const end = (stop_reason: string, output_tokens: number): Array<[string, Record<string, unknown>]> => [
  ['message_delta', { delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } }],
  ['message_stop', {}],
];

const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], ...extra });

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Every failure must be a BreakwaterError that does not leak the provider key. */
async function failure(promise: Promise<unknown>): Promise<BreakwaterError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (caught: unknown) => caught,
  );
  assert.ok(BreakwaterError.isInstance(error), `not a BreakwaterError: ${String(error)}`);
  assert.ok(!JSON.stringify({ message: error.message, envelope: error.toEnvelope(), details: error.details }).includes(apiKey), 'the api key leaked');
  return error;
}

before(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received = { url: request.url, headers: request.headers, body: JSON.parse(text) as Record<string, unknown> };
      const { status = 200, headers = {}, json, events, cut, stall } = reply;
      if (events === undefined) {
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
        return;
      }
      response.writeHead(status, { 'content-type': 'text/event-stream', ...headers });
      const body = sse(events);
      // Uneven slices put event boundaries mid-write, as a real network does.
      for (let offset = 0; offset < body.length; offset += 37) response.write(body.slice(offset, offset + 37));
      if (stall) stall(new Promise((resolve) => response.once('close', () => resolve())));
      else if (cut) response.write('', () => response.destroy());
      else response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  provider = new AnthropicProvider({
    name: 'anthropic-test',
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    headers: { 'anthropic-beta': 'x' },
    version: '2023-06-01',
    connections: 2,
    streamIdleTimeoutMs: idleMs,
  });
});

after(async () => {
  await provider.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const textAnswer = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-test-1',
  content: [
    { type: 'text', text: 'Hello' },
    { type: 'text', text: ' there' },
  ],
  stop_reason: 'end_turn',
  usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 3, cache_creation_input_tokens: 2 },
};

describe('AnthropicProvider request translation', () => {
  it('sends system, merged turns, tool_use/tool_result, images, tools and sampling fields on /v1/messages', async () => {
    reply = { json: textAnswer };
    await provider.chat(
      {
        model: 'claude',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
          { role: 'user', content: 'Weather in Oslo and Rome?' },
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
            ],
          },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
              { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '4C' },
          { role: 'tool', tool_call_id: 'call_2', content: '19C' },
          { role: 'user', content: 'Thanks' },
        ],
        tools: [
          { type: 'function', function: { name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
          { type: 'function', function: { name: 'now' } },
        ],
        tool_choice: 'required',
        parallel_tool_calls: false,
        stop: 'END',
        temperature: 1.7,
        top_p: 0.9,
        seed: 7,
        frequency_penalty: 1,
        user: 'user-42',
      },
      call,
    );
    assert.equal(received?.url, '/v1/messages');
    assert.equal(received?.headers['x-api-key'], apiKey);
    assert.equal(received?.headers['anthropic-version'], '2023-06-01');
    assert.equal(received?.headers['anthropic-beta'], 'x');
    assert.deepEqual(received?.body, {
      model: 'claude-test',
      max_tokens: 4096,
      stream: false,
      system: 'Be brief.\n\nUse metric units.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Oslo and Rome?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0K' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Oslo' } },
            { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '4C' },
            { type: 'tool_result', tool_use_id: 'call_2', content: '19C' },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
      tools: [
        { name: 'weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'now', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      temperature: 1,
      top_p: 0.9,
      metadata: { user_id: 'user-42' },
    });
  });

  it('prefers max_completion_tokens, maps a named tool_choice and passes stop arrays through', async () => {
    reply = { json: textAnswer };
    await provider.chat(
      ask({
        max_tokens: 100,
        max_completion_tokens: 50,
        stop: ['a', 'b'],
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
      }),
      call,
    );
    assert.equal(received?.body.max_tokens, 50);
    assert.deepEqual(received?.body.stop_sequences, ['a', 'b']);
    assert.deepEqual(received?.body.tool_choice, { type: 'tool', name: 'f' });
  });

  it('turns json_schema into a forced json_response tool and json_object into a system instruction', async () => {
    reply = { json: textAnswer };
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    await provider.chat(ask({ response_format: { type: 'json_schema', json_schema: { name: 'place', schema } } }), call);
    assert.deepEqual(received?.body.tools, [{ name: 'json_response', description: 'Respond with the place object.', input_schema: schema }]);
    assert.deepEqual(received?.body.tool_choice, { type: 'tool', name: 'json_response' });
    await provider.chat(ask({ response_format: { type: 'json_object' } }), call);
    assert.match(String(received?.body.system), /single JSON object/);
  });

  it('rejects tool-call arguments that are not JSON without calling upstream', async () => {
    received = undefined;
    const request = ask({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] },
      ],
    });
    const error = await failure(provider.chat(request, call));
    assert.equal(error.code, 'INVALID_REQUEST');
    assert.equal(error.param, 'messages[1].tool_calls[0].function.arguments');
    assert.equal(received, undefined);
  });
});

describe('AnthropicProvider answers', () => {
  it('maps a text answer and counts cached prompt tokens', async () => {
    reply = { json: textAnswer };
    const completion = await provider.chat(ask(), call);
    assert.equal(completion.id, 'chatcmpl-msg_1');
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, 'claude-test-1');
    assert.ok(Math.abs(completion.created - Date.now() / 1000) < 60);
    assert.deepEqual(completion.choices, [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }]);
    assert.deepEqual(completion.usage, { prompt_tokens: 15, completion_tokens: 5, total_tokens: 20 });
  });

  it('maps tool_use blocks to tool_calls and max_tokens to length', async () => {
    reply = { json: { ...textAnswer, content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } }], stop_reason: 'tool_use' } };
    const completion = await provider.chat(ask(), call);
    assert.deepEqual(completion.choices[0]?.message, {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
    });
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    reply = { json: { ...textAnswer, stop_reason: 'max_tokens' } };
    assert.equal((await provider.chat(ask(), call)).choices[0]?.finish_reason, 'length');
  });

  it('returns a json_schema answer as JSON content with finish_reason stop', async () => {
    reply = { json: { ...textAnswer, content: [{ type: 'tool_use', id: 'toolu_j', name: 'json_response', input: { city: 'Oslo' } }], stop_reason: 'tool_use' } };
    const completion = await provider.chat(ask({ response_format: { type: 'json_schema', json_schema: { name: 'place', schema: { type: 'object' } } } }), call);
    assert.deepEqual(JSON.parse(completion.choices[0]?.message.content ?? ''), { city: 'Oslo' });
    assert.equal(completion.choices[0]?.message.tool_calls, undefined);
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
  });

  it('streams text as chunks that add up to the answer, then finish_reason and usage', async () => {
    reply = { events: [start({ input_tokens: 12, cache_read_input_tokens: 4, output_tokens: 1 }), ['ping', {}], ...textBlock(0, 'Hel', 'lo, ', 'world'), ...end('end_turn', 7)] };
    const chunks = await collect(await provider.chatStream(ask({ stream: true }), call));
    assert.equal(received?.body.stream, true);
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: 'assistant', content: '' });
    assert.ok(chunks.every((chunk) => chunk.id === 'chatcmpl-msg_s1' && chunk.model === 'claude-test-1' && chunk.object === 'chat.completion.chunk'));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Hello, world');
    assert.deepEqual(chunks.at(-2)?.choices[0], { index: 0, delta: {}, finish_reason: 'stop' });
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.deepEqual(chunks.at(-1)?.usage, { prompt_tokens: 16, completion_tokens: 7, total_tokens: 23 });
  });

  it('streams tool calls as deltas whose arguments concatenate to valid JSON', async () => {
    reply = {
      events: [
        start(),
        ...textBlock(0, 'Let me check.'),
        ...toolBlock(1, 'toolu_a', 'weather', '', '{"ci', 'ty": "Os', 'lo"}'),
        ...toolBlock(2, 'toolu_b', 'now'),
        ...end('tool_use', 30),
      ],
    };
    const chunks = await collect(await provider.chatStream(ask({ stream: true }), call));
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    const byIndex = (index: number) => calls.filter((delta) => delta.index === index);
    assert.deepEqual(byIndex(0)[0], { index: 0, id: 'toolu_a', type: 'function', function: { name: 'weather', arguments: '' } });
    assert.deepEqual(
      JSON.parse(
        byIndex(0)
          .map((delta) => delta.function?.arguments ?? '')
          .join(''),
      ),
      { city: 'Oslo' },
    );
    assert.equal(byIndex(1)[0]?.id, 'toolu_b');
    assert.deepEqual(
      JSON.parse(
        byIndex(1)
          .map((delta) => delta.function?.arguments ?? '')
          .join(''),
      ),
      {},
    );
    assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason, 'tool_calls');
  });

  it('streams a json_schema answer as content, not as a tool call', async () => {
    reply = { events: [start(), ...toolBlock(0, 'toolu_j', 'json_response', '{"city":', ' "Rome"}'), ...end('tool_use', 9)] };
    const chunks = await collect(await provider.chatStream(ask({ response_format: { type: 'json_schema', json_schema: { name: 'place' } } }), call));
    assert.ok(chunks.every((chunk) => chunk.choices[0]?.delta.tool_calls === undefined));
    assert.deepEqual(JSON.parse(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')), { city: 'Rome' });
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
  });
});

describe('AnthropicProvider failures', () => {
  const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

  it('maps 429 with retry-after to GATEWAY_UPSTREAM_RATE_LIMITED', async () => {
    reply = { status: 429, headers: { 'retry-after': '17' }, json: anthropicError('rate_limit_error', 'Slow down') };
    const error = await failure(provider.chat(ask(), call));
    assert.equal(error.code, 'GATEWAY_UPSTREAM_RATE_LIMITED');
    assert.equal(error.retryAfterSeconds, 17);
    assert.equal(error.retryable, true);
  });

  it('maps 400 to UPSTREAM_INVALID_REQUEST with the upstream message, redacting an echoed key', async () => {
    reply = { status: 400, json: anthropicError('invalid_request_error', `messages: roles must alternate (key ${apiKey})`) };
    const error = await failure(provider.chat(ask(), call));
    assert.equal(error.code, 'UPSTREAM_INVALID_REQUEST');
    assert.match(error.message, /roles must alternate/);
  });

  it('maps 500 to a retryable GATEWAY_UPSTREAM_ERROR, also when streaming', async () => {
    reply = { status: 500, json: anthropicError('api_error', 'Internal server error') };
    const error = await failure(provider.chat(ask(), call));
    assert.equal(error.code, 'GATEWAY_UPSTREAM_ERROR');
    assert.equal(error.retryable, true);
    assert.equal((await failure(provider.chatStream(ask(), call))).code, 'GATEWAY_UPSTREAM_ERROR');
  });

  it('passes on what the upstream said without its key, private URLs or its own address (regression: upstream error text reached callers unredacted)', async () => {
    const upstream = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const echoed = `model: claude-x not found (x-api-key ${apiKey} from 10.20.30.40, see http://billing.internal:8080/keys?token=abc123def456ghi, served by ${upstream})`;
    const leaks = [apiKey, '10.20.30.40', 'billing.internal', 'abc123def456ghi', upstream];
    const errors = [];
    for (const status of [400, 404, 500]) {
      reply = { status, json: anthropicError('not_found_error', echoed) };
      errors.push(await failure(provider.chat(ask(), call)));
    }
    reply = { events: [start(), ['error', { error: { type: 'api_error', message: echoed } }]] };
    errors.push(await failure(collect(await provider.chatStream(ask(), call))));
    for (const error of errors) {
      assert.match(error.message, /model: claude-x not found/);
      for (const leak of leaks) assert.ok(!error.message.includes(leak), `${leak} leaked: ${error.message}`);
    }
  });

  it('cuts a stream that falls silent after its first chunk with GATEWAY_UPSTREAM_TIMEOUT and closes the upstream connection', { timeout: 10_000 }, async () => {
    let closed: Promise<void> | undefined;
    reply = { events: [start(), ...textBlock(0, 'Hel').slice(0, 2)], stall: (connectionClosed) => (closed = connectionClosed) };
    const chunks: ChatCompletionChunk[] = [];
    const started = performance.now();
    const error = await failure(
      (async () => {
        for await (const chunk of await provider.chatStream(ask(), call)) chunks.push(chunk);
      })(),
    );
    const waited = performance.now() - started;
    assert.equal(error.code, 'GATEWAY_UPSTREAM_TIMEOUT');
    assert.match(error.message, /streamIdleTimeoutMs/);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content).join(''), 'Hel', 'the chunks before the silence arrived');
    assert.ok(waited >= idleMs && waited < idleMs + 2_000, `failed after ${Math.round(waited)} ms`);
    await closed; // resolves only once Breakwater closed the upstream connection
  });

  it('maps 401 to GATEWAY_UPSTREAM_AUTH_FAILED', async () => {
    reply = { status: 401, json: anthropicError('authentication_error', 'invalid x-api-key') };
    assert.equal((await failure(provider.chat(ask(), call))).code, 'GATEWAY_UPSTREAM_AUTH_FAILED');
  });

  it('fails a stream cut off, ended early, erroring or garbled with GATEWAY_UPSTREAM_STREAM_BROKEN', async () => {
    const cases: Array<[Reply, RegExp]> = [
      [{ events: [start(), ...textBlock(0, 'Hel')], cut: true }, /broke off/],
      [{ events: [start(), ...textBlock(0, 'Hel')] }, /before message_stop/],
      [{ events: [start(), ['error', { error: { type: 'overloaded_error', message: 'Overloaded' } }]] }, /Overloaded/],
      [{ events: [start(), 'event: content_block_delta\ndata: {not json\n\n'] }, /not JSON/],
    ];
    for (const [scripted, message] of cases) {
      reply = scripted;
      const error = await failure(collect(await provider.chatStream(ask(), call)));
      assert.equal(error.code, 'GATEWAY_UPSTREAM_STREAM_BROKEN');
      assert.match(error.message, message);
    }
  });

  it('refuses embeddings with MODEL_CAPABILITY_MISSING', async () => {
    assert.equal(provider.capabilities.embeddings, false);
    const error = await failure(provider.embed({ model: 'claude', input: 'x' }, call));
    assert.equal(error.code, 'MODEL_CAPABILITY_MISSING');
    assert.equal(error.param, 'model');
    assert.match(error.message, /no embeddings endpoint/);
  });
});
