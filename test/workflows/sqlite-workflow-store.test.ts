import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { workflowStoreContract } from '../contracts/workflow-store-contract.js';

workflowStoreContract('embedded SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-workflow-store-'));
  const store = await SqliteStore.open(join(folder, 'store.db'));
  return {
    store,
    async close() {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
