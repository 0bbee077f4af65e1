import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import pino from 'pino';
import { type App, createApp } from '../../src/app.js';
import type { SqlDatabase } from '../../src/compose/semantic-cache.js';
import { loadConfig } from '../../src/config/load-config.js';
import { buildServer } from '../../src/http/server.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, waitFor } from '../support/test-app.js';

// Two API nodes (each its own app and store) whose semantic caches use the pgvector index on one
// database (cache.semantic.index.driver: pgvector). PGlite stands in for the PostgreSQL server
// (Debian's has no pgvector); the apps reach it through createApp's semanticCacheDatabase.
async function node(upstreamUrl: string, database: SqlDatabase | undefined) {
  const folder = mkdtempSync(join(tmpdir(), 'bw-semantic-shared-'));
  const path = join(folder, 'breakwater.yaml');
  writeFileSync(
    path,
    JSON.stringify({
      store: { driver: 'sqlite', path: join(folder, 'breakwater.db') },
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstreamUrl } },
      models: {
        faq: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }], semanticCache: { enabled: true } },
        other: { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }], semanticCache: { enabled: true } },
      },
      cache: { exact: { enabled: false }, semantic: { index: { driver: 'pgvector' } } },
      retrieval: { enabled: false },
      log: { level: 'silent' },
    }),
  );
  const app: App = await createApp(loadConfig({ path, env: {} }), {
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    ...(database ? { semanticCacheDatabase: database } : {}),
  });
  const server = await buildServer(app);
  await server.ready();
  const chat = (key: string, content: string, model = 'faq') =>
    server.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(key), payload: { model, messages: [{ role: 'user', content }] } });
  return {
    app,
    server,
    chat,
    key: async (tenant: string) => (await app.keys.create({ name: 'k', tenant })).secret,
    close: async () => {
      await server.close();
      await app.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

describe('semantic cache on a shared pgvector index: two API nodes', () => {
  let upstream: OpenAIUpstream;
  let database: PGlite;
  let a: Awaited<ReturnType<typeof node>>;
  let b: Awaited<ReturnType<typeof node>>;
  before(async () => {
    upstream = await OpenAIUpstream.start();
    database = await PGlite.create({ extensions: { vector } });
    const shared: SqlDatabase = { client: database, transaction: (work) => database.transaction((tx) => work(tx)) };
    a = await node(upstream.url, shared);
    b = await node(upstream.url, shared);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
    await upstream.close();
  });

  it("node B serves the answer node A cached, to the same tenant only; a tenant's invalidation on B clears A's entry", async () => {
    const stored = async () => Number((await database.query<{ n: number }>('SELECT count(*)::int AS n FROM semantic_cache_payloads')).rows[0]!.n);
    const [onA, onB, otherOnB] = [await a.key('acme'), await b.key('acme'), await b.key('globex')];
    // B has read the shared index (another alias's scope) before A stores anything: it must still see A's later entry.
    assert.equal((await b.chat(onB, 'How do I export my invoices as a PDF file?', 'other')).headers['x-breakwater-cache'], 'miss');
    await waitFor(async () => (await stored()) === 1);

    const first = await a.chat(onA, 'How do I reset my password?');
    assert.equal(first.headers['x-breakwater-cache'], 'miss');
    // The answer is stored after the response: wait for that deferred step, not a fixed time.
    await waitFor(async () => (await stored()) === 2);
    const calls = upstream.chatRequests().length;

    const served = await b.chat(onB, 'how can i reset my password');
    assert.match(String(served.headers['x-breakwater-cache']), /^semantic; similarity=/);
    assert.equal(served.json().choices[0].message.content, first.json().choices[0].message.content);
    assert.equal(upstream.chatRequests().length, calls, 'B answered without the provider');

    const other = await b.chat(otherOnB, 'how can i reset my password');
    assert.equal(other.headers['x-breakwater-cache'], 'miss', 'another tenant is never served it');
    assert.equal(upstream.chatRequests().length, calls + 1);

    // Two nodes storing at once never overwrite each other's entries: labels come from one sequence.
    const labels = await database.query<{ label: number }>('SELECT label FROM semantic_cache_vectors_256');
    assert.equal(new Set(labels.rows.map((row) => Number(row.label))).size, labels.rows.length);

    const cleared = await b.server.inject({ method: 'DELETE', url: '/v1/cache/semantic?model=faq', headers: bearer(onB) });
    assert.equal(cleared.statusCode, 200);
    const again = await a.chat(onA, 'how can i reset my password');
    assert.equal(again.headers['x-breakwater-cache'], 'miss', "B's invalidation reached the entry A stored");
  });

  it('without the vector extension on the database, the node refuses to start naming it', async () => {
    const bare = await PGlite.create();
    try {
      await assert.rejects(node(upstream.url, { client: bare }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.match(error.message, /extension "vector" \(pgvector\)/);
        return true;
      });
    } finally {
      await bare.close();
    }
  });
});
