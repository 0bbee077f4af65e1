import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamConfig, upstreamSecret } from '../support/test-app.js';

const admin = bearer(adminToken);

const version1 = {
  messages: [
    { role: 'system', content: 'You answer support tickets in a {{tone}} tone.' },
    { role: 'user', content: 'Customer {{customer}} (order #{{order}}) writes: {{ticket}}' },
  ],
  variables: {
    customer: { type: 'string', maxLength: 40 },
    order: { type: 'integer' },
    ticket: { type: 'string' },
    tone: { type: 'string', enum: ['warm', 'formal'], default: 'warm' },
  },
  model: 'gpt-test',
  parameters: { temperature: 0.2 },
  labels: ['production'],
};
const version2 = { ...version1, messages: [{ role: 'system', content: 'V2: be brief and {{tone}}.' }, version1.messages[1]!], labels: undefined };

describe('prompt registry over HTTP: chat requests served by label, moves and rollbacks on the next request', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: upstreamSecret } });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  const request = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) =>
    test.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const chat = (prompt: Record<string, unknown>, extra: Record<string, unknown> = {}) => request('POST', '/v1/chat/completions', bearer(key), { prompt, ...extra });
  const variables = { customer: 'Ada', order: 42, ticket: 'Where is my parcel?' };

  it('pushes versions, serves the production label with typed variables, and follows label moves and rollbacks at once', async () => {
    const pushed = await request('POST', '/v1/prompts/support-reply/versions', admin, version1);
    assert.equal(pushed.statusCode, 201, pushed.body);
    assert.deepEqual([pushed.json().version, pushed.json().labels, pushed.json().scope], [1, ['production'], 'shared']);
    const again = await request('POST', '/v1/prompts/support-reply/versions', admin, { ...version1, labels: undefined });
    assert.deepEqual([again.statusCode, again.json().version], [200, 1], 'the same content is the same version');
    assert.equal((await request('POST', '/v1/prompts/support-reply/versions', admin, version2)).json().version, 2);

    const first = await chat({ name: 'support-reply', variables });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers['x-breakwater-prompt'], 'support-reply@1');
    const sent = upstream.chatRequests().at(-1)!.body;
    assert.deepEqual(sent.messages, [
      { role: 'system', content: 'You answer support tickets in a warm tone.' },
      { role: 'user', content: 'Customer Ada (order #42) writes: Where is my parcel?' },
    ]);
    assert.equal(sent.temperature, 0.2);

    const moved = await request('PUT', '/v1/prompts/support-reply/labels/production', admin, { version: 2 });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual([moved.json().from_version, moved.json().to_version, moved.json().actor], [1, 2, 'admin']);
    const second = await chat({ name: 'support-reply', variables: { ...variables, tone: 'formal' } });
    assert.equal(second.headers['x-breakwater-prompt'], 'support-reply@2');
    assert.equal((upstream.chatRequests().at(-1)!.body.messages as Array<{ content: string }>)[0]!.content, 'V2: be brief and formal.');

    const rolledBack = await request('POST', '/v1/prompts/support-reply/labels/production/rollback', admin, {});
    assert.deepEqual([rolledBack.json().action, rolledBack.json().from_version, rolledBack.json().to_version], ['rollback', 2, 1]);
    const third = await chat({ name: 'support-reply', variables });
    assert.equal(third.headers['x-breakwater-prompt'], 'support-reply@1');

    const pinned = await chat({ name: 'support-reply', version: 2, variables }, { messages: [{ role: 'user', content: 'And one more thing.' }], temperature: 1 });
    assert.equal(pinned.headers['x-breakwater-prompt'], 'support-reply@2');
    const pinnedBody = upstream.chatRequests().at(-1)!.body;
    assert.equal((pinnedBody.messages as unknown[]).length, 3, "the request's own messages follow the prompt's");
    assert.equal(pinnedBody.temperature, 1, "the request's own parameters win");

    const audit = await request('GET', '/v1/prompts/support-reply/audit', admin);
    assert.deepEqual(
      audit.json().data.map((entry: { action: string; from_version: number | null; to_version: number }) => [entry.action, entry.from_version, entry.to_version]),
      [
        ['rollback', 2, 1],
        ['label', 1, 2],
        ['push', null, 2],
        ['label', null, 1],
        ['push', null, 1],
      ],
    );

    // The ledger names the version each request was served with.
    await test.app.ledgerWriter.flush();
    const database = new Database(join(test.folder, 'breakwater.db'), { readonly: true });
    const rows = database.prepare('SELECT request_id, prompt_name, prompt_version FROM usage WHERE prompt_name IS NOT NULL ORDER BY ts').all() as Array<{
      request_id: string;
      prompt_name: string;
      prompt_version: number;
    }>;
    database.close();
    const servedBy = new Map(rows.map((row) => [row.request_id, `${row.prompt_name}@${row.prompt_version}`]));
    assert.deepEqual(
      [first, second, third, pinned].map((response) => servedBy.get(String(response.headers['x-request-id']))),
      ['support-reply@1', 'support-reply@2', 'support-reply@1', 'support-reply@2'],
    );
  });

  it('refuses variables that do not match their declared types, naming the variable, in the OpenAI envelope', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ customer: 'Ada', ticket: 'hi' }, 'prompt.variables.order'],
      [{ ...variables, order: '42' }, 'prompt.variables.order'],
      [{ ...variables, order: 4.5 }, 'prompt.variables.order'],
      [{ ...variables, tone: 'angry' }, 'prompt.variables.tone'],
      [{ ...variables, customer: 'x'.repeat(41) }, 'prompt.variables.customer'],
      [{ ...variables, unknown: 1 }, 'prompt.variables.unknown'],
    ];
    const before = upstream.chatRequests().length;
    for (const [given, param] of cases) {
      const response = await chat({ name: 'support-reply', variables: given });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error.code, 'PROMPT_VARIABLES_INVALID');
      assert.equal(response.json().error.param, param);
      assert.equal(response.json().error.type, 'invalid_request_error');
    }
    const missing = await chat({ name: 'no-such-prompt', variables });
    assert.deepEqual([missing.statusCode, missing.json().error.code], [404, 'PROMPT_NOT_FOUND']);
    const badLabel = await chat({ name: 'support-reply', label: 'canary', variables });
    assert.deepEqual([badLabel.statusCode, badLabel.json().error.code], [404, 'PROMPT_NOT_FOUND']);
    const both = await chat({ name: 'support-reply', label: 'production', version: 1, variables });
    assert.deepEqual([both.statusCode, both.json().error.param], [400, 'prompt.version']);
    assert.equal(upstream.chatRequests().length, before, 'no refused request reached the model');
  });

  it('lets only the admin token move protected labels; a key writes its own tenant prompts, which shadow the shared ones', async () => {
    const refused = await request('PUT', '/v1/prompts/support-reply/labels/production', bearer(key), { version: 2 });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'PROMPT_LABEL_PROTECTED');
    const rollback = await request('POST', '/v1/prompts/support-reply/labels/production/rollback', bearer(key), {});
    assert.equal(rollback.json().error.code, 'PROMPT_LABEL_PROTECTED');

    const own = await request('POST', '/v1/prompts/support-reply/versions', bearer(key), {
      ...version1,
      messages: [{ role: 'user', content: 'Tenant copy for {{customer}} {{order}} {{ticket}} {{tone}}' }],
      labels: ['staging'],
    });
    assert.equal(own.statusCode, 201, own.body);
    assert.match(own.json().scope, /^tenant:/);
    const served = await chat({ name: 'support-reply', label: 'staging', variables });
    assert.equal(served.statusCode, 200, served.body);
    assert.equal((upstream.chatRequests().at(-1)!.body.messages as Array<{ content: string }>)[0]!.content, 'Tenant copy for Ada 42 Where is my parcel? warm');
    const otherKey = await test.key();
    const other = await chat({ name: 'support-reply', label: 'staging', variables }).then(() =>
      request('POST', '/v1/chat/completions', bearer(otherKey), { prompt: { name: 'support-reply', label: 'staging', variables } }),
    );
    assert.equal(other.json().error.code, 'PROMPT_NOT_FOUND', "another tenant never sees this tenant's prompt");
    const listed = await request('GET', '/v1/prompts', bearer(otherKey));
    assert.deepEqual(listed.json().data, []);
  });
});
