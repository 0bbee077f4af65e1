import { describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { staleAdvancerScenario } from './stale-advancer-scenario.js';

describe('a stale workflow advancer is fenced out (embedded: two connections on one SQLite file)', () => {
  staleAdvancerScenario(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'breakwater-stale-advancer-'));
    const path = join(folder, 'store.db');
    const a = await SqliteStore.open(path);
    const b = await SqliteStore.open(path);
    return {
      a,
      b,
      async close() {
        await b.close();
        await a.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  });
});
