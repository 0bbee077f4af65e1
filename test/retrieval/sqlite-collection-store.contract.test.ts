import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SqliteCollectionStore } from '../../src/adapters/store/sqlite/sqlite-collection-store.js';
import { describeCollectionStoreContract } from '../contracts/collection-store-contract.js';

const folder = mkdtempSync(join(tmpdir(), 'bw-collections-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const path = join(folder, 'retrieval.sqlite');

describeCollectionStoreContract('sqlite + hnsw', {
  open: async () => new SqliteCollectionStore({ path }),
  reopen: async (store) => {
    await store.close();
    return new SqliteCollectionStore({ path });
  },
});
