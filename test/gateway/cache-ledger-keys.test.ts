import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, sseData, startTestApp, upstreamConfig, type TestApp } from '../support/test-app.js';

describe('exact cache, usage ledger and virtual keys', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  const chat = (key: string, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(key), ...headers },
      payload: { model: 'gpt-test', messages: [{ role: 'user', content }], ...extra },
    });

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: 'sk-x' } });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('serves a repeated request from the cache, within the tenant only', async () => {
    const key = await test.key({ tenant: 'acme' });
    const sameTenant = await test.key({ tenant: 'acme' });
    const otherTenant = await test.key({ tenant: 'globex' });
    assert.equal((await chat(key, 'cached?')).headers['x-breakwater-cache'], 'miss');
    const hit = await chat(sameTenant, 'cached?');
    assert.equal(hit.headers['x-breakwater-cache'], 'hit');
    assert.equal(hit.json().choices[0].message.content, 'echo: cached?');
    assert.equal((await chat(otherTenant, 'cached?')).headers['x-breakwater-cache'], 'miss');
    assert.equal(upstream.requests.length, 2);
  });

  it('cache-control: no-store bypasses the cache, no-cache refreshes it', async () => {
    const key = await test.key();
    await chat(key, 'fresh');
    const bypass = await chat(key, 'fresh', {}, { 'cache-control': 'no-store' });
    assert.equal(bypass.headers['x-breakwater-cache'], 'bypass');
    const refresh = await chat(key, 'fresh', {}, { 'cache-control': 'no-cache' });
    assert.equal(refresh.headers['x-breakwater-cache'], 'miss');
    assert.equal(upstream.requests.length, 3);
  });

  it('replays a cached answer to a streaming request as SSE, and caches completed streams', async () => {
    const key = await test.key();
    await chat(key, 'stream me', { stream: true });
    const replayed = await chat(key, 'stream me', { stream: true, stream_options: { include_usage: true } });
    assert.equal(replayed.headers['x-breakwater-cache'], 'hit');
    const events = sseData(replayed.body);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''), 'echo: stream me');
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
    const asJson = await chat(key, 'stream me');
    assert.equal(asJson.headers['x-breakwater-cache'], 'hit');
    assert.equal(asJson.json().choices[0].message.content, 'echo: stream me');
    assert.equal(upstream.requests.length, 1);
  });

  it('records one ledger row per request and aggregates usage by key, model and day', async () => {
    const mine = await test.key({ name: 'mine' });
    const theirs = await test.key({ name: 'theirs' });
    await chat(mine, 'ledger 1');
    await chat(mine, 'ledger 1');
    await chat(mine, 'ledger 2', {}, { 'cache-control': 'no-store' });
    await chat(theirs, 'ledger 3');
    await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(mine), payload: { model: 'nope', messages: [{ role: 'user', content: 'x' }] } });
    const own = await test.server.inject({ method: 'GET', url: '/v1/usage', headers: bearer(mine) });
    assert.equal(own.statusCode, 200);
    const rows = own.json().data as Array<Record<string, unknown>>;
    assert.equal(rows.length, 1);
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(
      { ...rows[0], cost_usd: undefined },
      {
        key_id: rows[0]!.key_id,
        model: 'gpt-test',
        day: today,
        route_tier: null,
        requests: 3,
        errors: 0,
        cache_hits: 1,
        input_tokens: 22,
        output_tokens: 14,
        cost_usd: undefined,
        pii_detections: {},
      },
    );
    assert.ok(Math.abs(Number(rows[0]!.cost_usd) - (2 * (11 * 0.15 + 7 * 0.6)) / 1e6) < 1e-12, 'priced at gpt-4o-mini list price');
    const all = await test.server.inject({ method: 'GET', url: '/v1/usage', headers: bearer(adminToken) });
    assert.ok((all.json().data as unknown[]).length >= 2);
    const bad = await test.server.inject({ method: 'GET', url: '/v1/usage?from=yesterday', headers: bearer(mine) });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.param, 'from');
  });

  it('admin API creates keys shown once, lists them without secrets, and revokes them at once', async () => {
    const noToken = await test.server.inject({ method: 'GET', url: '/v1/admin/keys' });
    assert.equal(noToken.statusCode, 401);
    assert.equal(noToken.json().error.code, 'ADMIN_TOKEN_INVALID');
    const created = await test.server.inject({
      method: 'POST',
      url: '/v1/admin/keys',
      headers: bearer(adminToken),
      payload: { name: 'billing-app', allowed_models: ['gpt-test'], rpm: 10, tpm: 1000, budget_usd: 5, budget_period: 'day', tags: { team: 'billing' } },
    });
    assert.equal(created.statusCode, 201);
    const { key: secret, id } = created.json();
    assert.match(secret, /^bw_[\w-]{32}$/);
    assert.equal(created.json().budget.usd, 5);
    const listed = await test.server.inject({ method: 'GET', url: '/v1/admin/keys', headers: bearer(adminToken) });
    assert.ok(listed.json().data.some((key: { id: string }) => key.id === id));
    assert.ok(!listed.body.includes(secret));
    assert.equal((await chat(secret, 'works?')).statusCode, 200);
    const revoked = await test.server.inject({ method: 'DELETE', url: `/v1/admin/keys/${id}`, headers: bearer(adminToken) });
    assert.ok(revoked.json().revoked_at > 0);
    const refused = await chat(secret, 'works?');
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error.code, 'INVALID_API_KEY');
    const database = readFileSync(join(test.folder, 'breakwater.db'));
    assert.ok(!database.includes(Buffer.from(secret)), 'the secret itself is never stored');
  });
});
