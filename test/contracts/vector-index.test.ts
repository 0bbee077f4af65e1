import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BruteForceVectorIndexStore } from '../../src/adapters/vector-index/brute-force/brute-force-vector-index.js';
import { HnswVectorIndexStore } from '../../src/adapters/vector-index/hnsw/hnsw-vector-index-store.js';
import { contractDimension, vectorIndexContract } from './vector-index-contract.js';

vectorIndexContract('brute force (in memory)', async () => ({ store: new BruteForceVectorIndexStore(contractDimension), close: async () => {} }));

vectorIndexContract('HNSW (in memory)', async () => {
  const store = new HnswVectorIndexStore({ dimension: contractDimension, initialCapacity: 64 });
  return { store, close: () => store.close() };
});

vectorIndexContract('HNSW (persisted to a directory)', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'bw-hnsw-'));
  const open = () => new HnswVectorIndexStore({ dimension: contractDimension, directory, initialCapacity: 64 });
  const harness = {
    store: open(),
    reopen: async () => open(),
    damage: async (how: 'delete' | 'corrupt') => {
      for (const name of (await readdir(directory)).filter((file) => file.endsWith('.hnsw'))) {
        if (how === 'delete') await rm(join(directory, name));
        else await writeFile(join(directory, name), Buffer.from('not an hnsw index, truncated'));
      }
    },
    close: async () => {
      await harness.store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
  return harness;
});
