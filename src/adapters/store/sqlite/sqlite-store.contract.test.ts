import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../../../../test/contracts/store-contract.js';
import { SqliteStore } from './sqlite-store.js';

storeContract('embedded SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-store-'));
  const store = await SqliteStore.open(join(folder, 'store.db'));
  return {
    store,
    async close() {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
