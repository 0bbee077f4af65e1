-- Retrieval tables of the embedded shape, in their own SQLite file (retrieval.sqlite beside the store).
-- Inputs: none. Output: collections, documents, chunks (text, place, tags, metadata, vector as
-- little-endian float32 bytes) and chunk_text, an FTS5 index over chunks kept in step by triggers.
-- Every chunk row repeats its document's tenant, collection, access tags and metadata, so a
-- search filters inside one query without joining the documents table.

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
  UNIQUE (tenant, collection, document, chunk_id)
);
CREATE INDEX IF NOT EXISTS chunks_scope ON chunks (tenant, collection);

CREATE VIRTUAL TABLE IF NOT EXISTS chunk_text USING fts5 (
  heading, text, content = 'chunks', content_rowid = 'label', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS chunks_insert AFTER INSERT ON chunks BEGIN
  INSERT INTO chunk_text (rowid, heading, text) VALUES (new.label, coalesce(new.heading, ''), new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_delete AFTER DELETE ON chunks BEGIN
  INSERT INTO chunk_text (chunk_text, rowid, heading, text) VALUES ('delete', old.label, coalesce(old.heading, ''), old.text);
END;
