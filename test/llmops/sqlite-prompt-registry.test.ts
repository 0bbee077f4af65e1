import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { promptRegistryContract } from '../contracts/prompt-registry-contract.js';

promptRegistryContract('embedded SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-prompts-'));
  const store = await SqliteStore.open(join(folder, 'store.db'));
  return {
    registry: store.promptRegistry,
    other: store.promptRegistry,
    async close() {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
