import fc from 'fast-check';
import { escapeSoup, headersFor, headerText, query, request, segment } from './hostile-http.js';
import { hostileNumber, hostileString, hostileValue } from './hostile-values.js';

/**
 * Generators of hostile HTTP requests for every Breakwater endpoint, shared by the fuzz
 * suite (test/gateway/fuzz.test.ts, in process) and bench:hostile (bench/hostile, over real
 * sockets). Each request is what a careless or malicious client could send: arbitrary JSON,
 * valid bodies with a few fields broken, odd header values, odd paths and percent-escapes.
 *
 * The servers these run against configure no webhook secrets, so a generated `webhook` is
 * refused at submission and nothing is ever sent to a generated URL.
 */

export interface HostileRequest {
  /** Which endpoint family this request aims at (for the report). */
  category: string;
  method: string;
  /** Path and query, as written on the request line. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface HostileContext {
  /** A virtual key's secret. */
  key: string;
  adminToken: string;
  /** A finished job of the key's tenant, so job reads and event streams find something. */
  jobId: string;
  /** A key id the admin routes may read and revoke (never `key`'s own). */
  keyId: string;
  /** Longest single-character run in generated strings: token counting's worst case. */
  maxRun: number;
  /** Deepest generated array nesting. */
  maxDepth: number;
}

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = [], into: Path[] = []): Path[] {
  into.push(prefix);
  // Valid bodies are small; only walk them, never what a mutation put in.
  if (into.length > 200) return into;
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], into));
  else if (value !== null && typeof value === 'object') for (const [name, item] of Object.entries(value)) pathsOf(item, [...prefix, name], into);
  return into;
}

interface Mutation {
  kind: 'replace' | 'same-type' | 'delete' | 'add-field' | 'wrap' | 'repeat';
  at: number;
  value: unknown;
  /** For `same-type`: what replaces a string or a number, so the body often stays valid and goes deep. */
  text: string;
  number: number;
  name: string;
  times: number;
}

function mutate(valid: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(valid);
  for (const mutation of mutations) {
    // The root itself is covered by the arbitrary-JSON bodies; mutations go inside.
    const paths = pathsOf(root).slice(1);
    if (paths.length === 0) continue;
    const path = paths[mutation.at % paths.length]!;
    const parent =
      path.length === 0
        ? undefined
        : (path.slice(0, -1).reduce<unknown>((node, part) => (node as Record<string | number, unknown>)[part], root) as Record<string | number, unknown>);
    const last = path[path.length - 1];
    const current = parent === undefined ? root : parent[last!];
    let next: unknown;
    switch (mutation.kind) {
      case 'replace':
        next = mutation.value;
        break;
      case 'same-type':
        next = typeof current === 'string' ? mutation.text : typeof current === 'number' ? mutation.number : mutation.value;
        break;
      case 'wrap':
        next = mutation.times % 2 ? [current] : { value: current };
        break;
      case 'repeat':
        next = Array.isArray(current)
          ? Array.from({ length: mutation.times }, (_, index) => current[index % Math.max(1, current.length)])
          : String(current).repeat(Math.min(mutation.times, 64));
        break;
      case 'add-field':
        if (current !== null && typeof current === 'object' && !Array.isArray(current)) (current as Record<string, unknown>)[mutation.name] = mutation.value;
        continue;
      case 'delete':
        if (parent === undefined) next = undefined;
        else if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last!];
        if (parent !== undefined) continue;
        break;
    }
    if (parent === undefined) root = next;
    else parent[last!] = next;
  }
  return root;
}

function mutationOf(context: HostileContext): fc.Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constantFrom('replace', 'replace', 'same-type', 'same-type', 'same-type', 'same-type', 'same-type', 'delete', 'add-field', 'wrap', 'repeat'),
    // Unbiased: fast-check favours small numbers, which would pick the first fields every time.
    at: fc.noBias(fc.nat()),
    value: hostileValue(context),
    text: hostileString(context),
    number: hostileNumber,
    name: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'unknown_field', ''), hostileString({ maxRun: 64 })),
    times: fc.integer({ min: 0, max: 2000 }),
  });
}

/** JSON texts no JSON.stringify produces: numbers beyond doubles, poisoned keys, BOMs, duplicates, trailing commas. */
function rawJsonText(context: HostileContext): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '{',
      'null',
      '[]',
      '"text"',
      '0',
      'true',
      '1e999',
      '{"model":1e999,"messages":[{"role":"user","content":"hi"}]}',
      '{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"max_tokens":123456789012345678901234567890}',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '\uFEFF{"model":"gpt-test"}',
      '{"a":1,}',
      '{"model":"gpt-test","model":"mock","messages":[]}',
      '{"messages":[{"role":"user","content":"\\ud800"}],"model":"gpt-test"}',
      '{"model":"gpt-test","messages":[{"role":"user","content":"\\u0000"}]}',
      '{"input":"\\udfff\\ud800","model":"embed-test"}',
      '{"model":"gpt-test"}\n{"model":"mock"}',
    ),
    fc.integer({ min: 1, max: context.maxDepth }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 1, max: context.maxDepth }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
    // Bytes that are not UTF-8 inside a JSON string.
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) => Buffer.concat([Buffer.from('{"model":"gpt-test","messages":[{"role":"user","content":"'), Buffer.from(bytes), Buffer.from('"}]}')])),
  );
}

/** A body for an endpoint: valid in shape with hostile contents, a valid one with a few mutations, arbitrary JSON, or raw text. */
function hostileBody(context: HostileContext, valid: unknown[], deep?: fc.Arbitrary<unknown>): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    ...(deep ? [{ weight: 8, arbitrary: deep.map((body) => JSON.stringify(body)) }] : []),
    {
      weight: 10,
      arbitrary: fc
        .tuple(fc.constantFrom(...valid), fc.array(mutationOf(context), { minLength: 1, maxLength: 3 }))
        .map(([body, mutations]) => JSON.stringify(mutate(body, mutations)) ?? ''),
    },
    { weight: 1, arbitrary: fc.constantFrom(...valid).map((body) => JSON.stringify(body)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true }).map((value) => JSON.stringify(value) ?? 'undefined') },
    { weight: 2, arbitrary: rawJsonText(context) },
  );
}

function validBodies(context: HostileContext) {
  const user = { role: 'user', content: 'Hello there' };
  const chat = [
    { model: 'gpt-test', messages: [user] },
    {
      model: 'mock',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 16,
      temperature: 0.5,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
    },
    {
      model: 'auto',
      messages: [
        user,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '42' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'number' } } } } }],
      tool_choice: 'auto',
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } } } },
      stop: ['\n'],
      metadata: { team: 'fuzz' },
    },
  ];
  return {
    chat,
    embeddings: [
      { model: 'embed-test', input: 'hello' },
      { model: 'mock', input: ['a', 'b'], encoding_format: 'base64' },
      { model: 'embed-test', input: [[1, 2, 3]] },
      { model: 'mock', input: [1, 2, 3], dimensions: 8 },
    ],
    jobs: [
      { kind: 'chat', request: chat[0], priority: 5, max_attempts: 1, metadata: { a: 'b' } },
      { kind: 'pipeline', pipeline: 'invoice', text: 'Invoice INV-1, total 10 EUR', delay_seconds: 0, deadline_seconds: 60 },
      { kind: 'pipeline', pipeline: 'invoice', document: { name: 'a.txt', media_type: 'text/plain', data: Buffer.from('Invoice INV-2').toString('base64') } },
      { kind: 'chat', request: chat[1], webhook: { url: 'http://127.0.0.1:9/hook' } },
    ],
    adminKey: [
      { name: 'fuzz', tenant: 'fuzz-minted', allowed_models: ['gpt-test'], rpm: 100, tpm: 1000, budget_usd: 5, budget_period: 'day', tags: { team: 'x' }, pii_policy: null },
    ],
    keyId: context.keyId,
  };
}

/** Bodies that pass validation, so their hostile strings reach token counting, PII, cache keys and routing. */
function deepBodies(context: HostileContext) {
  const text = hostileString(context);
  const content = fc.oneof(
    { weight: 3, arbitrary: text },
    fc.array(
      text.map((part) => ({ type: 'text', text: part })),
      { minLength: 1, maxLength: 3 },
    ),
  );
  const message = fc.oneof(
    { weight: 3, arbitrary: fc.record({ role: fc.constantFrom('system', 'developer', 'user'), content }) },
    fc.record({ role: fc.constant('assistant'), content: fc.option(content) }),
  );
  const chat = fc.record(
    {
      model: fc.constantFrom('gpt-test', 'mock', 'auto'),
      messages: fc.array(message, { minLength: 1, maxLength: 8 }),
      stream: fc.boolean(),
      max_tokens: fc.integer({ min: 1, max: 2 ** 31 }),
      user: text,
      metadata: fc.dictionary(fc.string({ maxLength: 16 }), text, { maxKeys: 3 }),
      stop: fc.array(text, { maxLength: 4 }),
    },
    { requiredKeys: ['model', 'messages'] },
  );
  return {
    chat,
    embeddings: fc.record({
      model: fc.constantFrom('embed-test', 'mock'),
      input: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 16 }), fc.array(fc.integer(), { minLength: 1, maxLength: 64 })),
    }),
    jobs: fc.oneof(
      fc.record({ kind: fc.constant('chat'), request: chat, idempotent: fc.constant(undefined) }).map(({ kind, request: body }) => ({ kind, request: body })),
      fc.record({ kind: fc.constant('pipeline'), pipeline: fc.constant('invoice'), text: text.filter((value) => value.length > 0) }),
      fc.record({
        kind: fc.constant('pipeline'),
        pipeline: fc.constant('invoice'),
        document: fc.record({
          media_type: fc.constantFrom('text/plain', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/html', 'image/png'),
          data: fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((bytes) => Buffer.from(bytes).toString('base64')),
        }),
      }),
    ),
    adminKey: fc.record(
      {
        name: text.filter((value) => value.length > 0 && value.length <= 200),
        tenant: text.filter((value) => value.length > 0 && value.length <= 200),
        tags: fc.dictionary(text, text, { maxKeys: 3 }),
      },
      { requiredKeys: ['name'] },
    ),
  };
}

/** One generator per endpoint family, each aiming most requests past authentication. */
export function hostileRequestsByCategory(context: HostileContext): Record<string, fc.Arbitrary<HostileRequest>> {
  const valid = validBodies(context);
  const deep = deepBodies(context);
  const asKey = (withBody: boolean) => headersFor(context, 'key', withBody);
  const asAdmin = (withBody: boolean) => headersFor(context, 'admin', withBody);
  const job = segment(context.jobId);
  const jobsQuery = query(['status', 'pipeline', 'cursor', 'limit', 'after'], context);
  return {
    chat: request('chat', 'POST', fc.constant('/v1/chat/completions'), asKey(true), hostileBody(context, valid.chat, deep.chat)),
    embeddings: request('embeddings', 'POST', fc.constant('/v1/embeddings'), asKey(true), hostileBody(context, valid.embeddings, deep.embeddings)),
    'jobs-submit': request('jobs-submit', 'POST', fc.constant('/v1/jobs'), asKey(true), hostileBody(context, valid.jobs, deep.jobs)),
    'jobs-read': fc.oneof(
      request(
        'jobs-read',
        'GET',
        fc.tuple(job, jobsQuery).map(([id, tail]) => `/v1/jobs/${id}${tail}`),
        asKey(false),
      ),
      request(
        'jobs-read',
        'GET',
        jobsQuery.map((tail) => `/v1/jobs${tail}`),
        asKey(false),
      ),
      request(
        'jobs-read',
        'GET',
        fc.tuple(job, jobsQuery).map(([id, tail]) => `/v1/jobs/${id}/events${tail}`),
        asKey(false),
      ),
      request(
        'jobs-read',
        'POST',
        job.map((id) => `/v1/jobs/${id}/cancel`),
        asKey(true),
        fc.option(hostileBody(context, [{}]), { nil: undefined }),
      ),
    ),
    pipelines: fc.oneof(
      request(
        'pipelines',
        'GET',
        query(['x'], context).map((tail) => `/v1/pipelines${tail}`),
        asKey(false),
      ),
      request(
        'pipelines',
        'GET',
        fc.tuple(segment('invoice'), query(['cursor', 'limit'], context)).map(([name, tail]) => `/v1/pipelines/${name}/records${tail}`),
        asKey(false),
      ),
    ),
    models: fc.oneof(
      request('models', 'GET', fc.constant('/v1/models'), asKey(false)),
      request(
        'models',
        'GET',
        fc.oneof(segment('gpt-test'), segment('auto')).map((model) => `/v1/models/${model}`),
        asKey(false),
      ),
    ),
    usage: fc.oneof(
      request(
        'usage',
        'GET',
        query(['from', 'to', 'key_id', 'model'], context).map((tail) => `/v1/usage${tail}`),
        asKey(false),
      ),
      request(
        'usage',
        'GET',
        query(['from', 'to', 'key_id', 'model'], context).map((tail) => `/v1/usage${tail}`),
        asAdmin(false),
      ),
    ),
    cache: fc.oneof(
      request(
        'cache',
        'DELETE',
        query(['tenant', 'model'], context).map((tail) => `/v1/cache/semantic${tail}`),
        asKey(false),
      ),
      request(
        'cache',
        'DELETE',
        query(['tenant', 'model'], context).map((tail) => `/v1/cache/semantic${tail}`),
        asAdmin(false),
      ),
    ),
    admin: fc.oneof(
      { weight: 3, arbitrary: request('admin', 'POST', fc.constant('/v1/admin/keys'), asAdmin(true), hostileBody(context, valid.adminKey, deep.adminKey)) },
      request('admin', 'GET', fc.constant('/v1/admin/keys'), asAdmin(false)),
      request(
        'admin',
        'GET',
        segment(valid.keyId).map((id) => `/v1/admin/keys/${id}`),
        asAdmin(false),
      ),
      request(
        'admin',
        'DELETE',
        segment(valid.keyId).map((id) => `/v1/admin/keys/${id}`),
        asAdmin(false),
      ),
      request('admin', 'POST', fc.constant('/v1/admin/keys'), asKey(true), hostileBody(context, valid.adminKey)),
    ),
    paths: request(
      'paths',
      'GET',
      fc
        .tuple(
          fc.array(fc.oneof(segment('v1'), segment('admin'), segment('jobs'), segment('keys'), segment('healthz'), segment('metrics')), { minLength: 0, maxLength: 6 }),
          query(['x'], context),
        )
        .map(([parts, tail]) => `/${parts.join('/')}${tail}`),
      asKey(false),
    ).chain((generated) =>
      fc
        .constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD')
        .map((method) => ({ ...generated, method, ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { body: '{}' } : {}) })),
    ),
  };
}

/** Any endpoint family. */
export function hostileRequest(context: HostileContext): fc.Arbitrary<HostileRequest> {
  return fc.oneof(...Object.values(hostileRequestsByCategory(context)));
}

/**
 * The request as bytes on the wire (origin-form unless the target says otherwise), closing
 * the connection after one answer. Header values are written as latin1, as HTTP/1.1 has them.
 */
export function encodeRequest(request: HostileRequest, target = request.url): Buffer {
  const lines = [`${request.method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body ?? Buffer.alloc(0)]);
}

/**
 * Requests only a raw socket can send: junk methods, absolute and authority forms, other
 * HTTP versions, malformed header lines, conflicting framing. Node's parser or Fastify
 * must answer each with an enveloped 4xx (or a 2xx when it is valid after all).
 */
export function rawHostileBytes(context: HostileContext, port: number): fc.Arbitrary<{ category: string; bytes: Buffer }> {
  const method = fc.constantFrom('GET', 'POST', 'DELETE', 'get', 'G ET', 'PRI', 'TRACE', 'CONNECT', 'PROPFIND', 'M-SEARCH', 'POST\u0000', 'GETT', '');
  const target = fc.oneof(
    hostileRequest(context).map((request) => request.url),
    fc.constantFrom(
      '*',
      '127.0.0.1:80',
      `http://127.0.0.1:${port}/v1/admin/keys`,
      'http://evil.example/v1/admin/keys',
      `HTTP://127.0.0.1:${port}/v1/%61dmin/keys`,
      '/v1/admin/keys#x',
      '/\\v1\\admin\\keys',
      '/v1/admin/keys\u0000',
      '/v1/ admin/keys',
      '//v1//admin//keys',
      '',
      '/%',
    ),
    escapeSoup.map((soup) => `/v1/${soup}`),
  );
  const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'http/1.1', 'HTTP/1.1 extra', '');
  const headerLine = fc.oneof(
    fc.constantFrom(
      `Authorization: Bearer ${context.key}`,
      `Authorization: Bearer ${context.adminToken}`,
      'Content-Type: application/json',
      'no colon here',
      ': empty name',
      'Bad Name: x',
      ' folded: continuation',
      'X-Nul: a\u0000b',
      'Transfer-Encoding: chunked',
      'Transfer-Encoding: gzip, chunked',
      'Content-Length: 5',
      'Content-Length: -1',
      'Content-Length: 1e3',
      'Content-Length: 2, 3',
      'Expect: 100-continue',
      'Host: evil.example',
      'Connection: keep-alive, Upgrade',
      'Upgrade: websocket',
    ),
    headerText.map((value) => `X-Fuzz: ${value}`),
  );
  const body = fc.oneof(fc.constant(''), fc.constantFrom('{}', '0\r\n\r\n', 'zz\r\nhello\r\n0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', '{"name":"minted","tenant":"victim"}'));
  return fc.tuple(method, target, version, fc.array(headerLine, { maxLength: 6 }), body).map(([verb, path, http, headers, payload]) => ({
    category: 'raw',
    bytes: Buffer.from(`${verb} ${path} ${http}\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((line) => `${line}\r\n`).join('')}\r\n${payload}`, 'latin1'),
  }));
}

/**
 * The Breakwater config both the fuzz suite and bench:hostile attack: the aliases and the
 * pipeline the generators aim at (`gpt-test`, `embed-test` on an OpenAI-compatible upstream
 * whose key comes from UPSTREAM_KEY; `mock`; `auto` over both; pipeline `invoice`), and no
 * webhook secrets, so no generated webhook is ever sent.
 */
export function hostileTargetConfig(upstreamUrl: string): Record<string, unknown> {
  return {
    providers: { upstream: { type: 'openai-compatible', baseUrl: upstreamUrl, apiKey: { env: 'UPSTREAM_KEY' } }, mock: { type: 'mock' } },
    models: {
      'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] },
      'embed-test': { deployments: [{ provider: 'upstream', model: 'text-embedding-3-small', retries: 0 }] },
      mock: { deployments: [{ provider: 'mock', model: 'mock' }] },
    },
    autoRoutes: {
      auto: {
        tiers: [
          { name: 'small', alias: 'mock' },
          { name: 'large', alias: 'gpt-test' },
        ],
      },
    },
    pipelines: {
      invoice: {
        model: 'mock',
        prompt: { version: 1, template: 'Extract the invoice:\n{{document}}' },
        schema: { type: 'object', required: ['invoice_number', 'total'], properties: { invoice_number: { type: 'string' }, total: { type: 'number', minimum: 0 } } },
      },
    },
  };
}
