import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueContract } from '../../../../test/contracts/queue-contract.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';

queueContract('embedded SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-queue-'));
  let now = 1_800_000_000_000;
  const store = await SqliteStore.open(join(folder, 'queue.db'), { backoffBaseMs: 1_000, backoffMaxMs: 60_000, now: () => now });
  return {
    queue: store.queue,
    now: () => now,
    async advance(ms) {
      now += ms;
    },
    async close() {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
