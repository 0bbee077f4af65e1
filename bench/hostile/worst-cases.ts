import { randomBytes } from 'node:crypto';
import { encodeRequest, type HostileContext } from '../../test/support/hostile-requests.js';

/** One request of the storm, as the bytes that go on the wire. */
export interface StormRequest {
  category: string;
  /** Short description for the report (never the body itself). */
  label: string;
  method: string;
  bytes: Buffer;
}

export interface WorstCaseOptions {
  context: HostileContext;
  port: number;
  /** server.bodyLimitBytes and jobs.bodyLimitBytes of the server under attack. */
  bodyLimitBytes: number;
  jobsBodyLimitBytes: number;
}

/**
 * The worst bodies one can build at the body limit, each aimed at a per-request CPU step:
 * one long run of a single character (token counting), megabytes of digits (number
 * parsing), JSON nested as deep as the limit allows (parsers, canonical JSON), hundreds of
 * thousands of messages (validation), documents of random bytes (the document readers),
 * plus headers at and past their limit, percent-escape soups and admin paths spelled oddly.
 */
export function worstCaseRequests(options: WorstCaseOptions): StormRequest[] {
  const { context, port } = options;
  const key = { authorization: `Bearer ${context.key}`, 'content-type': 'application/json' };
  const admin = { authorization: `Bearer ${context.adminToken}`, 'content-type': 'application/json' };
  const requests: StormRequest[] = [];
  const add = (category: string, label: string, method: string, url: string, headers: Record<string, string>, body?: string | Buffer) =>
    requests.push({ category, label, method, bytes: encodeRequest({ category, method, url, headers, ...(body === undefined ? {} : { body }) }) });

  /** A body of `before + filler + after` exactly at `limit` bytes, `filler` repeated (counted in UTF-8 bytes). */
  const atLimit = (before: string, filler: string, after: string, limit = options.bodyLimitBytes) => {
    const room = limit - Buffer.byteLength(before) - Buffer.byteLength(after);
    return before + filler.repeat(Math.floor(room / Buffer.byteLength(filler))) + after;
  };
  const chatAround = (model: string) => [`{"model":"${model}","messages":[{"role":"user","content":"`, '"}]}'] as const;

  for (const [name, filler] of [
    ['a', 'a'],
    ['space', ' '],
    ['digit 7', '7'],
    ['emoji', '🙂'],
    ['é', 'é'],
    ['NUL escape', '\\u0000'],
    ['lone surrogate escape', '\\ud800'],
    ['digits 0-9', '0123456789'],
    ['"ab "', 'ab '],
  ] as const) {
    for (const model of ['gpt-test', 'mock', 'auto']) {
      const [before, after] = chatAround(model);
      add('worst-chat', `4 MB run of ${name} in a ${model} chat message`, 'POST', '/v1/chat/completions', key, atLimit(before, filler, after));
    }
    add('worst-embeddings', `4 MB run of ${name} as embeddings input`, 'POST', '/v1/embeddings', key, atLimit('{"model":"embed-test","input":"', filler, '"}'));
  }
  add(
    'worst-chat',
    'streamed 4 MB run of a',
    'POST',
    '/v1/chat/completions',
    key,
    atLimit('{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"', 'a', '"}]}'),
  );
  add(
    'worst-chat',
    '4 MB run of a in the system prompt, cache bypassed',
    'POST',
    '/v1/chat/completions',
    { ...key, 'cache-control': 'no-cache' },
    atLimit('{"model":"mock","messages":[{"role":"system","content":"', 'a', '"},{"role":"user","content":"hi"}]}'),
  );
  add(
    'worst-embeddings',
    '2048 inputs of 2 KB runs',
    'POST',
    '/v1/embeddings',
    key,
    JSON.stringify({ model: 'embed-test', input: Array.from({ length: 2048 }, () => 'b'.repeat(2000)) }),
  );
  add('worst-embeddings', '4 MB of token ids', 'POST', '/v1/embeddings', key, atLimit('{"model":"embed-test","input":[1', ',99999', ']}'));

  add(
    'worst-numbers',
    'max_tokens with 4 M digits',
    'POST',
    '/v1/chat/completions',
    key,
    atLimit('{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"max_tokens":9', '9', '}'),
  );
  add(
    'worst-numbers',
    'temperature 0.000…1 with 4 M digits',
    'POST',
    '/v1/chat/completions',
    key,
    atLimit('{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"temperature":0.', '0', '1}'),
  );
  add(
    'worst-numbers',
    'a message of 4 M digits in a JSON number',
    'POST',
    '/v1/chat/completions',
    key,
    atLimit('{"model":"gpt-test","messages":[{"role":"user","content":', '7', '}]}'),
  );

  const depth = Math.floor((options.bodyLimitBytes - 200) / 2);
  add('worst-nesting', `[[[…]]] ${depth} deep as the whole body`, 'POST', '/v1/chat/completions', key, `${'['.repeat(depth)}${']'.repeat(depth)}`);
  const objectDepth = Math.floor((options.bodyLimitBytes - 200) / 6);
  add('worst-nesting', `{"a":{"a":…}} ${objectDepth} deep as the whole body`, 'POST', '/v1/chat/completions', key, `${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}`);
  const innerDepth = Math.floor((options.bodyLimitBytes - 300) / 2);
  add(
    'worst-nesting',
    `audio (a free-form field) nested ${innerDepth} deep`,
    'POST',
    '/v1/chat/completions',
    key,
    `{"model":"mock","messages":[{"role":"user","content":"hi"}],"audio":{"x":${'['.repeat(innerDepth)}${']'.repeat(innerDepth)}}}`,
  );
  add(
    'worst-nesting',
    `tool parameters nested ${objectDepth} deep`,
    'POST',
    '/v1/chat/completions',
    key,
    `{"model":"mock","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}}}]}`,
  );
  add(
    'worst-nesting',
    `response_format schema nested ${objectDepth} deep`,
    'POST',
    '/v1/chat/completions',
    key,
    `{"model":"mock","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}}}}`,
  );
  add(
    'worst-nesting',
    `admin key tags nested ${objectDepth} deep`,
    'POST',
    '/v1/admin/keys',
    admin,
    `{"name":"deep","tags":${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}}`,
  );

  const message = '{"role":"user","content":"x"},';
  const count = Math.floor((options.bodyLimitBytes - 100) / message.length);
  add('worst-messages', `${count} messages`, 'POST', '/v1/chat/completions', key, `{"model":"mock","messages":[${message.repeat(count - 1)}{"role":"user","content":"x"}]}`);
  const partCount = Math.floor((options.bodyLimitBytes - 200) / 25);
  add(
    'worst-messages',
    `one message of ${partCount} text parts`,
    'POST',
    '/v1/chat/completions',
    key,
    `{"model":"mock","messages":[{"role":"user","content":[${'{"type":"text","text":"x"},'.repeat(partCount - 1)}{"type":"text","text":"x"}]}]}`,
  );
  add(
    'worst-messages',
    '4 MB of metadata entries',
    'POST',
    '/v1/chat/completions',
    key,
    atLimit('{"model":"mock","messages":[{"role":"user","content":"hi"}],"metadata":{"k0":"v"', ',"k":"v"', '}}'),
  );

  const jobLimit = options.jobsBodyLimitBytes;
  add(
    'worst-jobs',
    'chat job with a 4 MB run of a',
    'POST',
    '/v1/jobs',
    key,
    atLimit('{"kind":"chat","request":{"model":"mock","messages":[{"role":"user","content":"', 'a', '"}]}}'),
  );
  add('worst-jobs', 'pipeline job with 4 MB of text (one run)', 'POST', '/v1/jobs', key, atLimit('{"kind":"pipeline","pipeline":"invoice","text":"', 'a', '"}'));
  for (const mediaType of ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/html', 'text/plain']) {
    const data = randomBytes(Math.floor(((jobLimit - 400) * 3) / 4)).toString('base64');
    add(
      'worst-jobs',
      `pipeline job: ${Math.round(data.length / 1e6)} MB of random base64 as ${mediaType.split('/')[1]!.slice(0, 24)}`,
      'POST',
      '/v1/jobs',
      key,
      JSON.stringify({ kind: 'pipeline', pipeline: 'invoice', document: { media_type: mediaType, data } }),
    );
  }
  add('worst-jobs', 'a job body over jobs.bodyLimitBytes', 'POST', '/v1/jobs', key, atLimit('{"kind":"pipeline","pipeline":"invoice","text":"', 'a', '"}', jobLimit + 1024));
  add(
    'worst-chat',
    'a chat body over server.bodyLimitBytes',
    'POST',
    '/v1/chat/completions',
    key,
    atLimit('{"model":"gpt-test","messages":[{"role":"user","content":"', 'a', '"}]}', options.bodyLimitBytes + 1024),
  );

  add('worst-headers', 'one 15 KB header (under the limit)', 'GET', '/v1/models', { ...key, 'x-fuzz': 'h'.repeat(15_000) });
  add('worst-headers', 'one 17 KB header (over the limit)', 'GET', '/v1/models', { ...key, 'x-fuzz': 'h'.repeat(17_000) });
  add('worst-headers', '600 small headers', 'GET', '/v1/models', { ...key, ...Object.fromEntries(Array.from({ length: 600 }, (_, index) => [`x-h${index}`, 'v'])) });
  add(
    'worst-headers',
    '4 MB body after a 17 KB header',
    'POST',
    '/v1/chat/completions',
    { ...key, 'x-fuzz': 'h'.repeat(17_000) },
    atLimit('{"model":"gpt-test","messages":[{"role":"user","content":"', 'a', '"}]}'),
  );
  add(
    'worst-headers',
    '15 KB x-request-id, last-event-id and idempotency-key',
    'POST',
    '/v1/jobs',
    { ...key, 'x-request-id': 'r'.repeat(5_000), 'idempotency-key': 'i'.repeat(5_000), 'last-event-id': '9'.repeat(5_000) },
    '{"kind":"chat","request":{"model":"mock","messages":[{"role":"user","content":"hi"}]}}',
  );

  const soups = ['%2e%2e%2f', '%ff', '%zz', '%', '%C0%AF', '%00', '%25', '%2F', '..%2F', '%E2%82'];
  for (const soup of soups) {
    add('escape-soup', `/v1/ + ${soup} × 1,500`, 'GET', `/v1/${soup.repeat(1_500)}`, key);
    add('escape-soup', `/v1/jobs/<${soup} × 400>`, 'GET', `/v1/jobs/${soup.repeat(400)}`, key);
    add('escape-soup', `/v1/models/<${soup} × 20>?<soup>`, 'GET', `/v1/models/${soup.repeat(20)}?${soup.repeat(200)}=${soup.repeat(200)}`, key);
  }

  const adminSpellings = [
    '/v1/admin/keys',
    '/v1/%61dmin/keys',
    '/v1/%41dmin/keys',
    '/%76%31/admin/keys',
    '/v1/admin/%6beys',
    '/V1/ADMIN/KEYS',
    '//v1//admin//keys',
    '/v1/./admin/keys',
    '/v1/x/../admin/keys',
    '/v1/x/%2e%2e/admin/keys',
    '/v1/admin%2Fkeys',
    '/v1/admin/keys;x=1',
    '/v1/admin/keys/',
    '/v1/admin/keys?x=1#f',
    '/v1/admin/keys%00',
    '/v1/admin/keys%20',
  ];
  for (const spelling of adminSpellings) {
    for (const target of [spelling, `http://127.0.0.1:${port}${spelling}`, `http://evil.example${spelling}`]) {
      add('admin-spellings', `POST ${target.slice(0, 60)} without a token`, 'POST', target, { 'content-type': 'application/json' }, '{"name":"minted","tenant":"victim"}');
      add('admin-spellings', `POST ${target.slice(0, 60)} with a tenant key`, 'POST', target, key, '{"name":"minted","tenant":"victim"}');
      add('admin-spellings', `DELETE ${target.slice(0, 60)}/<id> without a token`, 'DELETE', `${target}/${context.keyId}`, {});
    }
  }
  return requests;
}
