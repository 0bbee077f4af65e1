import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PgvectorCollectionStore } from '../../src/adapters/vector-index/pgvector/pgvector-collection-store.js';
import { describeCollectionStoreContract } from '../contracts/collection-store-contract.js';

// pgvector compiled to WASM inside PGlite: the adapter's SQL on a real PostgreSQL with the real
// extension, in-process. test/scale-out/retrieval-pgvector.test.ts runs the same suite on the server.
let database: PGlite | undefined;
const shared = async () => (database ??= await PGlite.create({ extensions: { vector } }));

describeCollectionStoreContract('pgvector on PGlite', {
  open: async () => {
    const db = await shared();
    return PgvectorCollectionStore.open({ client: db, transaction: (work) => db.transaction((tx) => work(tx)) });
  },
  reopen: async () => {
    const db = await shared();
    return PgvectorCollectionStore.open({ client: db, transaction: (work) => db.transaction((tx) => work(tx)) });
  },
});
