import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteCollectionStore } from '../../src/adapters/store/sqlite/sqlite-collection-store.js';
import type { ChunkWrite, Collection } from '../../src/core/ports/collection-store.js';

const folder = mkdtempSync(join(tmpdir(), 'bw-text-index-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(folder, `retrieval-${files++}.sqlite`);

const vector = () => Float32Array.from([1, 0, 0, 0]);
const collection = (tenant: string, name = 'docs'): Collection => ({
  tenant,
  name,
  description: '',
  embedder: { kind: 'builtin', dimension: 4 },
  chunking: { maxTokens: 128, overlapTokens: 16 },
  metadataSchema: null,
  accessTags: [],
  createdAt: 1,
});
const chunk = (id: string, ordinal: number, text: string): ChunkWrite => ({
  id,
  ordinal,
  heading: null,
  text,
  start: ordinal * 100,
  end: ordinal * 100 + text.length,
  vector: vector(),
});
const document = (name: string, accessTags: string[] = []) => ({ name, contentHash: name, characters: 1, accessTags, metadata: {}, updatedAt: 1 });

describe('SQLite collection text index', () => {
  it('ranks by the common words too: a word in more chunks than the scoring budget still re-ranks what the rare words found', async () => {
    const store = new SqliteCollectionStore({ path: freshPath(), text: { scoredRowBudget: 3 } });
    const scope = { tenant: 't', collection: 'docs' };
    await store.createCollection(collection('t'));
    // "warranty" is in 6 of 42 chunks: over the budget of 3 rows once "kettle" (2) is in, so it is a common word here.
    for (let i = 0; i < 40; i++)
      await store.writeDocument(scope, document(`filler-${i}.md`), [chunk(`f${i}`, 0, i < 5 ? `warranty terms of product ${i}` : `delivery notes ${i}`)]);
    // The shorter chunk wins on "kettle" alone; only "warranty" lifts the longer one above it.
    await store.writeDocument(scope, document('kettle.md'), [chunk('descale', 0, 'kettle descaling'), chunk('warranty', 1, 'the kettle warranty lasts two years')]);
    const hits = await store.searchText({ ...scope, accessTags: [] }, 'kettle warranty', 3);
    assert.equal(hits[0]?.chunkId, 'warranty');
    assert.ok(hits[0]!.score > hits[1]!.score);
    await store.close();
  });

  it('a query whose every word is over the budget still ranks the rows it scores by BM25', async () => {
    const store = new SqliteCollectionStore({ path: freshPath(), text: { scoredRowBudget: 3, rescoredCandidates: 50 } });
    const scope = { tenant: 't', collection: 'docs' };
    await store.createCollection(collection('t'));
    for (let i = 0; i < 8; i++) await store.writeDocument(scope, document(`w-${i}.md`), [chunk(`w${i}`, 0, `warranty note number ${i} with some more words`)]);
    await store.writeDocument(scope, document('focus.md'), [chunk('focus', 0, 'warranty warranty warranty')]);
    for (let i = 0; i < 20; i++) await store.writeDocument(scope, document(`o-${i}.md`), [chunk(`o${i}`, 0, `delivery ${i}`)]);
    const hits = await store.searchText({ ...scope, accessTags: [] }, 'warranty', 3);
    assert.equal(hits.length, 3);
    assert.equal(hits[0]?.chunkId, 'focus');
    assert.ok(hits[0]!.score > hits[1]!.score && hits[1]!.score > 0);
    await store.close();
  });

  it('keeps the access check exact whichever side of the tag sets is smaller', async () => {
    const store = new SqliteCollectionStore({ path: freshPath() });
    const scope = { tenant: 't', collection: 'docs' };
    await store.createCollection(collection('t'));
    // Many open chunks and few HR ones, then the reverse in a second collection.
    for (let i = 0; i < 12; i++) await store.writeDocument(scope, document(`open-${i}.md`), [chunk(`o${i}`, 0, `leave policy open ${i}`)]);
    await store.writeDocument(scope, document('hr.md', ['hr']), [chunk('h0', 0, 'leave policy salaries')]);
    const open = await store.searchText({ ...scope, accessTags: [] }, 'leave policy', 20);
    assert.equal(open.length, 12);
    assert.ok(open.every((hit) => hit.chunkId.startsWith('o')));
    assert.equal((await store.searchText({ ...scope, accessTags: ['hr'] }, 'leave salaries', 20)).length, 13);

    const reverse = { tenant: 't', collection: 'hr-heavy' };
    await store.createCollection(collection('t', 'hr-heavy'));
    for (let i = 0; i < 12; i++) await store.writeDocument(reverse, document(`hr-${i}.md`, ['hr']), [chunk(`h${i}`, 0, `leave policy hr ${i}`)]);
    await store.writeDocument(reverse, document('open.md'), [chunk('o0', 0, 'leave policy open')]);
    assert.deepEqual(
      (await store.searchText({ ...reverse, accessTags: ['finance'] }, 'leave policy', 20)).map((hit) => hit.chunkId),
      ['o0'],
    );
    // Tags changed on a kept chunk move it between sets.
    await store.writeDocument(reverse, document('open.md', ['hr']), [chunk('o0', 0, 'leave policy open')]);
    assert.deepEqual(await store.searchText({ ...reverse, accessTags: ['finance'] }, 'leave policy', 20), []);
    await store.close();
  });

  it('an index is per collection: another collection of the same tenant with the same words is never ranked or returned', async () => {
    const store = new SqliteCollectionStore({ path: freshPath() });
    await store.createCollection(collection('t', 'a'));
    await store.createCollection(collection('t', 'b'));
    await store.writeDocument({ tenant: 't', collection: 'a' }, document('a.md'), [chunk('a1', 0, 'quarterly revenue report')]);
    await store.writeDocument({ tenant: 't', collection: 'b' }, document('b.md'), [chunk('b1', 0, 'quarterly revenue report')]);
    assert.deepEqual(
      (await store.searchText({ tenant: 't', collection: 'a', accessTags: [] }, 'revenue', 10)).map((hit) => hit.chunkId),
      ['a1'],
    );
    assert.equal(await store.deleteCollection({ tenant: 't', collection: 'b' }), true);
    assert.deepEqual(await store.searchText({ tenant: 't', collection: 'b', accessTags: [] }, 'revenue', 10), []);
    await store.close();
  });

  it('rebuilding a graph after a restart lets the event loop run, and writes made meanwhile are in it', async () => {
    const path = freshPath();
    const writer = new SqliteCollectionStore({ path });
    const scope = { tenant: 't', collection: 'docs' };
    await writer.createCollection(collection('t'));
    const unit = (index: number) => {
      const values = Float32Array.from({ length: 4 }, (_, axis) => Math.sin(index * (axis + 1)));
      const norm = Math.hypot(...values);
      return values.map((value) => value / norm);
    };
    for (let i = 0; i < 20; i++) {
      await writer.writeDocument(
        scope,
        document(`d${i}.md`),
        Array.from({ length: 50 }, (_, j) => ({ ...chunk(`c${i}-${j}`, j, `chunk ${i} ${j}`), vector: unit(i * 50 + j) })),
      );
    }
    await writer.close();

    const store = new SqliteCollectionStore({ path });
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const searching = store.searchVector({ ...scope, accessTags: [] }, unit(7), 3);
    // Written while the graph of 1,000 stored chunks is being read back.
    await store.writeDocument(scope, document('late.md'), [{ ...chunk('late', 0, 'late chunk'), vector: Float32Array.from([0, 0, 0, 1]) }]);
    await store.writeDocument(scope, document('d0.md'), []);
    const hits = await searching;
    assert.equal(turned, true, 'the event loop turned during the build');
    assert.ok(
      hits.every((hit) => hit.document !== 'd0.md'),
      'a document deleted during the build is not found',
    );
    assert.equal((await store.searchVector({ ...scope, accessTags: [] }, Float32Array.from([0, 0, 0, 1]), 1))[0]?.chunkId, 'late');
    await store.close();
  });

  it('upgrades a file written with the one shared FTS table: chunks are found and access tags still hold', async () => {
    const path = freshPath();
    const old = new Database(path);
    old.exec(`
      CREATE TABLE collections (tenant TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant, name)) WITHOUT ROWID;
      CREATE TABLE chunks (label INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, collection TEXT NOT NULL, document TEXT NOT NULL, chunk_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL, heading TEXT, text TEXT NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, access_tags TEXT NOT NULL,
        metadata TEXT NOT NULL, vector BLOB NOT NULL, UNIQUE (tenant, collection, document, chunk_id));
      CREATE VIRTUAL TABLE chunk_text USING fts5 (heading, text, content = 'chunks', content_rowid = 'label', tokenize = 'unicode61 remove_diacritics 2');
      CREATE TRIGGER chunks_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO chunk_text (rowid, heading, text) VALUES (new.label, coalesce(new.heading, ''), new.text);
      END;`);
    old.prepare('INSERT INTO collections VALUES (?, ?, ?, 1)').run('t', 'docs', JSON.stringify(collection('t')));
    const insert = old.prepare(`INSERT INTO chunks (tenant, collection, document, chunk_id, ordinal, heading, text, start_offset, end_offset, access_tags, metadata, vector)
      VALUES ('t', 'docs', ?, ?, 0, NULL, ?, 0, 10, ?, '{"lang":"en"}', ?)`);
    insert.run('open.md', 'c1', 'parental leave lasts sixteen weeks', '[]', Buffer.from(vector().buffer));
    insert.run('hr.md', 'c2', 'parental leave pay scale', '["hr"]', Buffer.from(vector().buffer));
    old.close();

    const store = new SqliteCollectionStore({ path });
    const scope = { tenant: 't', collection: 'docs', accessTags: [] as string[] };
    assert.deepEqual(
      (await store.searchText(scope, 'parental leave', 10)).map((hit) => hit.chunkId),
      ['c1'],
    );
    assert.equal((await store.searchText({ ...scope, accessTags: ['hr'], metadata: { lang: 'en' } }, 'parental leave', 10)).length, 2);
    await store.close();
  });
});
