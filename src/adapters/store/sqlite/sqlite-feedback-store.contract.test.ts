import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedbackStoreContract } from '../../../../test/contracts/feedback-store-contract.js';
import { SqliteStore } from './sqlite-store.js';

feedbackStoreContract('embedded SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-feedback-'));
  const store = await SqliteStore.open(join(folder, 'store.db'));
  return {
    store,
    async close() {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
