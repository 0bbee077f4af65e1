-- Retrieval tables of the embedded shape, in their own SQLite file (retrieval.sqlite beside the store).
-- Inputs: none. Output: collections, documents, chunks (text, place, tags, metadata, vector as
-- little-endian float32 bytes, filter terms), access_sets (the distinct access-tag sets of each
-- collection) and search_indexes (the id of each collection's FTS5 table; see chunk-text-index.ts).
-- Every chunk row repeats its document's tenant, collection, access tags and metadata, and
-- `filters` holds the tags and metadata as terms (see chunk-filter-terms.ts), so a text search
-- checks access and filters metadata inside one FTS5 MATCH on the collection's own table.

CREATE TABLE IF NOT EXISTS collections (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS documents (
  tenant TEXT NOT NULL,
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  chunks INTEGER NOT NULL,
  characters INTEGER NOT NULL,
  access_tags TEXT NOT NULL,
  metadata TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, collection, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS chunks (
  label INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  collection TEXT NOT NULL,
  document TEXT NOT NULL,
  chunk_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  heading TEXT,
  text TEXT NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  access_tags TEXT NOT NULL,
  metadata TEXT NOT NULL,
  vector BLOB NOT NULL,
  filters TEXT NOT NULL DEFAULT '',
  UNIQUE (tenant, collection, document, chunk_id)
);
CREATE INDEX IF NOT EXISTS chunks_scope ON chunks (tenant, collection);

CREATE TABLE IF NOT EXISTS access_sets (
  tenant TEXT NOT NULL,
  collection TEXT NOT NULL,
  term TEXT NOT NULL,
  tags TEXT NOT NULL,
  PRIMARY KEY (tenant, collection, term)
) WITHOUT ROWID;

-- Each collection's full-text index is its own FTS5 table, chunk_search_<id> (contentless, rows
-- keyed by chunks.label, columns heading, text, filters), with an fts5vocab table
-- chunk_search_<id>_terms beside it; both are created and dropped with the collection.
CREATE TABLE IF NOT EXISTS search_indexes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  collection TEXT NOT NULL,
  UNIQUE (tenant, collection)
);
