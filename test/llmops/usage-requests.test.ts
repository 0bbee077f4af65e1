import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminToken, bearer, mockModelConfig, startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /v1/usage/requests: per-request cost, newest first, paged and filtered', () => {
  let test: TestApp;
  before(async () => {
    test = await startTestApp({ ...mockModelConfig, cache: { exact: { enabled: false } } });
  });
  after(() => test.close());

  it('lists a key its own requests with their prompt versions, pages with a cursor, and lets the admin filter by key', async () => {
    await test.server.inject({
      method: 'POST',
      url: '/v1/prompts/hello/versions',
      headers: bearer(adminToken),
      payload: { model: 'mock', messages: [{ role: 'user', content: 'Say hello to {{who}}' }], variables: { who: { type: 'string' } }, labels: ['production'] },
    });
    const [first, second] = [await test.key(), await test.key()];
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const payload = index % 2 === 0 ? { prompt: { name: 'hello', variables: { who: `n${index}` } } } : { model: 'mock', messages: [{ role: 'user', content: `plain ${index}` }] };
      const response = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(first), payload });
      assert.equal(response.statusCode, 200, response.body);
      ids.push(String(response.headers['x-request-id']));
    }
    await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(second), payload: { model: 'mock', messages: [{ role: 'user', content: 'other' }] } });

    const list = (query: string, secret = first) =>
      test.server.inject({ method: 'GET', url: `/v1/usage/requests${query}`, headers: bearer(secret) }).then((response) => response.json());
    const all = await list('');
    assert.deepEqual(
      all.data.map((row: { request_id: string }) => row.request_id),
      [...ids].reverse(),
      "the key's own requests, newest first",
    );
    assert.deepEqual(all.data[0].prompt, { name: 'hello', version: 1 });
    assert.ok(all.data.every((row: { cost_usd: number; latency_ms: number }) => typeof row.cost_usd === 'number' && row.latency_ms >= 0));

    const page1 = await list('?limit=2');
    const page2 = await list(`?limit=2&cursor=${page1.next_cursor}`);
    const page3 = await list(`?limit=2&cursor=${page2.next_cursor}`);
    assert.deepEqual([page1.has_more, page2.has_more, page3.has_more], [true, true, false]);
    assert.deepEqual(
      [...page1.data, ...page2.data, ...page3.data].map((row: { request_id: string }) => row.request_id),
      [...ids].reverse(),
    );

    const prompted = await list('?prompt=hello&prompt_version=1');
    assert.equal(prompted.data.length, 3);
    const secondKeyId = (await test.app.keys.authenticate(second)).id;
    const asAdmin = await list(`?key_id=${secondKeyId}`, adminToken);
    assert.deepEqual(
      asAdmin.data.map((row: { key_id: string }) => row.key_id),
      [secondKeyId],
    );
    const ignored = await list(`?key_id=${secondKeyId}`);
    assert.ok(
      ignored.data.every((row: { key_id: string }) => row.key_id !== secondKeyId),
      "a key's key_id filter never shows another key's rows",
    );
  });

  it('refuses a cursor it did not hand out with 400 INVALID_REQUEST instead of answering the first page', async () => {
    const key = await test.key();
    for (const cursor of ['not-a-cursor', Buffer.from('[1]').toString('base64url'), Buffer.from('{"ts":1}').toString('base64url')]) {
      const response = await test.server.inject({ method: 'GET', url: `/v1/usage/requests?cursor=${cursor}`, headers: bearer(key) });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error.code, 'INVALID_REQUEST');
      assert.equal(response.json().error.param, 'cursor');
    }
  });
});

describe('GET /v1/usage/latency: p50 and p95 per day of the latest calls, a key its own', () => {
  let test: TestApp;
  before(async () => {
    test = await startTestApp({ ...mockModelConfig, cache: { exact: { enabled: false } } });
  });
  after(() => test.close());

  it('reduces the latest calls to per-day percentiles equal to those of the rows /v1/usage/requests lists', async () => {
    const [first, second] = [await test.key(), await test.key()];
    for (let index = 0; index < 7; index++) {
      const response = await test.server.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(first),
        payload: { model: 'mock', messages: [{ role: 'user', content: `call ${index}` }] },
      });
      assert.equal(response.statusCode, 200, response.body);
    }
    await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(second), payload: { model: 'mock', messages: [{ role: 'user', content: 'other' }] } });
    const get = (url: string, secret: string) => test.server.inject({ method: 'GET', url, headers: bearer(secret) }).then((response) => response.json());

    const rows = (await get('/v1/usage/requests?limit=5', first)).data as Array<{ at: number; latency_ms: number }>;
    const sorted = rows.map((row) => row.latency_ms).sort((a, b) => a - b);
    const latency = await get('/v1/usage/latency?limit=5', first);
    assert.equal(latency.object, 'usage.latency');
    assert.equal(latency.requests, 5, 'the latest five of the key, not the other key’s call');
    assert.deepEqual(latency.data, [{ day: new Date(rows[0]!.at).toISOString().slice(0, 10), requests: 5, p50_ms: sorted[2], p95_ms: sorted[4] }]);
    assert.equal((await get('/v1/usage/latency', adminToken)).requests, 8, 'the admin sees every key');
    const refused = await test.server.inject({ method: 'GET', url: '/v1/usage/latency?limit=0', headers: bearer(first) });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.param, 'limit');
  });
});
