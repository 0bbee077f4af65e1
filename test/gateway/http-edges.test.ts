import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, listenOnSocket, mockModelConfig, startTestApp, upstreamConfig, upstreamSecret, type TestApp } from '../support/test-app.js';

/** Sends raw bytes and reads the whole answer (the server closes after it). */
function raw(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), headers: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.end(request);
  });
}

function envelopeCode(body: string): string {
  const parsed = JSON.parse(body) as { error: { code: string; message: string; type: string } };
  assert.equal(typeof parsed.error.message, 'string');
  assert.equal(typeof parsed.error.type, 'string');
  return parsed.error.code;
}

describe("Fastify's and Node's own refusals come back in the OpenAI envelope", () => {
  let test: TestApp;
  let port: number;
  let key: string;

  before(async () => {
    test = await startTestApp(mockModelConfig);
    port = await listenOnSocket(test);
    key = await test.key();
  });
  after(() => test.close());

  it('431: headers over the limit', async () => {
    const response = await raw(port, `GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    assert.equal(response.status, 431);
    assert.equal(envelopeCode(response.body), 'HEADERS_TOO_LARGE');
  });

  it('414: a path segment over server.maxParamLength', async () => {
    const response = await raw(port, `GET /v1/jobs/${'j'.repeat(5_000)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`);
    assert.equal(response.status, 414);
    assert.equal(envelopeCode(response.body), 'URI_TOO_LONG');
  });

  it('400: a malformed request line', async () => {
    const response = await raw(port, `GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n`);
    assert.equal(response.status, 400);
    assert.equal(envelopeCode(response.body), 'INVALID_REQUEST');
  });

  it('400: a percent-escape that does not decode', async () => {
    const response = await raw(port, `GET /v1/jobs/%E0%A4%A HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`);
    assert.equal(response.status, 400);
    assert.equal(envelopeCode(response.body), 'INVALID_REQUEST');
  });

  it('413 and 415 in the envelope', async () => {
    const big = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(key), 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) },
      payload: '{}',
    });
    assert.ok([400, 413].includes(big.statusCode), big.body);
    envelopeCode(big.body);
    const media = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(key), 'content-type': 'application/xml' }, payload: '<a/>' });
    assert.equal(media.statusCode, 415);
    assert.equal(envelopeCode(media.body), 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('authenticates before reading the body: bad JSON without a key is a 401, not a parse error', async () => {
    const response = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, payload: '{"model": ' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.code, 'MISSING_API_KEY');
    const jobs = await test.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { ...bearer('bw_not-a-key'), 'content-type': 'application/json' },
      payload: '{"pipeline": ',
    });
    assert.equal(jobs.statusCode, 401);
    assert.equal(jobs.json().error.code, 'INVALID_API_KEY');
  });

  it('a key at its RPM limit is refused before its body is parsed', async () => {
    const limited = await test.key({ rpm: 1 });
    const first = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(limited),
      payload: { model: 'mock', messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(first.statusCode, 200, first.body);
    const second = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(limited), 'content-type': 'application/json' },
      payload: '{"model": ',
    });
    assert.equal(second.statusCode, 429);
    assert.equal(second.json().error.code, 'RATE_LIMIT_EXCEEDED');
    const embeddings = await test.server.inject({ method: 'POST', url: '/v1/embeddings', headers: { ...bearer(limited), 'content-type': 'application/json' }, payload: '[' });
    assert.equal(embeddings.statusCode, 429);
  });
});

describe('/metrics behind a token', () => {
  it('answers only the configured metrics token when one is set', async () => {
    const token = 'metrics-token-0123456789abcdef-0123';
    const test = await startTestApp({}, { env: { BREAKWATER_METRICS_TOKEN: token } });
    try {
      const anonymous = await test.server.inject({ method: 'GET', url: '/metrics' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().error.code, 'METRICS_TOKEN_INVALID');
      const wrong = await test.server.inject({ method: 'GET', url: '/metrics', headers: bearer(`${token}x`) });
      assert.equal(wrong.statusCode, 401);
      const right = await test.server.inject({ method: 'GET', url: '/metrics', headers: bearer(token) });
      assert.equal(right.statusCode, 200);
      assert.match(right.body, /# HELP/);
      assert.equal((await test.server.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'health stays open');
    } finally {
      await test.close();
    }
  });

  it('is open without a token (the default)', async () => {
    const test = await startTestApp({});
    try {
      assert.equal((await test.server.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
    } finally {
      await test.close();
    }
  });
});

describe('weak tokens are refused at start', () => {
  for (const [variable, setting] of [
    ['BREAKWATER_ADMIN_TOKEN', 'admin.token'],
    ['BREAKWATER_METRICS_TOKEN', 'metrics.token'],
  ] as const) {
    it(`${setting} shorter than 32 characters → CONFIG_INVALID naming the setting`, async () => {
      const loaded = loadConfig({ noFile: true, env: { BREAKWATER_DB: ':memory:', [variable]: 'short-but-not-empty-token' } });
      await assert.rejects(createApp(loaded), (error: unknown) => {
        assert.ok(BreakwaterError.isInstance(error));
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.match(error.message, new RegExp(setting.replace('.', '\\.')));
        assert.ok(!error.message.includes('short-but-not-empty-token'), 'the message never echoes the token');
        return true;
      });
    });
  }
});

describe('bounded resources at the HTTP edge', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  const held: Array<() => void> = [];

  before(async () => {
    upstream = await OpenAIUpstream.start((request) => {
      const messages = request.body.messages as Array<{ content: string }> | undefined;
      if (messages?.at(-1)?.content === 'hold') return new Promise<boolean>((resolve) => held.push(() => resolve(false)));
      return false;
    });
    test = await startTestApp(upstreamConfig(upstream.url, { server: { maxConcurrentRequests: 1, maxEventStreamsPerTenant: 2 } }), { env: { UPSTREAM_KEY: upstreamSecret } });
  });
  after(async () => {
    for (const release of held) release();
    await test.close();
    await upstream.close();
  });

  it('embeddings wait behind the same concurrency gate as chat', async () => {
    const key = await test.key();
    const holding = test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(key),
      payload: { model: 'gpt-test', messages: [{ role: 'user', content: 'hold' }] },
    });
    while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const embeddings = await test.server.inject({ method: 'POST', url: '/v1/embeddings', headers: bearer(key), payload: { model: 'embed-test', input: 'hello' } });
    assert.equal(embeddings.statusCode, 503);
    assert.equal(embeddings.json().error.code, 'SERVER_OVERLOADED');
    held.shift()!();
    assert.equal((await holding).statusCode, 200);
    const after = await test.server.inject({ method: 'POST', url: '/v1/embeddings', headers: bearer(key), payload: { model: 'embed-test', input: 'hello' } });
    assert.equal(after.statusCode, 200, after.body);
  });

  it('caps open job event streams per tenant and gives the slot back when a stream closes', async () => {
    const base = `http://127.0.0.1:${await listenOnSocket(test)}`;
    const key = await test.key({ tenant: 'streams' });
    const submitted = await fetch(`${base}/v1/jobs`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'chat', request: { model: 'gpt-test', messages: [{ role: 'user', content: 'hold' }] } }),
    });
    assert.ok([200, 202].includes(submitted.status), await submitted.clone().text());
    const job = (await submitted.json()) as { id: string };
    const open = async () => {
      const controller = new AbortController();
      const response = await fetch(`${base}/v1/jobs/${job.id}/events`, { headers: bearer(key), signal: controller.signal });
      return { response, close: () => controller.abort() };
    };
    const first = await open();
    const second = await open();
    assert.equal(first.response.status, 200);
    assert.equal(second.response.status, 200);
    const third = await open();
    assert.equal(third.response.status, 429);
    assert.equal(((await third.response.json()) as { error: { code: string } }).error.code, 'TOO_MANY_EVENT_STREAMS');
    first.close();
    // The server learns of the closed socket asynchronously: ask again until the slot is back.
    let reopened = await open();
    for (let attempt = 0; reopened.response.status === 429 && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      reopened = await open();
    }
    assert.equal(reopened.response.status, 200);
    second.close();
    reopened.close();
  });
});

describe('JSON bodies are checked for shape before they are parsed', () => {
  const limits = { depth: 64, members: 100, digits: 400 };
  const shape = async (text: string) => (await import('../../src/adapters/json/json-text.js')).shapeProblem(Buffer.from(text), limits);

  it('counts nesting outside strings only', async () => {
    assert.equal(await shape(`{"a":${'['.repeat(64)}${']'.repeat(64)}}`), 'depth');
    assert.equal(await shape(`{"a":${'['.repeat(63)}${']'.repeat(63)}}`), undefined);
    assert.equal(
      await shape(JSON.stringify({ text: '[[[[{{{{'.repeat(1_000), quoted: 'say "[[[" ok', unicode: 'é[ü{' })),
      undefined,
      'brackets inside strings (escaped quotes, multi-byte text) do not count',
    );
  });

  it('counts the members of each object, not of the body', async () => {
    const wide = (count: number) => `{${Array.from({ length: count }, (_, index) => `"k${index}":{"a":1,"b":2}`).join(',')}}`;
    assert.equal(await shape(wide(100)), undefined, '100 members, each with 2 of its own');
    assert.equal(await shape(wide(101)), 'members');
    assert.equal(await shape(JSON.stringify({ list: Array.from({ length: 5_000 }, () => ({ a: 'x:y' })) })), undefined, 'arrays are not capped, colons in strings do not count');
  });

  it('counts the objects and arrays of the whole body, not those inside strings', async () => {
    const many = (count: number) => `{"list":[${Array.from({ length: count - 2 }, () => '{}').join(',')}],"text":"${'[{'.repeat(1_000)}"}`;
    const shapeWith = async (text: string) => (await import('../../src/adapters/json/json-text.js')).shapeProblem(Buffer.from(text), { ...limits, containers: 5_000 });
    assert.equal(await shapeWith(many(5_000)), undefined, 'the body, the list and 4,998 objects');
    assert.equal(await shapeWith(many(5_001)), 'containers');
  });

  it('counts the digits of number literals, not of strings', async () => {
    assert.equal(await shape(`{"max_tokens":${'9'.repeat(401)}}`), 'digits');
    assert.equal(await shape(`{"temperature":0.${'1'.repeat(400)}}`), undefined);
    assert.equal(await shape(JSON.stringify({ id: '7'.repeat(10_000) })), undefined);
  });

  it('refuses a 4 MB body of distinct keys or of deep nesting with 400 before parsing it', async () => {
    const test = await startTestApp(mockModelConfig);
    try {
      const key = await test.key();
      for (const payload of [
        `{"model":"mock","messages":[{"role":"user","content":"hi"}],"metadata":{${Array.from({ length: 300_000 }, (_, index) => `"k${index}":"v"`).join(',')}}}`,
        `{"model":"mock","messages":[{"role":"user","content":"hi"}],"audio":${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}}`,
      ]) {
        const response = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...bearer(key), 'content-type': 'application/json' }, payload });
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().error.code, 'INVALID_REQUEST');
      }
    } finally {
      await test.close();
    }
  });
});

describe('chat requests are bounded in messages and content parts', () => {
  it('refuses more than 10,000 messages or content parts with 400 naming messages, and takes 10,000', async () => {
    const test = await startTestApp(mockModelConfig);
    try {
      const key = await test.key();
      const chat = (messages: unknown[]) => test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(key), payload: { model: 'mock', messages } });
      const many = await chat(Array.from({ length: 10_001 }, () => ({ role: 'user', content: 'hi' })));
      assert.equal(many.statusCode, 400, many.body);
      assert.equal(many.json().error.param, 'messages');
      const parts = await chat(Array.from({ length: 3 }, () => ({ role: 'user', content: Array.from({ length: 3_500 }, () => ({ type: 'text', text: 'hi' })) })));
      assert.equal(parts.statusCode, 400, parts.body);
      assert.match(parts.json().error.message, /content parts/);
      const most = await chat(Array.from({ length: 10_000 }, () => ({ role: 'user', content: 'hi' })));
      assert.equal(most.statusCode, 200, most.body);
      const invalid = await chat([{ role: 'robot', content: 'hi' }]);
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.json().error.param, /^messages/);
    } finally {
      await test.close();
    }
  });
});

describe('embeddings token-id input is bounded as OpenAI bounds it', () => {
  it('refuses an input over 8,192 ids and a request over 300,000, and takes one at the limits', async () => {
    const test = await startTestApp(mockModelConfig);
    try {
      const key = await test.key();
      const embed = (input: unknown) => test.server.inject({ method: 'POST', url: '/v1/embeddings', headers: bearer(key), payload: { model: 'mock', input } });
      const ids = (count: number) => Array.from({ length: count }, (_, index) => index % 50_000);
      assert.equal((await embed(ids(8_193))).statusCode, 400);
      assert.equal((await embed(Array.from({ length: 37 }, () => ids(8_192)))).statusCode, 400, '303,104 ids in all');
      const within = await embed([ids(8_192), ids(10)]);
      assert.notEqual(within.statusCode, 400, within.body);
    } finally {
      await test.close();
    }
  });
});
