import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { PgvectorCollectionStore } from '../../src/adapters/vector-index/pgvector/pgvector-collection-store.js';
import { describeCollectionStoreContract } from '../contracts/collection-store-contract.js';
import { services } from '../support/scale-out.js';

const pool = new pg.Pool({ connectionString: services.postgres, max: 4 });
after(() => pool.end());

const available = await pool
  .query<{ name: string }>("SELECT name FROM pg_available_extensions WHERE name = 'vector'")
  .then((result) => result.rows.length === 1)
  .catch(() => false);

const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};

if (available) {
  describeCollectionStoreContract('pgvector on the PostgreSQL server', {
    open: () => PgvectorCollectionStore.open({ client: pool, transaction }),
    reopen: () => PgvectorCollectionStore.open({ client: pool, transaction }),
  });
} else {
  describe('pgvector on the PostgreSQL server', () => {
    it('is skipped: the server has no "vector" extension (pgvector); the same suite runs on PGlite in test/retrieval', {
      skip: 'the PostgreSQL server has no vector extension',
    }, () => {});

    it('without the extension, opening retrieval refuses with an error that names it', async () => {
      await assert.rejects(PgvectorCollectionStore.open({ client: pool, transaction }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.match(error.message, /extension "vector" \(pgvector\)/);
        return true;
      });
    });
  });
}
