import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ApiClient } from '../../src/cli/api-client.js';
import { syncOnce } from '../../src/cli/ingest-command.js';
import { TableSource } from '../../src/adapters/sources/document-sources.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const connectionString = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const quiet = { start() {}, step() {}, done() {}, stop() {} };

describe('breakwater ingest --postgres: rows of a query as documents, re-synced by updated-at', () => {
  const table = `articles_${randomUUID().replaceAll('-', '')}`;
  const database = new pg.Client({ connectionString });
  let test: TestApp;
  let client: ApiClient;
  let key: string;

  before(async () => {
    await database.connect();
    await database.query(`CREATE TABLE ${table} (id int PRIMARY KEY, title text, body text, updated_at timestamptz NOT NULL DEFAULT now())`);
    await database.query(
      `INSERT INTO ${table} (id, title, body, updated_at) VALUES
        (1, 'Parental leave', 'Parents get sixteen weeks of paid leave.', '2026-01-01'),
        (2, 'Hotel limit', 'Hotels are reimbursed up to 140 euros per night.', '2026-01-01'),
        (3, 'Bike scheme', 'Staff can lease a bike through payroll.', '2026-01-01')`,
    );
    test = await startTestApp({ jobs: { pollMs: 20 } });
    key = await test.key({ tenant: 'acme' });
    client = new ApiClient(await test.server.listen({ port: 0, host: '127.0.0.1' }), key);
  });
  after(async () => {
    await database.query(`DROP TABLE IF EXISTS ${table}`);
    await database.end();
    await client.close();
    await test.close();
  });

  const search = async (query: string) =>
    (await test.server.inject({ method: 'POST', url: '/v1/collections/wiki/search', headers: bearer(key), payload: { query, k: 3 } })).json().data as Array<{
      document: string;
      text: string;
    }>;

  it('ingests every row, then reads only rows past the last updated-at, and prunes deleted rows', async () => {
    const source = new TableSource({ url: connectionString, query: `SELECT id, title, body, updated_at FROM ${table}`, idColumn: 'id', updatedAtColumn: 'updated_at' });
    try {
      const first = await syncOnce(client, 'wiki', source, { create: true, prune: true }, quiet);
      assert.deepEqual([first.sent, first.unchanged, first.deleted, first.failedJobs.length], [3, 0, 0, 0]);
      assert.equal((await search('hotel per night'))[0]?.document, '2');

      await database.query(`UPDATE ${table} SET body = 'Hotels are reimbursed up to 165 euros per night.', updated_at = '2026-02-01' WHERE id = 2`);
      await database.query(`DELETE FROM ${table} WHERE id = 3`);
      const second = await syncOnce(client, 'wiki', source, { prune: true }, quiet);
      // Only the changed row was read and sent; the vanished one was deleted.
      assert.deepEqual([second.sent, second.unchanged, second.deleted], [1, 0, 1]);
      assert.match((await search('hotel per night'))[0]!.text, /165 euros/);
      assert.ok((await search('lease a bike')).every((hit) => hit.document !== '3'));

      const third = await syncOnce(client, 'wiki', source, { prune: true }, quiet);
      assert.deepEqual([third.sent, third.deleted], [0, 0]);
    } finally {
      await source.close();
    }
  });
});
