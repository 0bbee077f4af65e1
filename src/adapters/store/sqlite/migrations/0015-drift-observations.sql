-- Drift observations (core/ports/drift-store.ts): per node, minute and series (alias, prompt
-- version, pipeline), quality counts and the sum of the inputs' embeddings (Float32, base64).
CREATE TABLE drift_observations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  alias TEXT NOT NULL,
  prompt_name TEXT,
  prompt_version INTEGER,
  pipeline TEXT,
  requests INTEGER NOT NULL,
  schema_checked INTEGER NOT NULL,
  schema_failures INTEGER NOT NULL,
  repairs INTEGER NOT NULL,
  refusals INTEGER NOT NULL,
  embedded INTEGER NOT NULL,
  embedding_sum TEXT,
  embedder TEXT NOT NULL
);
CREATE INDEX drift_observations_by_time ON drift_observations (at);
